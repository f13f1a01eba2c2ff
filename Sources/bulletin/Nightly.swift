import ArgumentParser
import BulletinCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `bulletin nightly`: publish the newest landing day; made for cron, with a lock against overlap.
struct Nightly: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nightly", abstract: "生成最新接收日的结果（供定时任务使用）。")

    @OptionGroup var options: RunOptions

    @Option(help: "Today (YYYY-MM-DD), for tests and catching up. Default: today in the pipeline's time zone.")
    var today: String?

    func validate() throws { if let today { _ = try parseDate(today, option: "--today") } }

    func run() throws {
        try options.publish { landing, definition, log in
            let now = try today.map { try parseDate($0, option: "--today") } ?? LocalDate.today(in: definition.parameters.timeZone)
            let future = landing.days.keys.filter { $0 > now }.sorted()
            if !future.isEmpty {
                log.write("warning=忽略晚于今天（\(now)）的接收目录：\(future.map(\.description).joined(separator: "、")) / "
                           + "ignored landing folders dated after today")
            }
            guard let newest = landing.days.keys.filter({ $0 <= now }).max() else {
                log.write("error=接收目录中没有今天（\(now)）及以前的日期目录 / no landing day up to today in \(options.landing)")
                throw Exit.noInput
            }
            return [newest]
        }
    }
}
