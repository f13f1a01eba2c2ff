import Foundation
import ZIPFoundation

/// The members of a zip container (an .xlsx), inflated in chunks under size limits,
/// so a zip bomb is a reject, not an out-of-memory.
struct ZipContainer {
    /// Largest inflated member accepted.
    static let maxMemberBytes = 512 << 20
    /// Largest inflated/compressed ratio accepted (spreadsheet XML compresses about 10:1).
    static let maxRatio = 250

    private let archive: Archive
    /// The members by path, looked up once (ZIPFoundation's subscript walks the whole directory).
    private let entries: [String: Entry]
    let name: String

    init(_ bytes: [UInt8], name: String) throws(IngestError) {
        try ZipDirectory.validate(bytes, name: name)
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw IngestError(.malformedZip, "\(name)：不是有效的.xlsx（zip）文件：\(error)")
        }
        var entries: [String: Entry] = [:]
        for entry in archive where entries[entry.path] == nil { entries[entry.path] = entry }
        self.entries = entries
        self.name = name
    }

    func has(_ path: String) -> Bool { entries[path] != nil }

    /// Streams member `path` in chunks to `consume`.
    func stream(_ path: String, _ consume: (UnsafeRawBufferPointer) throws(IngestError) -> Void) throws(IngestError) {
        guard let entry = entries[path] else {
            throw IngestError(.malformedZip, "\(name)：缺少工作簿部件 \(path)")
        }
        let declared = Int(entry.uncompressedSize), compressed = max(1, Int(entry.compressedSize))
        if declared > ZipContainer.maxMemberBytes || declared / compressed > ZipContainer.maxRatio {
            throw IngestError(.unsafe, "\(name)：部件 \(path) 解压后\(declared)字节（压缩\(compressed)字节），超出安全限制，疑似压缩炸弹")
        }
        var produced = 0
        var inner: IngestError?
        do {
            // CRC-32 is skipped: ZIPFoundation's is a slow pure-Swift loop, and a damaged
            // deflate stream or XML fails on its own.
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { data in
                produced += data.count
                if produced > max(declared, 1) || produced > ZipContainer.maxMemberBytes {
                    inner = IngestError(.unsafe, "\(name)：部件 \(path) 解压后超过声明的大小，疑似压缩炸弹")
                    throw CancellationError()
                }
                data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                    do throws(IngestError) { try consume(raw) } catch { inner = error }
                }
                if inner != nil { throw CancellationError() }
            }
        } catch {
            if let inner { throw inner }
            throw IngestError(.malformedZip, "\(name)：部件 \(path) 无法解压：\(error)")
        }
    }

    /// A whole (small) member.
    func read(_ path: String) throws(IngestError) -> [UInt8] {
        var out: [UInt8] = []
        try stream(path) { (chunk: UnsafeRawBufferPointer) throws(IngestError) in out.append(contentsOf: chunk) }
        return out
    }
}
