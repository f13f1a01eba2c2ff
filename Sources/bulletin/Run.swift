import ArgumentParser
import BulletinCore

/// `bulletin run`: publish one date.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "为一个日期生成日报结果。")

    @OptionGroup var options: RunOptions

    @Option(help: "The date to publish (YYYY-MM-DD).")
    var date: String

    func validate() throws { _ = try parseDate(date, option: "--date") }

    func run() throws {
        let d = try parseDate(date, option: "--date")
        try options.publish { _, _, _ in [d] }
    }
}
