import ArgumentParser
import BulletinCore
import BulletinPipeline
import BulletinReport
import BulletinValidate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Options every publishing command shares.
struct RunOptions: ParsableArguments {
    @Option(help: "The landing folder (registry/ and one folder per landing day).")
    var landing: String

    @Option(help: "The output folder; each date is published into <out>/<YYYY-MM-DD>/.")
    var out: String

    @Option(help: "The pipeline definition. Default: <prefix>/share/bulletin/daily.yaml beside the installed binary, else Pipelines/daily.yaml.")
    var pipeline: String?

    /// The definition to load: as given, else the installed default beside the binary, else the source tree's.
    var pipelinePath: String { pipeline ?? RunOptions.defaultPipelinePath }

    /// The installed default beside the binary, else the source tree's.
    static var defaultPipelinePath: String {
        let binary = URL(fileURLWithPath: ThisExecutable.path)
        let installed = binary.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/bulletin/daily.yaml")
        return FileManager.default.fileExists(atPath: installed.path) ? installed.path : "Pipelines/daily.yaml"
    }

    @Flag(help: "Final view: also read landing days after the date (late arrivals count, as late).")
    var final = false

    @Option(help: "The ingest cache (SQLite), keyed by each file's SHA-256. Default: <state>/ingest.sqlite.")
    var cache: String?

    @Option(help: "The state folder (pseudonym key and ingest cache), kept private (0700). Default: $BULLETIN_STATE_DIR, $XDG_STATE_HOME/bulletin or ~/.local/state/bulletin.")
    var state: String?

    @Option(help: "The bureau's pseudonym key file (made on first use, 0600). Default: <state>/bureau.key.")
    var key: String?

    @Flag(help: "Parse every file, without reading or writing the ingest cache.")
    var noCache = false

    @Flag(help: "Read files in this process instead of isolated worker processes (faster to debug; one hostile file can then stop the run).")
    var noWorkers = false

    @Flag(help: "Publish a date on which no file arrived (by default refused with exit 66).")
    var allowEmpty = false

    @Option(help: "Seconds to wait for another run's lock on the output folder before giving up (exit 75).")
    var waitLock: Double = 30

