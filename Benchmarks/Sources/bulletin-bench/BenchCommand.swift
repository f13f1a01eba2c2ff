import ArgumentParser
import BulletinCore
import BulletinIngest
import BulletinPipeline
import BulletinReport
import BulletinSample
import BulletinValidate
import Foundation

/// `bulletin-bench`: the numbers of BENCHMARKS.md, measured on generated districts (release build).
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin-bench",
        abstract: "Measure ingest throughput per format, a district day, a 30-day rerun and rendering.")

    @Option(help: "Where generated data and outputs go.")
    var data = "bench-data"

    @Option(help: "district (455 institutions, ~110k people) or city (ten districts).")
    var scale = "district"

    @Flag(help: "A few seconds on a tiny district, to keep the bench from rotting.")
    var smoke = false

    @Option(help: "The built bulletin binary used for end-to-end runs.")
    var binary = ".build/release/bulletin"

    /// In-process reading under the test key: the bench measures the readers, not the worker pool.
    static let reading = IngestedFile.Reading(pseudonyms: .testing)

    func run() throws {
        let root = URL(fileURLWithPath: data)
        let people = smoke ? 0.02 : 1.0
        let districts = scale == "city" && !smoke ? 10 : 1
        let days = smoke ? 8 : 30
        var table = BenchTable()
        table.note("machine: \(ProcessInfo.processInfo.processorCount) cores, "
                   + "\(ProcessInfo.processInfo.physicalMemory >> 30) GiB; scale \(smoke ? "smoke" : scale), days \(days)")

        // Ingest + validation throughput, one format at a time, on one day of a whole district.
        for (label, formats, encodings) in [("CSV UTF-8", [TableFormat.csv], [0]), ("CSV GB18030", [.csv], [2]),
                                            ("SpreadsheetML", [.spreadsheetML], [0]), (".xlsx", [.xlsx], [0])] {
            let folder = root.appendingPathComponent("format-\(label.filter { $0.isLetter || $0.isNumber })")
            var config = SampleConfig()
            config.days = 1
            config.peopleScale = people
            config.districts = districts
            config.formats = formats
            config.csvEncodings = encodings
            config.plantProblems = false
            try generateIfMissing(config, into: folder)
            let landing = try Landing(root: folder.path)
            let files = landing.days.values.flatMap { $0 }
            let start = Date()
            let ingested = try IngestedFile.ingestAll(files, root: landing.root, reading: Self.reading)
            let seconds = Date().timeIntervalSince(start)
            let bytes = ingested.reduce(0) { $0 + $1.bytes }
            let rows = ingested.reduce(0) { $0 + $1.validated.sheets.reduce(0) { $0 + $1.rowsRead } }
            let rowsPerSecond = Double(rows) / seconds, megabytes = Double(bytes) / seconds / 1e6
            var detail = "\(rows) rows, \(bytes / 1_000_000) MB, \(String(format: "%.2f", seconds)) s"
            if label == ".xlsx" { detail += "; " + Target.atLeast(rowsPerSecond, 102_000, "rows/s (2× calamine)") }
            if label == "SpreadsheetML" { detail += "; " + Target.atLeast(megabytes, 100, "MB/s") }
            table.row(label, String(format: "%.1f MB/s", megabytes), String(format: "%.0f rows/s", rowsPerSecond), detail)
        }

        // End to end, through the real binary, in every format at once.
        var config = SampleConfig()
        config.days = days
        config.peopleScale = people
        config.districts = districts
        config.formats = [.csv, .spreadsheetML, .xlsx]
        var oneDay = config
        oneDay.days = 1
        let day1 = root.appendingPathComponent("district-1day")
        try generateIfMissing(oneDay, into: day1)
        let district = root.appendingPathComponent("district")
        try generateIfMissing(config, into: district)
        let first = config.firstDay, last = config.firstDay.adding(days: days - 1)
        let out = root.appendingPathComponent("out")
        try? FileManager.default.removeItem(at: out)
        let cold = ["--no-cache", "--landing", district.path, "--out", out.path]
        var runs: [(String, [String], Double?)] = [
            ("district day, cold (1 landing day)", ["run", "--date", "\(first)", "--no-cache", "--landing", day1.path,
                                                    "--out", out.path], 1),
            ("\(days)-day rerun, cold", ["rerun", "--from", "\(first)", "--to", "\(last)"] + cold, 15),
            ("fill the cache (\(days)-day rerun)", ["rerun", "--from", "\(first)", "--to", "\(last)", "--landing", district.path,
                                                   "--out", out.path], nil),
            ("nightly, warm (\(days) days of history)", ["run", "--date", "\(last)", "--landing", district.path, "--out", out.path], 2),
        ]
        for n in Set([1, min(10, days), days]).sorted() {
            runs.append(("memory: \(n)-day rerun, cold", ["rerun", "--from", "\(last.adding(days: 1 - n))", "--to", "\(last)"] + cold, nil))
        }
        for (label, args, target) in runs {
            let m = try measure(binary, args)
            table.row(label, String(format: "%.2f s", m.seconds), "\(m.maxRSSKiB / 1024) MiB peak",
                      target.map { Target.atMost(m.seconds, $0, "s") } ?? "")
        }

        // What the parse workers cost (issue 12): the cold day with and without them, best of three each.
        let coldDay = ["run", "--date", "\(first)", "--no-cache", "--landing", day1.path, "--out", out.path]
        let withWorkers = try (0..<3).map { _ in try measure(binary, coldDay).seconds }.min()!
        let inProcess = try (0..<3).map { _ in try measure(binary, coldDay + ["--no-workers"]).seconds }.min()!
        table.row("cold day: parse workers ÷ in process", String(format: "ratio %.3f", withWorkers / inProcess),
                  String(format: "%.2f s ÷ %.2f s", withWorkers, inProcess), Target.atMost(withWorkers / inProcess, 1.05, "ratio"))

        // Side by side with DuckDB and pandas on the same plainly typed CSV district.
        var plain = config
        plain.formats = [.csv]
        plain.csvEncodings = [0]
        plain.uniformTyping = true
        plain.plantProblems = false
        let peerData = root.appendingPathComponent("peer-csv")
        try generateIfMissing(plain, into: peerData)
        let peerOut = root.appendingPathComponent("peer-out")
        let ours = try measure(binary, ["run", "--date", "\(last)", "--no-cache", "--landing", peerData.path, "--out", peerOut.path])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: peerOut.appendingPathComponent("\(last)/summary.json")))
        table.row("bulletin on the peers' CSV (same job)", String(format: "%.2f s", ours.seconds), "\(ours.maxRSSKiB / 1024) MiB peak", "")
        for engine in ["duckdb", "pandas"] {
            let peer = try runPeer(engine, landing: peerData, date: last)
            let agree = Peer.agrees(peer, summary as! [String: Any])
            let ratio = ours.seconds / (peer["seconds"] as! Double)
            table.row("\(engine) peer (query time only)", String(format: "%.2f s", peer["seconds"] as! Double),
                      String(format: "ratio %.2f", ratio),
                      (agree ? "figures agree; " : "FIGURES DISAGREE; ") + Target.atMost(ratio, engine == "duckdb" ? 1 : 0.1, "ratio"))
        }

        // Aggregation and rendering of the last day, in process.
        let landing = try Landing(root: district.path)
        let definition = try PipelineDefinition.load("Pipelines/daily.yaml")
        let pipeline = Pipeline(landing: landing, definition: definition, pseudonyms: .testing)
        let dayFiles = try IngestedFile.ingestAll(landing.days.values.flatMap { $0 }.sorted { $0.relativePath < $1.relativePath },
                                                  root: landing.root, reading: Self.reading)
        let registryFiles = try IngestedFile.ingestAll(landing.registries.values.flatMap { $0 }, root: landing.root,
                                                       reading: Self.reading)
        var start = Date()
        let (result, _, _) = try pipeline.aggregate(date: last, registryFiles: registryFiles, dayFiles: dayFiles)
        let persons = result.summary.roster.persons
        let aggregateMS = Date().timeIntervalSince(start) * 1000
        table.row("aggregate + every rule (\(persons) people)", String(format: "%.0f ms", aggregateMS), "",
                  Target.atMost(aggregateMS, 500, "ms"))
        start = Date()
        let doc = BulletinBuilder.build(result, previous: nil, trend: [], parameters: definition.parameters,
                                        sources: .init(files: 0, rowsAccepted: 0, rowsRejected: 0, pipelineSHA256: ""))
        _ = BulletinHTML.render(doc)
        table.row("bulletin rendering (HTML)", String(format: "%.1f ms", Date().timeIntervalSince(start) * 1000), "", "")
        start = Date()
        let pdf = try BulletinPDF.render(doc, isoDate: "\(last)")
        table.row("bulletin rendering (PDF)", String(format: "%.1f ms", Date().timeIntervalSince(start) * 1000), "",
                  "\(pdf.count / 1024) KiB")
        print(table.rendered())
    }

    func generateIfMissing(_ config: SampleConfig, into folder: URL) throws {
        let stamp = folder.appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: stamp.path) { return }
        FileHandle.standardError.write(Data("generating \(folder.lastPathComponent)…\n".utf8))
        try SampleGenerator(config: config).generate(into: folder, withTruth: false)
        _ = FileManager.default.createFile(atPath: stamp.path, contents: Data())
    }

    /// Runs Benchmarks/peer.py with the project's virtual environment; its JSON output.
    func runPeer(_ engine: String, landing: URL, date: LocalDate) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ".venv/bin/python")
        p.arguments = ["Benchmarks/peer.py", "--engine", engine, "--landing", landing.path, "--date", "\(date)"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// Wall time and peak resident memory of a child process, by /usr/bin/time.
    func measure(_ binary: String, _ arguments: [String]) throws -> (seconds: Double, maxRSSKiB: Int) {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("bench-time-\(getpid())")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", "%e %M", "-o", report.path, binary] + arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let fields = try String(contentsOf: report, encoding: .utf8).split(whereSeparator: \.isWhitespace)
        return (Double(fields[0]) ?? 0, Int(fields[1]) ?? 0)
    }
}

