import BulletinIngest
import Foundation

/// File names as the disk holds them: bytes. A zip made on Windows and unzipped on Linux leaves
/// names in GBK, which Foundation cannot open (it decodes names as UTF-8 with replacement
/// characters); the landing is therefore listed and read through POSIX calls on the raw bytes,
/// and each name is shown decoded — UTF-8 when it is, GB18030 otherwise.
public enum FileName {
    /// What a directory entry is, without following a link.
    public enum Kind: Sendable { case file, folder, link, other }

    /// One entry of a folder.
    public struct Entry: Sendable {
        /// The name's bytes on disk.
        public var bytes: [UInt8]
        /// The name as people read it.
        public var shown: String
        public var kind: Kind
    }

    /// The entries of the folder at `path` (its bytes), without `.` and `..`; nil when it cannot be read.
    public static func entries(of path: [UInt8]) -> [Entry]? {
        guard let dir = withCString(path, { opendir($0) }) else { return nil }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            entries.append(Entry(bytes: name, shown: shown(name), kind: kind(entry.pointee.d_type) ?? kind(of: path + [0x2F] + name)))
        }
        return entries
    }

    /// The entry's kind as the directory says it (no `lstat` per file); nil when the file system
    /// does not say (`DT_UNKNOWN`).
    private static func kind(_ type: UInt8) -> Kind? {
        switch Int(type) {
        case Int(DT_REG): return .file
        case Int(DT_DIR): return .folder
        case Int(DT_LNK): return .link
        case Int(DT_UNKNOWN): return nil
        default: return .other
        }
    }

    /// What is at `path`, links not followed.
    public static func kind(of path: [UInt8]) -> Kind {
        var st = stat()
        guard withCString(path, { lstat($0, &st) }) == 0 else { return .other }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .link
        default: return .other
        }
    }

    /// Where the link at `path` points, as shown.
    public static func linkTarget(_ path: [UInt8]) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = withCString(path) { p in buffer.withUnsafeMutableBufferPointer { readlink(p, $0.baseAddress!, $0.count) } }
        return n > 0 ? shown(Array(buffer[..<n])) : "?"
    }

    /// What says a file has not changed since it was last read, as git's index does: size, times to
    /// the nanosecond (the change time cannot be set back by tools), inode and device.
    public struct Stamp: Hashable, Sendable {
        public var size: Int
        public var modified: Int
        public var changed: Int
        public var inode: UInt64
        public var device: UInt64
    }

    /// The stamp of the file at `path`, links not followed.
    public static func stamp(_ path: [UInt8]) -> Stamp? {
        var st = stat()
        guard withCString(path, { lstat($0, &st) }) == 0 else { return nil }
        return Stamp(size: Int(st.st_size), modified: Int(st.st_mtim.tv_sec) * 1_000_000_000 + Int(st.st_mtim.tv_nsec),
                     changed: Int(st.st_ctim.tv_sec) * 1_000_000_000 + Int(st.st_ctim.tv_nsec),
                     inode: UInt64(st.st_ino), device: UInt64(st.st_dev))
    }

    /// The bytes of the regular file at `path`; nil when it cannot be opened, is not a regular file
    /// (a link put there since the landing was listed is not followed; a FIFO never blocks the night),
    /// or holds more than `limit` bytes (then nothing is read).
    public static func contents(_ path: [UInt8], limit: Int = .max) -> [UInt8]? {
        let fd = withCString(path) { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) <= limit else { return nil }
        // Read into uninitialised memory (zeroing it first was a pass over every byte of the landing).
        return [UInt8](unsafeUninitializedCapacity: Int(st.st_size)) { buffer, filled in
            filled = 0
            while filled < buffer.count {
                let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                filled += n
            }
        }
    }

    /// A name's bytes as people read them: UTF-8 when valid, else GB18030 (Windows' Chinese code page),
    /// else UTF-8 with replacement characters.
    public static func shown(_ bytes: [UInt8]) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        if let decoded = try? TextEncoding.transcode(bytes, from: "GB18030"),
           let text = String(validating: decoded, as: UTF8.self) { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func withCString<R>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }
}