    /// Loads the definition and landing, takes the output folder's lock, runs `dates`, and maps
    /// failures to documented exit codes.
    func publish(_ pick: (Landing, PipelineDefinition, RunLog) throws -> [LocalDate]) throws {
        // The workers are forked now, while this process runs one thread: cheap enough for a night that
        // may parse nothing new (they are let go once the landing is read). Where they cannot be, they
        // are started now only for a run sure to parse (without a store every file is); with a store,
        // when a file needs them.
        let workers = noWorkers ? nil : ParseWorkerPool.ofThisExecutable()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let workers, !workers.fork(cores), noCache { workers.start(cores) }
        let outURL = URL(fileURLWithPath: out)
        let log = RunLog(folder: outURL)
        /// A failure before anything is published: stderr and run.log, then the exit code.
        func stop(_ message: String, _ exit: ExitCode) -> ExitCode {
            log.write("error=\(message)")
            return exit
        }
        // The landing is listed on a third thread while the definition loads (each a few milliseconds of a
        // warm night's start); an unusable definition is still reported first.
        let landingPath = landing
        let listing = Concurrently.start { Result { try Landing(root: landingPath) } }
        let definition: PipelineDefinition
        let pipeline = pipelinePath
        do { definition = try PipelineDefinition.load(pipeline) } catch { throw stop("\(error)", Exit.badDefinition) }
        // Whether a font shows Chinese, when the PDF is asked for, is asked whenever a core is idle until the
        // first date publishes (loading fontconfig's configuration was a tenth of a warm night's start,
        // held back the listing and the store's opening beside it, and was waited for). Its libraries load
        // after the listing's thread has started: loading holds the lock a new thread takes, for 8 ms. The
        // command never ends while it runs (pango must not be at work as the process exits).
        let chineseFont = definition.parameters.outputs.contains(.bulletinPDF)
            ? Concurrently.whenIdle(after: { _ = BulletinPDF.librariesMissing }) { BulletinPDF.canShowChinese } : nil
        defer { _ = chineseFont?.value }
        let landingFolder: Landing
        do { landingFolder = try listing.value.get() } catch { throw stop("\(error)", Exit.noInput) }
        let dates = try pick(landingFolder, definition, log)
        if !allowEmpty, dates.count == 1, let d = dates.first, (landingFolder.days[d] ?? []).isEmpty {
            throw stop("\(d) 没有收到任何文件，不发布空日报（确需发布请加 --allow-empty） / no files arrived for \(d)", Exit.noInput)
        }
        if let first = dates.min(), first < definition.parameters.firstDay {
            throw stop("\(pipeline)：first_day \(definition.parameters.firstDay) 晚于发布日期 \(first)（期号将为负）；请改正 first_day / "
                       + "first_day is after the date published", Exit.badDefinition)
        }
        let started = Date()
        let lock = try OutputLock(out: out, wait: waitLock)
        defer { lock.release() }
        for note in landingFolder.notes { log.write("warning=\(note)") }
        let oldCache = outURL.appendingPathComponent(".cache")
        if FileManager.default.fileExists(atPath: oldCache.path) {
            log.write("warning=旧版缓存 \(oldCache.path) 含明文身份证号且位于发布目录中，已不再使用，请删除 "
                      + "/ the old cache inside the output folder holds ID numbers in the clear and is no longer used: delete it")
        }
        let ingestCache: IngestCache?
        let pseudonyms: Pseudonymizer
        do {
            let stateFolder = try StateFolder(self.state)
            pseudonyms = try stateFolder.pseudonymizer(keyFile: key)
            ingestCache = noCache ? nil : IngestCache.openOrRebuild(path: cache.map { URL(fileURLWithPath: $0) } ?? stateFolder.cache,
                                                                    pseudonyms: pseudonyms, log: { log.write($0) })
        } catch {
            throw stop("无法打开状态目录或缓存 / cannot open the state folder or cache: \(error)", Exit.cannotWrite)
        }
        // Asked only before the first date is published: cairo, pango and fontconfig load on the other
        // thread while the landing is read (waiting for them here held a warm night's start 9 ms).
        let fontCheck: () throws -> Void = {
            guard let chineseFont, !chineseFont.value else { return }
            throw NoChineseFont(message: BulletinPDF.librariesMissing
                ?? "本机没有可显示中文的字体，PDF 日报将无法阅读；请安装 Debian 软件包 fonts-wqy-microhei（或 fonts-noto-cjk）后重试 / "
                + "no CJK font: apt-get install fonts-wqy-microhei")
        }
        let terminal = isatty(STDERR_FILENO) == 1 && dates.count > 1
        do {
            var night = Pipeline(landing: landingFolder, definition: definition, finalView: final, cache: ingestCache,
                                 parser: workers.map { .workers($0) } ?? .inProcess, pseudonyms: pseudonyms,
                                 warn: { log.write($0) })
            night.leavesInputsToExit = true   // the command ends with the run
            let progress: @Sendable (Int, Int) -> Void = { done, total in
                guard terminal else { return }
                let width = 30, filled = width * done / total
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total)\(done == total ? "\n" : "")".utf8))
            }
            let outcomes = try night.run(dates: dates, out: outURL, beforePublishing: fontCheck,
                                         log: { log.write($0, echo: !terminal) }, progress: progress)
            report(outcomes, out: outURL, log: log)
            log.write(RunOptions.summaryLine(outcomes, seconds: Date().timeIntervalSince(started)))
        } catch PipelineError.partial(let published, let failures) {
            // The dates that could be published are; each one that could not is named, and the exit says so.
            report(published, out: outURL, log: log)
            for (date, error) in failures { log.write("error=\(date) 未发布 / not published: \(error)") }
            log.write(RunOptions.summaryLine(published, seconds: Date().timeIntervalSince(started))
                      + " failed=\(failures.count)")
            throw failures.contains { ($0.error as? PipelineError)?.isNoRegistry != true } ? Exit.cannotWrite : Exit.noInput
        } catch let missing as NoChineseFont {
            throw stop(missing.message, Exit.unavailable)
        } catch {
            throw stop("结果未能写出 / the outputs could not be written: \(error)", Exit.cannotWrite)
        }
    }
}

