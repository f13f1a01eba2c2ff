import ArgumentParser
import BulletinCore
import BulletinIngest
import BulletinPipeline
import BulletinReport
import BulletinSample
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
            let ingested = try IngestedFile.ingestAll(files, root: landing.root)
            let seconds = Date().timeIntervalSince(start)
            let bytes = ingested.reduce(0) { $0 + $1.bytes }
            let rows = ingested.reduce(0) { $0 + $1.validated.sheets.reduce(0) { $0 + $1.rowsRead } }
            table.row(label, String(format: "%.1f MB/s", Double(bytes) / seconds / 1e6),
                      String(format: "%.0f rows/s", Double(rows) / seconds),
                      "\(rows) rows, \(bytes / 1_000_000) MB, \(String(format: "%.2f", seconds)) s")
        }

        // End to end, through the real binary: one day, then the whole period; peak memory of each.
        var config = SampleConfig()
        config.days = days
        config.peopleScale = people
        config.districts = districts
        config.formats = [.csv, .spreadsheetML, .xlsx]
        let district = root.appendingPathComponent("district")
        try generateIfMissing(config, into: district)
        let first = config.firstDay, last = config.firstDay.adding(days: days - 1)
        let out = root.appendingPathComponent("out")
        for (label, args) in [("district day (end to end)", ["run", "--date", "\(last)"]),
                              ("\(days)-day rerun (end to end)", ["rerun", "--from", "\(first)", "--to", "\(last)"]),
                              ("1-day rerun (memory check)", ["rerun", "--from", "\(last)", "--to", "\(last)"]),
                              ("\(min(10, days))-day rerun (memory check)",
                               ["rerun", "--from", "\(last.adding(days: -(min(10, days) - 1)))", "--to", "\(last)"])] {
            let m = try measure(binary, args + ["--landing", district.path, "--out", out.path])
            table.row(label, String(format: "%.2f s", m.seconds), "\(m.maxRSSKiB / 1024) MiB peak", "")
        }

        // Aggregation and rendering of the last day, in process.
        let landing = try Landing(root: district.path)
        let definition = try PipelineDefinition.load("Pipelines/daily.yaml")
        let pipeline = Pipeline(landing: landing, definition: definition)
        let dayFiles = try IngestedFile.ingestAll(landing.days.values.flatMap { $0 }, root: landing.root)
        let registryFiles = try IngestedFile.ingestAll(landing.registries.values.flatMap { $0 }, root: landing.root)
        var start = Date()
        let (result, _, _) = try pipeline.aggregate(date: last, registryFiles: registryFiles, dayFiles: dayFiles)
        let persons = result.summary.roster.persons
        table.row("aggregate + every rule (\(persons) people)", String(format: "%.0f ms", Date().timeIntervalSince(start) * 1000), "", "")
        start = Date()
        let doc = BulletinBuilder.build(result, previous: nil, trend: [], parameters: definition.parameters,
                                        sources: .init(files: 0, rowsAccepted: 0, rowsRejected: 0, pipelineSHA256: ""))
        _ = BulletinHTML.render(doc)
        table.row("bulletin rendering (HTML)", String(format: "%.1f ms", Date().timeIntervalSince(start) * 1000), "", "")
        print(table.rendered())
    }

    func generateIfMissing(_ config: SampleConfig, into folder: URL) throws {
        let stamp = folder.appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: stamp.path) { return }
        FileHandle.standardError.write(Data("generating \(folder.lastPathComponent)…\n".utf8))
        try SampleGenerator(config: config).generate(into: folder, withTruth: false)
        FileManager.default.createFile(atPath: stamp.path, contents: Data())
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
