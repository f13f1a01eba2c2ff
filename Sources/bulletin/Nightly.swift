import ArgumentParser
import BulletinCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `bulletin nightly`: publish the newest landing day; made for cron, with a lock against overlap.
struct Nightly: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "生成最新接收日的结果（供定时任务使用）。")

    @OptionGroup var options: RunOptions

    func run() throws {
        try FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
        let lockPath = (options.out as NSString).appendingPathComponent(".bulletin.lock")
        let fd = open(lockPath, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            printError("另一个 bulletin 正在写入 \(options.out)，本次不运行")
            throw Exit.locked
        }
        defer { close(fd) }
        try options.publish { landing in
            guard let newest = landing.newestDay else { throw Exit.noInput }
            return [newest]
        }
    }
}