extension RunOptions {
    /// One line per published date on stdout.
    func report(_ outcomes: [Pipeline.DayOutcome], out: URL, log: RunLog) {
        for o in outcomes {
            print("\(o.date): 应报\(o.summary.reporting.expected) 有效\(o.summary.reporting.valid) "
                  + "异常\(o.anomalies) 退回\(o.rejects) → \(out.appendingPathComponent(o.date.description).path)")
        }
        // Late reports are named for the newest date only: that is the night they arrived.
        for o in outcomes where o.date == outcomes.map(\.date).max() {
            for (date, count) in o.lateArrivals.sorted(by: { $0.key < $1.key }) {
                log.write("warning=迟报：\(o.date) 收到 \(date) 的日报\(count)家，\(date) 已按当时收到的发布、未计入；"
                          + "计入请运行 bulletin rerun --from \(date) --to \(date) --final / late reports for \(date) arrived "
                          + "on \(o.date): its published bulletin does not count them")
            }
        }
    }

    /// The run's last line: what was published, read, rejected and flagged, and how long it took.
    static func summaryLine(_ outcomes: [Pipeline.DayOutcome], seconds: Double) -> String {
        let dates = outcomes.map(\.date).sorted()
        let range = dates.count > 1 ? "\(dates.first!)…\(dates.last!)" : dates.first.map(\.description) ?? "-"
        let severities = Severity.allCases.map { s in "\(s.rawValue)=\(outcomes.reduce(0) { $0 + ($1.summary.anomaliesBySeverity[s] ?? 0) })" }
        return "summary=完成 / done dates=\(dates.count) (\(range)) files=\(outcomes.map(\.files).max() ?? 0) "
            + "rejects=\(outcomes.reduce(0) { $0 + $1.rejects }) anomalies=\(outcomes.reduce(0) { $0 + $1.anomalies }) "
            + severities.joined(separator: " ") + " seconds=\((seconds * 1000).rounded() / 1000)"
    }
}

/// Writes a line of a command's report to stdout, scrubbed of personal numbers.
func say(_ line: String) { print(Masking.scrub(line)) }

/// Writes a failure to stderr, scrubbed of personal numbers.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("bulletin: \(Masking.scrub(message))\n".utf8))
}

func parseDate(_ text: String, option: String) throws -> LocalDate {
    guard let d = LocalDate(iso: text) else { throw ValidationError("\(option) 应为 YYYY-MM-DD，而不是“\(text)”") }
    return d
}

/// One structured line per stage, to stderr and to `<out>/run.log` (timings stay out of the outputs).
/// Safe to call from the threads that publish dates.
final class RunLog: Sendable {
    let folder: URL
    private let lock = NSLock()

    init(folder: URL) { self.folder = folder }

    /// Appends `line` to run.log and, when `echo`, to stderr (a progress bar replaces the echo on a terminal).
    func write(_ line: String, echo: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        let stamped = "\(UTCStamp.string()) \(Masking.scrub(line))\n"
        if echo { FileHandle.standardError.write(Data(stamped.utf8)) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("run.log")
        if let h = try? FileHandle(forWritingTo: url) {
            h.seekToEndOfFile()
            h.write(Data(stamped.utf8))
            try? h.close()
        } else {
            try? Data(stamped.utf8).write(to: url)
        }
    }
}

/// The bulletin's PDF cannot be drawn legibly on this machine (no font shows Chinese, or no cairo and
/// pango): the run publishes nothing and exits 69 with `message`.
private struct NoChineseFont: Error {
    let message: String
}
