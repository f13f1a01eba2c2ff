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
