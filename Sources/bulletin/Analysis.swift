import ArgumentParser
import BulletinCore
import BulletinPipeline
import Foundation

/// `bulletin export`: every published date of a range in one table, for DuckDB, pandas or sqlite3.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出一段日期的各机构日报（reports.csv）与汇总（summary.json 的长表），供分析使用。")

    @Option(help: "The output folder the dates were published into.")
    var out: String

    @Option(help: "First date (YYYY-MM-DD).")
    var from: String

    @Option(help: "Last date (YYYY-MM-DD).")
    var to: String

    @Option(name: .customLong("to-file"), help: "The file to write (CSV: also <stem>.summary.csv beside it).")
    var toFile: String

    @Option(help: "csv or sqlite.")
    var format: String = "csv"

    func validate() throws {
        let a = try parseDate(from, option: "--from"), b = try parseDate(to, option: "--to")
        guard a <= b else { throw ValidationError("--from 不能晚于 --to") }
        guard Exporter.Format(rawValue: format) != nil else { throw ValidationError("--format 应为 csv 或 sqlite") }
    }

    func run() throws {
        let outcome: Exporter.Outcome
        do {
            outcome = try Exporter.export(out: URL(fileURLWithPath: out), from: try parseDate(from, option: "--from"),
                                          to: try parseDate(to, option: "--to"), file: toFile, format: Exporter.Format(rawValue: format)!)
        } catch {
            printError("导出失败 / export failed: \(error)")
            throw Exit.cannotWrite
        }
        for date in outcome.missing { printError("\(date)：未找到已发布的 reports.csv，已跳过 / not published, skipped") }
        guard !outcome.dates.isEmpty else {
            printError("\(out) 中 \(from)…\(to) 没有已发布的日期 / nothing published in the range")
            throw Exit.noInput
        }
        print("\(outcome.files.joined(separator: "、"))：\(outcome.dates.count)天，\(outcome.reportRows)行")
    }
}

/// `bulletin diff`: what changed between two publications of the same date.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "比较同一日期的两次发布：汇总数字、异常事项与流程参数的差别。",
        discussion: "Exit 0 when the two are the same, 1 when they differ.")

    @Argument(help: "The first date folder (<out>/<date>), or an output folder with --date.")
    var old: String

    @Argument(help: "The second date folder, or an output folder with --date.")
    var new: String

    @Option(help: "The date, when OLD and NEW are output folders.")
    var date: String?

    func validate() throws { if let date { _ = try parseDate(date, option: "--date") } }

    func run() throws {
        func folder(_ path: String) -> URL {
            let url = URL(fileURLWithPath: path)
            return date.map { url.appendingPathComponent($0) } ?? url
        }
        let diff: OutputDiff
        do { diff = try OutputDiff(old: try PublishedDay(folder: folder(old)), new: try PublishedDay(folder: folder(new))) } catch {
            printError("\(error)")
            throw Exit.noInput
        }
        if diff.isEmpty {
            say("两次发布相同 / identical")
            return
        }
        if !diff.parameters.isEmpty {
            say("流程参数（\(diff.parameters.count)处不同） / pipeline parameters:")
            for p in diff.parameters { say("  \(p.key): \(p.old) → \(p.new)") }
        }
        if !diff.summary.isEmpty {
            say("summary.json（\(diff.summary.count)处不同）:")
            for s in diff.summary { say("  \(s.key): \(s.old) → \(s.new)") }
        }
        if !diff.added.isEmpty || !diff.removed.isEmpty {
            say("anomalies.csv（新增\(diff.added.count)行，减少\(diff.removed.count)行）:")
            for r in diff.byRule { say("  \(r.rule): +\(r.added) −\(r.removed)") }
            for row in diff.added.prefix(50) { say("  + " + row.joined(separator: ",")) }
            for row in diff.removed.prefix(50) { say("  − " + row.joined(separator: ",")) }
        }
        throw Exit.rejected
    }
}
