import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a date's outputs aside, then swaps them into place in one step (Linux
/// `renameat2(RENAME_EXCHANGE)`), so a reader — or a run killed at any point — sees the previous
/// complete set or the new complete set, never a mix and never none.
enum OutputWriter {
    /// A date's folder being written aside: its files are written (from any thread) as they are made,
    /// then `publish` swaps the folder in; `abandon` removes it when the date cannot be published.
    final class Staging: Sendable {
        private let out: URL, final: URL, folder: URL, date: String

        /// Makes the staging folder for `date` in `out`.
        init(into out: URL, date: String) throws {
            let pid = ProcessInfo.processInfo.processIdentifier
            (self.out, self.date) = (out, date)
            folder = out.appendingPathComponent(".\(date).staging-\(pid)")
            final = out.appendingPathComponent(date)
            let fm = FileManager.default
            do {
                try fm.createDirectory(at: out, withIntermediateDirectories: true)
                try? fm.removeItem(at: folder)
                try fm.createDirectory(at: folder, withIntermediateDirectories: false)
            } catch {
                throw failure(error)
            }
        }

        /// Writes `files` into the staging folder, each flushed to the disk.
        func write(_ files: [(name: String, bytes: [UInt8])]) throws {
            do {
                for f in files { try OutputWriter.writeDurably(f.bytes, to: folder.appendingPathComponent(f.name).path) }
            } catch {
                throw failure(error)
            }
        }

        /// Swaps the staged folder in for the published one.
        func publish() throws {
            let fm = FileManager.default
            do {
                OutputWriter.syncFolder(folder.path)
                FaultInjection.killIfAsked(at: "staged")
                if fm.fileExists(atPath: final.path) {
                    // One step: the new folder takes the old one's name, the old one the staging name.
                    if OutputWriter.exchange(folder.path, final.path) {
                        OutputWriter.syncFolder(out.path)
                        FaultInjection.killIfAsked(at: "exchanged")
                        try? fm.removeItem(at: folder)
                        return
                    }
                    // A file system without RENAME_EXCHANGE: two renames, the old folder kept until the new is in.
                    let pid = ProcessInfo.processInfo.processIdentifier
                    let retired = out.appendingPathComponent(".\(date).retired-\(pid)")
                    try? fm.removeItem(at: retired)
                    try fm.moveItem(at: final, to: retired)
                    try fm.moveItem(at: folder, to: final)
                    try? fm.removeItem(at: retired)
                } else {
                    try fm.moveItem(at: folder, to: final)
                }
                OutputWriter.syncFolder(out.path)
            } catch {
                throw failure(error)
            }
        }

        /// Removes the staging folder: nothing of the date is published.
        func abandon() {
            try? FileManager.default.removeItem(at: folder)
        }

        private func failure(_ error: Error) -> PipelineError {
            abandon()
            return PipelineError.cannotPublish(detail: "无法写出\(date)的结果：\(error) / cannot publish \(date)")
        }
    }

    /// Writes `bytes` to a new file at `path` and flushes it to the disk, so a power cut after the swap
    /// never leaves a published file empty.
    private static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError.cannotPublish(detail: "\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw PipelineError.cannotPublish(detail: "\(path): \(String(cString: strerror(errno)))") }
            written += n
        }
        guard fsync(fd) == 0 else { throw PipelineError.cannotPublish(detail: "\(path): \(String(cString: strerror(errno)))") }
    }

    /// Flushes a folder's entries (new names, renames) to the disk.
    private static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Removes what killed runs left in `out` (staging folders), putting back a published folder that a
    /// run killed between two renames left only under its retired name. Call with the lock held.
    static func cleanLeftovers(in out: URL) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: out.path) else { return }
        for name in names where name.hasPrefix(".") && name.contains(".retired-") {
            let date = String(name.dropFirst().prefix { $0 != "." })
            let final = out.appendingPathComponent(date)
            if !fm.fileExists(atPath: final.path) { try? fm.moveItem(at: out.appendingPathComponent(name), to: final) }
        }
        for name in (try? fm.contentsOfDirectory(atPath: out.path)) ?? []
        where name.hasPrefix(".") && (name.contains(".staging-") || name.contains(".retired-")) {
            try? fm.removeItem(at: out.appendingPathComponent(name))
        }
    }

    private typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up once (absent on old C libraries).
    private static let renameat2: Renameat2? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Renameat2.self)
    }()

    /// Swaps two paths atomically; false when the system or file system cannot.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        guard let renameat2 else { return false }
        let renameExchange: UInt32 = 2, atFDCWD: Int32 = -100
        return renameat2(atFDCWD, a, atFDCWD, b, renameExchange) == 0
    }
}
