import BulletinIngest
import BulletinSample
import Foundation

/// The generated data the bench runs on (the project's own generator, fixed seed), reused between runs.
struct BenchData {
    let root: URL
    let people: Double
    let districts: Int
    let days: Int

    /// One landing day of a whole district in one format: what ingest throughput is measured on.
    func formatDay(_ label: String, _ format: TableFormat, encoding: Int = 0) throws -> URL {
        var config = base(days: 1)
        config.formats = [format]
        config.csvEncodings = [encoding]
        config.plantProblems = false
        return try generated(config, "format-\(label)")
    }

    /// The district over all its days, in CSV, SpreadsheetML and .xlsx at once.
    func mixed() throws -> URL {
        var config = base(days: days)
        config.formats = [.csv, .spreadsheetML, .xlsx]
        return try generated(config, "district")
    }

    /// The mixed district as it stood on its `n`th landing day: its first `n` day folders and the registry
    /// revisions up to that day, hard links to the same files. A night with short history lists only what
    /// had landed by then (the whole landing lists the season's later folders too: a tenth more work).
    func mixed(asOfDay n: Int) throws -> URL {
        let district = try mixed()
        let out = root.appendingPathComponent("district-\(n)-days")
        let last = "\(SampleConfig().firstDay.adding(days: n - 1))"
        let fm = FileManager.default
        try? fm.removeItem(at: out)
        let registry = district.appendingPathComponent("registry")
        let days = try fm.contentsOfDirectory(atPath: district.path).filter { $0.hasPrefix("20") && $0 <= last }
        let revisions = try fm.contentsOfDirectory(atPath: registry.path).filter { String($0.prefix(10)) <= last }
        for path in days + revisions.map({ "registry/" + $0 }) {
            try Self.link(district.appendingPathComponent(path), to: out.appendingPathComponent(path))
        }
        return out
    }

    /// Hard links `from` (a file, or a folder and everything in it) at `to`.
    private static func link(_ from: URL, to: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: from.path, isDirectory: &isFolder), isFolder.boolValue else {
            return try fm.linkItem(at: from, to: to)
        }
        for name in try fm.contentsOfDirectory(atPath: from.path) {
            try link(from.appendingPathComponent(name), to: to.appendingPathComponent(name))
        }
    }

    /// The district in CSV only, typed as schools type it (title rows, shuffled and English headers,
    /// every date format, GBK): what bulletin reads every night.
    func rawCSV() throws -> URL {
        var config = base(days: days)
        config.formats = [.csv]
        return try generated(config, "raw-csv")
    }

    /// The same district typed plainly (Chinese headers in form order, ISO dates, UTF-8): the
    /// pre-cleaned copy the DuckDB and pandas peers read; cleaning is not timed.
    func plainCSV() throws -> URL {
        var config = base(days: days)
        config.formats = [.csv]
        config.csvEncodings = [0]
        config.uniformTyping = true
        config.plantProblems = false
        return try generated(config, "peer-csv")
    }

    /// The roster files of the plain copy's first day joined into one CSV (one header): DuckDB's
    /// read_csv of one file is measured on it.
    func oneLargeCSV() throws -> URL {
        let out = root.appendingPathComponent("one-large.csv")
        if FileManager.default.fileExists(atPath: out.path) { return out }
        let plain = try plainCSV()
        let first = try FileManager.default.contentsOfDirectory(atPath: plain.path).filter { $0.hasPrefix("20") }.sorted()[0]
        let folder = plain.appendingPathComponent(first).appendingPathComponent("花名册")
        var joined = Data()
        for (i, name) in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().enumerated() {
            var text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            if i > 0, let end = text.firstIndex(of: "\n") { text = String(text[text.index(after: end)...]) }
            joined.append(Data(text.utf8))
        }
        try joined.write(to: out)
        return out
    }

    /// Every file below `folder`, as paths.
    static func files(under folder: URL, suffix: String = "") -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { !$0.hasPrefix(".") && $0.contains(".") && $0.hasSuffix(suffix) }
            .map { folder.appendingPathComponent($0).path }.sorted()
    }

    private func base(days: Int) -> SampleConfig {
        var config = SampleConfig()
        config.days = days
        config.peopleScale = people
        config.districts = districts
        return config
    }

    private func generated(_ config: SampleConfig, _ name: String) throws -> URL {
        let folder = root.appendingPathComponent(name)
        let stamp = folder.appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: stamp.path) { return folder }
        FileHandle.standardError.write(Data("generating \(name)…\n".utf8))
        try SampleGenerator(config: config).generate(into: folder, withTruth: false)
        _ = FileManager.default.createFile(atPath: stamp.path, contents: Data())
        return folder
    }
}
