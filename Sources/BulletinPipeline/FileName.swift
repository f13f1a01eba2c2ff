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
        /// The name decoded when it is not UTF-8 (`shown(_:)`); nil when `bytes` are UTF-8, read as a
        /// String only when asked (listing a season's landing made one per file, and its files need none).
        private var decoded: String?
        public var kind: Kind

        /// The name as people read it.
        public var shown: String { decoded ?? String(decoding: bytes, as: UTF8.self) }
        /// Whether `shown` is `bytes` read as UTF-8 (not a GBK name decoded).
        public var isUTF8: Bool { decoded == nil }

        init(bytes: [UInt8], kind: Kind) {
            self.bytes = bytes
            decoded = TextEncoding.firstInvalidUTF8(bytes) == nil ? nil : FileName.shown(bytes)
            self.kind = kind
        }
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
            entries.append(Entry(bytes: name, kind: kind(entry.pointee.d_type) ?? kind(of: path + [0x2F] + name)))
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
        stamp(nulTerminated: path + [0])
    }

    /// `stamp(_:)` of a path already ending in a NUL byte (not copied to end it).
    public static func stamp(nulTerminated path: [UInt8]) -> Stamp? {
        var st = stat()
        guard path.last == 0, path.withUnsafeBufferPointer({ p in
            p.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &st) }
        }) == 0 else { return nil }
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

    /// `entries` in the order of their names as shown: `String`'s order, that of the names' NFC scalars.
    /// When every name is UTF-8 made of characters that are their own NFC form and combine with nothing
    /// (ASCII, and the CJK punctuation, ideographs and full-width forms of Chinese names), they are
    /// ordered by their bytes, which is that order without normalising (String's comparisons were most
    /// of listing a season's landing); a folder holding any other name is ordered by String.
    public static func sortedAsShown(_ entries: [Entry]) -> [Entry] {
        guard entries.allSatisfy({ $0.isUTF8 && isOrderedByBytes($0.bytes) }) else { return entries.sorted { $0.shown < $1.shown } }
        return entries.sorted { precedes($0.bytes, $1.bytes) }
    }

    /// Whether every character of the UTF-8 `name` orders by its bytes as by its NFC scalar (see
    /// `sortedAsShown`): ASCII, or three bytes for U+3000–U+3029 or U+3030–U+303F (CJK punctuation,
    /// without the tone marks between, which combine), U+3400–U+4DBF or U+4E00–U+9FFF (ideographs),
    /// U+FF00–U+FFEF (full-width forms).
    static func isOrderedByBytes(_ name: [UInt8]) -> Bool {
        var i = 0
        while i < name.count {
            let lead = name[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            guard lead & 0xF0 == 0xE0, i + 2 < name.count else { return false }
            switch UInt32(lead & 0x0F) << 12 | UInt32(name[i + 1] & 0x3F) << 6 | UInt32(name[i + 2] & 0x3F) {
            case 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF00...0xFFEF: i += 3
            default: return false
            }
        }
        return true
    }

    /// Whether `a` comes before `b` byte by byte (a prefix first).
    private static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let common = min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? order < 0 : a.count < b.count
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
