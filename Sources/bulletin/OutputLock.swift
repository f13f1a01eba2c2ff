import BulletinCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The lock every command that writes into an output folder takes (`<out>/.bulletin.lock`), so two
/// runs never write one folder at once. It waits a bounded time, then says who holds it.
struct OutputLock {
    private let fd: Int32

    /// Takes the lock on `out`, waiting up to `wait` seconds; throws `Exit.locked` (75) naming the holder,
    /// or `Exit.cannotWrite` (73) when the folder cannot be written at all.
    init(out: String, wait: Double) throws {
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            printError("无法创建输出目录 \(out)（\(error.localizedDescription)） / cannot create the output folder")
            throw Exit.cannotWrite
        }
        let path = (out as NSString).appendingPathComponent(".bulletin.lock")
        fd = open(path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else {
            printError("输出目录不可写：\(out)（\(String(cString: strerror(errno)))），请检查权限 / the output folder is not writable")
            throw Exit.cannotWrite
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard Date() < deadline else {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                printError("另一个 bulletin 正在写入 \(out)（\(holder ?? "持有者未知")），等待\(Int(wait))秒后放弃 / "
                           + "another bulletin holds the lock on this output folder")
                close(fd)
                throw Exit.locked
            }
            usleep(200_000)
        }
        // Who holds it, for the next one who waits.
        let note = "pid \(getpid()) started \(UTCStamp.string())\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// Lets go (also when the process ends).
    func release() { close(fd) }
}
