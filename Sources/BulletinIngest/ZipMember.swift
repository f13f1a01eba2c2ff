import Foundation
import ZIPFoundation

/// The members of a zip container (an .xlsx), inflated under size limits, so a zip bomb is a
/// reject, not an out-of-memory: a deflated member of up to `wholeMemberBytes` (as the directory
/// declares it) in one call into a buffer of that size (`WholeInflater`), a larger or stored one in
/// chunks through ZIPFoundation.
struct ZipContainer {
    /// Largest inflated member accepted.
    static let maxMemberBytes = 512 << 20
    /// Largest inflated/compressed ratio accepted (spreadsheet XML compresses about 10:1).
    static let maxRatio = 250
    /// Largest member inflated whole (a district's roster of 110,000 people is about 50 MB of XML).
    static let wholeMemberBytes = 64 << 20

    private let bytes: [UInt8]
    private let archive: Archive
    /// The members by path, looked up once (ZIPFoundation's subscript walks the whole directory), each
    /// with where its data lie when the directory and ZIPFoundation agree on it.
    private let entries: [String: (entry: Entry, layout: ZipDirectory.Member?)]
    private let inflatingWholeUpTo: Int
    let name: String

    /// The container of `bytes`, its deflated members of up to `inflatingWholeUpTo` bytes inflated whole.
    init(_ bytes: [UInt8], name: String, inflatingWholeUpTo: Int = wholeMemberBytes) throws(IngestError) {
        let layouts = try ZipDirectory.validate(bytes, name: name)
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw IngestError(.malformedZip, "\(name)：不是有效的.xlsx（zip）文件：\(error)")
        }
        // ZIPFoundation reads the same directory records in the same order.
        let all = Array(archive)
        var entries: [String: (entry: Entry, layout: ZipDirectory.Member?)] = [:]
        for (k, entry) in all.enumerated() where entries[entry.path] == nil {
            let layout = all.count == layouts.count ? layouts[k] : nil
            let agrees = layout.map { Int(entry.compressedSize) == $0.compressed && Int(entry.uncompressedSize) == $0.uncompressed } ?? false
            entries[entry.path] = (entry, agrees ? layout : nil)
        }
        self.bytes = bytes
        self.entries = entries
        self.inflatingWholeUpTo = inflatingWholeUpTo
        self.name = name
    }

    func has(_ path: String) -> Bool { entries[path] != nil }

    /// Streams member `path` in chunks to `consume`.
    func stream(_ path: String, _ consume: (UnsafeRawBufferPointer) throws(IngestError) -> Void) throws(IngestError) {
        guard let (entry, layout) = entries[path] else {
            throw IngestError(.malformedZip, "\(name)：缺少工作簿部件 \(path)")
        }
        let declared = Int(entry.uncompressedSize), compressed = max(1, Int(entry.compressedSize))
        if declared > ZipContainer.maxMemberBytes || declared / compressed > ZipContainer.maxRatio {
            throw IngestError(.unsafe, "\(name)：部件 \(path) 解压后\(declared)字节（压缩\(compressed)字节），超出安全限制，疑似压缩炸弹")
        }
        if let layout, layout.method == 8, declared <= inflatingWholeUpTo {
            let outcome = bytes.withUnsafeBufferPointer {
                WholeInflater.inflate(UnsafeBufferPointer(rebasing: $0[layout.data..<layout.data + layout.compressed]), capacity: max(declared, 1))
            }
            switch outcome {
            case .inflated(let member): try XMLDocument.inMemory(member)(consume)
            case .tooLarge: throw IngestError(.unsafe, "\(name)：部件 \(path) 解压后超过声明的大小，疑似压缩炸弹")
            case .damaged: throw IngestError(.malformedZip, "\(name)：部件 \(path) 无法解压：压缩数据损坏 / damaged deflate data")
            }
            return
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