/// How a measurement stands against the issue's target, and by how much it misses.
enum Target {
    static func atMost(_ value: Double, _ target: Double, _ unit: String) -> String {
        value <= target ? "target ≤ \(target) \(unit): met"
            : "target ≤ \(target) \(unit): missed by " + String(format: "%.1f×", value / target)
    }

    static func atLeast(_ value: Double, _ target: Double, _ unit: String) -> String {
        value >= target ? "target ≥ \(Int(target)) \(unit): met"
            : "target ≥ \(Int(target)) \(unit): missed by " + String(format: "%.1f×", target / value)
    }
}

/// The printed table: one line per measurement.
struct BenchTable {
    private var lines: [[String]] = []
    private var notes: [String] = []

    mutating func note(_ s: String) { notes.append(s) }
    mutating func row(_ cells: String...) { lines.append(cells) }

    func rendered() -> String {
        var widths = [0, 0, 0, 0]
        for l in lines { for (i, c) in l.enumerated() { widths[i] = max(widths[i], c.count) } }
        let body = lines.map { l in
            "| " + l.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        let head = "| " + ["what", "speed", "", "detail"].enumerated().map {
            $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
        return (notes.map { "# " + $0 } + [head, rule] + body).joined(separator: "\n")
    }
}

/// Compares a peer's figures with bulletin's summary.json.
enum Peer {
    static let keys = ["total", "in_city", "away", "returned", "hubei", "observation", "fever", "suspected", "confirmed"]

    static func agrees(_ peer: [String: Any], _ summary: [String: Any]) -> Bool {
        let reporting = summary["reporting"] as! [String: Any]
        let roster = summary["roster"] as! [String: Any]
        let observation = roster["under_observation"] as! [String: Any]
        guard peer["expected"] as? Int == reporting["expected"] as? Int, peer["valid"] as? Int == reporting["valid"] as? Int,
              peer["on_time"] as? Int == reporting["on_time"] as? Int, peer["persons"] as? Int == roster["persons"] as? Int,
              peer["home"] as? Int == observation["home"] as? Int, peer["central"] as? Int == observation["central"] as? Int
        else { return false }
        let groups = (summary["counts"] as! [String: Any])["by_group"] as! [String: Any]
        let peerGroups = peer["by_group"] as! [String: Any]
        for (group, value) in groups {
            let ours = value as! [String: Any]
            let theirs = peerGroups[group] as? [String: Any]
            for population in ["students", "staff"] {
                let mine = keys.map { (ours[population] as! [String: Any])[$0] as! Int }
                let other = (theirs?[population] as? [Int]) ?? Array(repeating: 0, count: 9)
                if mine != other { return false }
            }
        }
        return true
    }
}
