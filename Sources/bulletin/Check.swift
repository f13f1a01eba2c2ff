import ArgumentParser
import BulletinCore
import BulletinIngest
import BulletinPipeline
import BulletinValidate
import Foundation

/// `bulletin check`: what a school runs before sending — the night's own reading, rejects and
/// file-local rules on each file, every problem of a row with its cell, and what was read.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "报送前检查文件：按夜间运行的同样规则，列出每个问题（工作表、单元格、原因、应如何填写）。",
        discussion: "Exit 0 when nothing would be rejected and no error or critical rule fires (warnings allowed), 1 otherwise.")

    @Argument(help: "Files or folders to check (CSV, XML Spreadsheet 2003, .xlsx, .xls); folders are walked.")
    var paths: [String]

    @Option(help: "The registry to judge against (unknown codes, names, enrolment, training institutions).")
    var registry: String?

    @Option(help: "A landing folder whose registry in force on --date to judge against.")
    var landing: String?

    @Option(help: "The day the files should be for (YYYY-MM-DD). Default: today in the pipeline's time zone.")
    var date: String?

    @Option(help: "The pipeline definition (deadline, thresholds). Default: as for run.")
    var pipeline: String?

    @Flag(help: "Print one JSON document (see README, \"check --json\") instead of text.")
    var json = false

    func validate() throws {
        if let date { _ = try parseDate(date, option: "--date") }
        if registry != nil && landing != nil { throw ValidationError("--registry 与 --landing 只能选一个") }
    }

    func run() throws {
        let definition: PipelineDefinition
        do { definition = try PipelineDefinition.load(pipeline ?? RunOptions.defaultPipelinePath) } catch {
            printError("\(error)")
            throw Exit.badDefinition
        }
        let parameters = definition.parameters
        let expected = try date.map { try parseDate($0, option: "--date") } ?? LocalDate.today(in: parameters.timeZone)
        let pool = ParseWorkerPool.ofThisExecutable()
        _ = pool.fork(ProcessInfo.processInfo.activeProcessorCount)   // while this process runs one thread
        let parser = FileParser.workers(pool)
        // check keeps nothing: a key of its own, forgotten when it ends.
        let pseudonyms = Pseudonymizer(key: (0..<32).map { _ in UInt8.random(in: 0...255) })
        let known = try registryInForce(on: expected, parser: parser, pseudonyms: pseudonyms)

        let inputs = CheckInputs.files(paths)
        // Files are judged on all cores, 16 to a batch for the workers; the report keeps their order.
        let chunk = 16
        nonisolated(unsafe) var slots = [CheckReport?](repeating: nil, count: inputs.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: (inputs.count + chunk - 1) / chunk) { c in
            let range = (c * chunk)..<min(inputs.count, (c + 1) * chunk)
            var judged: [(Int, CheckReport)] = [], requests: [(Int, ParseRequest)] = []
            for i in range {
                let input = inputs[i]
                if let refusal = input.refusal {
                    judged.append((i, CheckReport(path: input.path, unreadable: refusal)))
                } else if let format = TableFormat(fileName: input.path), let bytes = FileName.contents(input.bytes) {
                    requests.append((i, ParseRequest(bytes: bytes, source: input.path, format: format, year: expected.year)))
                } else {
                    judged.append((i, CheckReport(path: input.path, unreadable: "无法打开（权限不足或已被删除） / cannot open")))
                }
            }
            for ((i, _), parsed) in zip(requests, parser.parse(requests.map(\.1), pseudonyms: pseudonyms)) {
                let file = parsed.complete
                let verdict = FileCheck.judge(file, registry: known, parameters: parameters)
                judged.append((i, CheckReport(path: inputs[i].path, file: file, verdict: verdict, expected: expected,
                                              parameters: parameters)))
            }
            lock.lock()
            for (i, report) in judged { slots[i] = report }
            lock.unlock()
        }
        let reports = slots.map { $0! }
        let ok = reports.allSatisfy(\.passes)
        if json {
            print(CheckReport.json(reports, expected: expected, ok: ok))
        } else {
            for r in reports { for line in r.lines { say(line) } }
        }
        if !ok { throw Exit.rejected }
    }

    /// The registry `--registry` or `--landing` names, or nil to judge without one.
    private func registryInForce(on day: LocalDate, parser: FileParser, pseudonyms: Pseudonymizer) throws -> [String: Institution]? {
        if let registry {
            guard let format = TableFormat(fileName: registry), let bytes = FileName.contents(Array(registry.utf8)) else {
                printError("无法读取名录 \(registry) / cannot read the registry")
                throw Exit.noInput
            }
            let file = parser.parse(bytes, source: registry, format: format, year: day.year, pseudonyms: pseudonyms).complete
            let institutions = file.institutions
            guard !institutions.isEmpty else {
                printError("名录 \(registry) 中没有可用的机构行 / the registry holds no usable institution")
                throw Exit.noInput
            }
            return FileCheck.registry(of: file)
        }
        guard let landing else { return nil }
        do {
            let folder = try Landing(root: landing)
            let reading = IngestedFile.Reading(parser: parser, cache: nil, pseudonyms: pseudonyms)
            let revisions = folder.registries.keys.filter { $0 <= day }.sorted().flatMap { folder.registries[$0]! }
            let ingested = try IngestedFile.ingestAll(revisions, root: folder.root, reading: reading)
            guard let chosen = FileCheck.registryInForce(on: day, landing: folder, ingested: ingested, reading: reading) else {
                printError("\(landing) 中没有 \(day) 及以前可用的名录 / no usable registry up to \(day)")
                throw Exit.noInput
            }
            return chosen
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("\(error)")
            throw Exit.noInput
        }
    }
}
