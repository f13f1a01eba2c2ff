import ArgumentParser
import BulletinCore

/// `bulletin rerun`: publish every date of a range, ingesting each file once.
struct Rerun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rerun", abstract: "重新生成一段日期的结果。")

    @OptionGroup var options: RunOptions

    @Option(help: "First date (YYYY-MM-DD).")
    var from: String

    @Option(help: "Last date (YYYY-MM-DD), inclusive.")
    var to: String

    func validate() throws {
        let a = try parseDate(from, option: "--from"), b = try parseDate(to, option: "--to")
        guard a <= b else { throw ValidationError("--from 不能晚于 --to") }
    }

    func run() throws {
        let a = try parseDate(from, option: "--from"), b = try parseDate(to, option: "--to")
        try options.publish { _, _, _ in (0...b.days(since: a)).map { a.adding(days: $0) } }
    }
}
