import ArgumentParser
import BulletinCore
import BulletinIngest
import BulletinPipeline
import BulletinReport
import BulletinSample
import Foundation

/// `bulletin-bench`: the ratios of BENCHMARKS.md, each against a peer or a limit measured in the
/// same run on the same generated data (release build), then the absolute numbers behind them.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin-bench",
        abstract: "Measure bulletin against DuckDB, pandas, cat, xmllint and python-calamine on generated districts.")

    @Option(help: "Where generated data and outputs go.")
    var data = "bench-data"

    @Option(help: "district (455 institutions, ~110k people) or city (ten districts).")
    var scale = "district"

    @Flag(help: "A few minutes on a tiny district, to keep the bench from rotting.")
    var smoke = false

    @Option(help: "The built bulletin binary used for end-to-end runs.")
    var binary = ".build/release/bulletin"

    @Option(help: "Only these tables, comma-separated: readers, duckdb, nights, in-process (all by default).")
    var only: String?

    /// In-process reading under the test key: the bench measures the readers, not the worker pool.
    static let reading = IngestedFile.Reading(pseudonyms: .testing)
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Instead of the tables: ingest this landing folder in process, round after round, printing each round's seconds (to profile the readers under perf or callgrind).")
    var profileIngest: String?

    @Option(help: "Rounds of --profile-ingest.")
    var rounds = 200

    func run() throws {
        // The allocator as the command sets it in every process it runs (itself and its parse workers):
        // the in-process rows measure the stages as they run there, not under glibc's defaults.
        AllocatorTuning.forOneBatch()
        if let folder = profileIngest { return try profile(folder) }
        let days = smoke ? 8 : 30
        let bench = BenchData(root: URL(fileURLWithPath: data), people: smoke ? 0.02 : 1.0,
                              districts: scale == "city" && !smoke ? 10 : 1, days: days)
        var table = BenchTable()
        table.note("machine: \(Self.cores) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; "
                   + "scale \(smoke ? "smoke" : scale), \(days) landing days; release build; best of 3 for runs under 5 s (cold nights: of 9, warm nights: of 15, alternating); "
                   + "wall time by a monotonic clock")
        let wanted = only.map { Set($0.split(separator: ",").map(String.init)) }
        func want(_ part: String) -> Bool { wanted?.contains(part) ?? true }
        if want("readers") { try readers(bench, &table) }
        if want("duckdb") { try againstDuckDB(bench, &table) }
        if want("nights") { try nights(bench, &table) }
        if want("in-process") { try inProcess(bench, &table) }
        print(table.rendered())
    }

    /// `--profile-ingest`: the readers' ingest of `folder`'s landing days as the readers table times it, `rounds` times.
    func profile(_ folder: String) throws {
        let landing = try Landing(root: folder)
        let files = landing.days.values.flatMap { $0 }
        for _ in 0..<rounds {
            let start = Date()
            AllocatorTuning.adviseHugePages()
            let ingested = try IngestedFile.ingestAll(files, root: landing.root, reading: Self.reading)
            print(String(format: "%.6f", Date().timeIntervalSince(start)), ingested.count)
        }
    }

    /// Ingest + validation per format against the fastest reader of each format, per core.
    func readers(_ bench: BenchData, _ table: inout BenchTable) throws {
        /// Best of three, like the runs under 5 s (one run of a second on this shared machine moved by 40 %).
        func ingest(_ folder: URL) throws -> (seconds: Double, bytes: Int, rows: Int) {
            let landing = try Landing(root: folder.path)
            var best = Double.infinity, bytes = 0, rows = 0
            for _ in 0..<3 {
                let start = Date()
                AllocatorTuning.adviseHugePages()   // as the command does before it reads its landing
                let ingested = try IngestedFile.ingestAll(landing.days.values.flatMap { $0 }, root: landing.root, reading: Self.reading)
                best = min(best, Date().timeIntervalSince(start))
                bytes = ingested.reduce(0) { $0 + $1.bytes }
                rows = ingested.reduce(0) { $0 + $1.validated.sheets.reduce(0) { $0 + $1.rowsRead } }
            }
            return (best, bytes, rows)
        }
        let perCore = Double(Self.cores)
        let big = try bench.oneLargeCSV()
        let bigBytes = Double((try FileManager.default.attributesOfItem(atPath: big.path)[.size] as? Int) ?? 0)
        // DuckDB's read (its own best of three) and the two CSV days (best of three each) take turns, three
        // rounds: the ratios divide measurements of the same minutes (DuckDB's read alone moved from 248 to
        // 447 MB/s by the minute). One ingest a round was not enough: the one right after the Python process
        // ran up to a third slower.
        let csv = [("CSV UTF-8", 0, 1.2), ("CSV GB18030", 2, 0.8)]
        let folders = try csv.map { label, encoding, _ in try bench.formatDay(label.filter { $0.isLetter || $0.isNumber }, .csv, encoding: encoding) }
        var duck: [String: Any] = [:], duckSeconds = Double.infinity
        var days = Array(repeating: (seconds: Double.infinity, bytes: 0, rows: 0), count: csv.count)
        for _ in 0..<3 {
            let read = try Measure.peer(["--read-csv", big.path]).json, seconds = read["seconds"] as! Double
            if seconds < duckSeconds { (duck, duckSeconds) = (read, seconds) }
            for (i, folder) in folders.enumerated() {
                let m = try ingest(folder)
                if m.seconds < days[i].seconds { days[i] = m }
            }
        }
        let duckMBs = bigBytes / duckSeconds / 1e6
        table.row("DuckDB read_csv, one file, one thread", String(format: "%.1f MB/s", duckMBs),
                  "\(duck["rows"]!) rows, \(Int(bigBytes) / 1_000_000) MB, every column VARCHAR and produced, dialect given")
        for ((label, _, goal), m) in zip(csv, days) {
            let mbs = Double(m.bytes) / m.seconds / 1e6 / perCore
            table.row("\(label) ingest + validation", String(format: "%.1f MB/s per core", mbs),
                      "\(m.rows) rows, \(m.bytes / 1_000_000) MB in \(String(format: "%.2f", m.seconds)) s on \(Self.cores) cores")
            table.ratio("\(label) per core ÷ DuckDB read_csv (UTF-8)", mbs / duckMBs, atLeast: goal,
                        String(format: "%.1f ÷ %.1f MB/s", mbs, duckMBs))
        }
        let xml = try bench.formatDay("SpreadsheetML", .spreadsheetML)
        let xm = try ingest(xml)
        let xmllint = try Measure.tool("/usr/bin/xmllint", ["--stream", "--noout"], over: BenchData.files(under: xml))
        let xmlMBs = Double(xm.bytes) / xm.seconds / 1e6 / perCore, lintMBs = Double(xm.bytes) / xmllint / 1e6
        table.row("SpreadsheetML ingest + validation", String(format: "%.1f MB/s per core", xmlMBs),
                  "\(xm.rows) rows, \(xm.bytes / 1_000_000) MB; xmllint --stream \(String(format: "%.1f", lintMBs)) MB/s")
        table.ratio("SpreadsheetML per core ÷ xmllint --stream", xmlMBs / lintMBs, atLeast: 0.95,
                    String(format: "%.1f ÷ %.1f MB/s", xmlMBs, lintMBs))
        let xlsx = try bench.formatDay("xlsx", .xlsx)
        let xs = try ingest(xlsx)
        let listing = bench.root.appendingPathComponent("xlsx-files.txt")
        try BenchData.files(under: xlsx, suffix: ".xlsx").joined(separator: "\n").write(to: listing, atomically: true, encoding: .utf8)
        let cal = try Measure.peer(["--calamine", listing.path]).json
        let ours = Double(xs.rows) / xs.seconds / perCore, theirs = Double(cal["rows"] as! Int) / (cal["seconds"] as! Double)
        table.row(".xlsx ingest + validation", String(format: "%.0f rows/s per core", ours),
                  "\(xs.rows) rows, \(xs.bytes / 1_000_000) MB; python-calamine \(String(format: "%.0f", theirs)) rows/s")
        table.ratio(".xlsx rows/s per core ÷ python-calamine", ours / theirs, atLeast: 4, String(format: "%.0f ÷ %.0f rows/s", ours, theirs))
    }

    /// The district day on the raw CSV landing against DuckDB and pandas on the pre-cleaned copy,
    /// against `cat` of the same files, and the memory of a rerun against DuckDB's.
    func againstDuckDB(_ bench: BenchData, _ table: inout BenchTable) throws {
        let raw = try bench.rawCSV(), plain = try bench.plainCSV()
        let last = "\(SampleConfig().firstDay.adding(days: bench.days - 1))", first = "\(SampleConfig().firstDay)"
        let out = bench.root.appendingPathComponent("out-raw").path
        // The raw day and `cat` of its files take turns (three rounds): the ratio of the two is of the same minutes.
        var day = try Measure.run(binary, ["run", "--date", last, "--no-cache", "--landing", raw.path, "--out", out])
        var cat = try Measure.tool("/bin/cat", [], over: BenchData.files(under: raw), best: 1)
        for _ in 0..<2 {
            let again = try Measure.run(binary, ["run", "--date", last, "--no-cache", "--landing", raw.path, "--out", out])
            if again.seconds < day.seconds { day = again }
            cat = min(cat, try Measure.tool("/bin/cat", [], over: BenchData.files(under: raw), best: 1))
        }
        table.row("cold as-of day, raw CSV landing", String(format: "%.2f s", day.seconds),
                  "\(day.maxRSSKiB / 1024) MiB peak; \(bench.days) landing days, \(BenchData.files(under: raw).count) files")
        let onPlain = bench.root.appendingPathComponent("out-plain")
        let plainRun = try Measure.best(of: 3, binary, ["run", "--date", last, "--no-cache", "--landing", plain.path, "--out", onPlain.path])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: onPlain.appendingPathComponent("\(last)/summary.json")))
            as! [String: Any]
        table.row("cold as-of day, pre-cleaned CSV", String(format: "%.2f s", plainRun.seconds), "\(plainRun.maxRSSKiB / 1024) MiB peak")
        for engine in ["duckdb", "pandas"] {
            let peer = try Measure.peer(["--engine", engine, "--landing", plain.path, "--date", last]).json
            let seconds = peer["seconds"] as! Double
            let agree = Peer.agrees(peer, summary) ? "figures agree with bulletin's" : "FIGURES DISAGREE"
            table.row("\(engine) on the pre-cleaned CSV (query time)", String(format: "%.2f s", seconds), agree)
            table.ratio("cold day on raw CSV ÷ \(engine) on pre-cleaned", day.seconds / seconds, atMost: engine == "duckdb" ? 0.5 : 0.1,
                        String(format: "%.2f ÷ %.2f s; \(agree)", day.seconds, seconds))
        }
        table.ratio("cold day on raw CSV ÷ cat of its files", day.seconds / cat, atMost: 3, String(format: "%.2f ÷ %.2f s (page cache warm)", day.seconds, cat))
        let rerun = try Measure.run(binary, ["rerun", "--from", first, "--to", last, "--no-cache", "--landing", raw.path, "--out", out])
        let duckRerun = try Measure.peer(["--engine", "duckdb", "--landing", plain.path, "--date", last, "--every-date"])
        table.row("\(bench.days)-day rerun, raw CSV", String(format: "%.2f s", rerun.seconds), "\(rerun.maxRSSKiB / 1024) MiB peak; "
                  + "DuckDB every date: \(String(format: "%.2f", duckRerun.json["seconds"] as! Double)) s, \(duckRerun.maxRSSKiB / 1024) MiB peak")
        table.ratio("peak memory, \(bench.days)-day rerun ÷ DuckDB's", Double(rerun.maxRSSKiB) / Double(duckRerun.maxRSSKiB), atMost: 1,
                    "\(rerun.maxRSSKiB / 1024) ÷ \(duckRerun.maxRSSKiB / 1024) MiB")
    }

    /// Nights on the district in every format: cold, warm, with short and long history, and a rerun.
    func nights(_ bench: BenchData, _ table: inout BenchTable) throws {
        let district = try bench.mixed()
        let first = SampleConfig().firstDay, last = first.adding(days: bench.days - 1), fifth = first.adding(days: 4)
        let out = bench.root.appendingPathComponent("out").path
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: out + ".state")
        // The store in a state folder of the run's own, removed above: every bench starts from an empty one
        // (the default folder kept the stores of earlier benches and builds).
        let landing = ["--landing", district.path, "--out", out, "--state", out + ".state"]
        // The three runs the ratios divide, taking turns, nine rounds (the rerun was measured once: one busy
        // second of this shared machine moved its ratio by a tenth; with three rounds, two benches in a busy
        // hour read the cold day 0.93 s where runs from a shell read 0.75–0.79; with five, one round's
        // workers ÷ in process ranged 0.80–1.91 in the noisiest hour, and the median of five moved by 0.1).
        let coldRounds = try Measure.rounds(9, binary, [
            ["run", "--date", "\(last)", "--no-cache"] + landing,
            ["run", "--date", "\(last)", "--no-cache", "--no-workers"] + landing,
            ["rerun", "--from", "\(first)", "--to", "\(last)", "--no-cache"] + landing,
        ])
        let (cold, inProcess, rerun) = (Measure.best(coldRounds, 0), Measure.best(coldRounds, 1), Measure.best(coldRounds, 2))
        _ = try Measure.run(binary, ["rerun", "--from", "\(first)", "--to", "\(last)"] + landing)   // fills the store
        // The night of the fifth day on the landing as it stood then (its own folders: the first night on
        // them records their files' stamps in the store, as the rerun did for the whole landing).
        let early = ["--landing", try bench.mixed(asOfDay: 5).path, "--out", out, "--state", out + ".state"]
        _ = try Measure.run(binary, ["run", "--date", "\(fifth)"] + early)
        // Warm nights are a tenth of a second: fifteen rounds, alternating, so that a busy moment of this
        // shared machine falls on both (with five, one busy second moved the ratio by a tenth; with nine,
        // the rounds' own ratios ranged 0.84–2.10).
        let warmRounds = try Measure.rounds(15, binary, [["run", "--date", "\(last)"] + landing, ["run", "--date", "\(fifth)"] + early])
        let warm = Measure.best(warmRounds, 0), warmFifth = Measure.best(warmRounds, 1)
        table.row("cold as-of day, every format", String(format: "%.2f s", cold.seconds),
                  "\(cold.maxRSSKiB / 1024) MiB peak; \(BenchData.files(under: district).count) files; in process "
                  + String(format: "%.2f s", inProcess.seconds))
        table.row("\(bench.days)-day rerun, cold, every format", String(format: "%.2f s", rerun.seconds), "\(rerun.maxRSSKiB / 1024) MiB peak")
        table.row("warm night, \(bench.days) / 5 days of history", String(format: "%.3f / %.3f s", warm.seconds, warmFifth.seconds),
                  "\(warm.maxRSSKiB / 1024) / \(warmFifth.maxRSSKiB / 1024) MiB peak; best of fifteen each")
        table.ratio("warm night ÷ cold day (every format)", warm.seconds / cold.seconds, atMost: 0.15,
                    String(format: "%.3f ÷ %.2f s, the best runs", warm.seconds, cold.seconds))
        // The ratios of runs measured in rounds: the median of the rounds' own ratios (`pairedRatio`).
        func paired(_ rounds: [[Measure.Run]], _ a: Int, _ b: Int, _ format: String) -> String {
            String(format: format + "; best runs %.2f (%.3f ÷ %.3f s)", rounds.count, Measure.best(rounds, a).seconds / Measure.best(rounds, b).seconds,
                   Measure.best(rounds, a).seconds, Measure.best(rounds, b).seconds)
        }
        table.ratio("warm night, \(bench.days) ÷ 5 days of history", Measure.pairedRatio(warmRounds, 0, 1), atMost: 1.3,
                    paired(warmRounds, 0, 1, "median of %d rounds"))
        table.ratio("\(bench.days)-day cold rerun ÷ cold day", Measure.pairedRatio(coldRounds, 2, 0), atMost: 2,
                    paired(coldRounds, 2, 0, "median of %d rounds"))
        table.ratio("cold day: parse workers ÷ in process", Measure.pairedRatio(coldRounds, 0, 1), atMost: 1.05,
                    paired(coldRounds, 0, 1, "median of %d rounds"))
    }

    /// Aggregation and rendering of the last day, in process.
    func inProcess(_ bench: BenchData, _ table: inout BenchTable) throws {
        let landing = try Landing(root: try bench.mixed().path)
        let last = SampleConfig().firstDay.adding(days: bench.days - 1)
        let definition = try PipelineDefinition.load("Pipelines/daily.yaml")
        let pipeline = Pipeline(landing: landing, definition: definition, pseudonyms: .testing)
        let dayFiles = try IngestedFile.ingestAll(landing.days.values.flatMap { $0 }.sorted { $0.relativePath < $1.relativePath },
                                                  root: landing.root, reading: Self.reading)
        let registryFiles = try IngestedFile.ingestAll(landing.registries.values.flatMap { $0 }, root: landing.root,
                                                       reading: Self.reading)
        var start = Date()
        let (result, _, _) = try pipeline.aggregate(date: last, registryFiles: registryFiles, dayFiles: dayFiles)
        table.row("aggregate + every rule (\(result.summary.roster.persons) people)",
                  String(format: "%.0f ms", Date().timeIntervalSince(start) * 1000))
        start = Date()
        let doc = BulletinBuilder.build(result, previous: nil, trend: [], parameters: definition.parameters,
                                        sources: .init(files: 0, rowsAccepted: 0, rowsRejected: 0, pipelineSHA256: ""))
        _ = BulletinHTML.render(doc)
        table.row("bulletin rendering (HTML)", String(format: "%.1f ms", Date().timeIntervalSince(start) * 1000))
        // The first PDF of a process loads the fonts; a rerun's later dates render as the second does.
        var pdfMillis: [Double] = []
        var pdf: [UInt8] = []
        for _ in 0..<2 {
            start = Date()
            pdf = try BulletinPDF.render(doc, isoDate: "\(last)")
            pdfMillis.append(Date().timeIntervalSince(start) * 1000)
        }
        table.row("bulletin rendering (PDF), first / again", String(format: "%.1f / %.1f ms", pdfMillis[0], pdfMillis[1]),
                  "\(pdf.count / 1024) KiB")
    }
}
