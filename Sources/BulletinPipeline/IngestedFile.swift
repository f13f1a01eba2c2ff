import BulletinCore
import BulletinIngest
import BulletinReport
import BulletinValidate
import Crypto
import Dispatch
import Foundation

/// One landing file read, validated and fingerprinted.
public struct IngestedFile: Sendable {
    public var file: Landing.File
    public var sha256: String
    public var bytes: Int
    public var encoding: String?
    public var validated: ValidatedFile

    /// Whether this run parsed the file (false: it came from the cache).
    public var parsed = true
    /// Roster rows still encoded, for a file from the cache: `decodeRoster(ifAny:)` fills them in.
    var deferredRoster: [UInt8]?

    /// The cache key: the digest and the landing day's year (rows typed without a year take it).
    static func cacheKey(sha256: String, day: LocalDate) -> String { "\(sha256)@\(day.year)" }

    var cacheKey: String { IngestedFile.cacheKey(sha256: sha256, day: file.day) }

    /// Reads and validates `file` under `root`, or takes it from `cache` when its digest is known there.
    public static func ingest(_ file: Landing.File, root: URL, cache: IngestCache? = nil) -> IngestedFile {
        let url = root.appendingPathComponent(file.relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            var v = ValidatedFile(source: file.relativePath)
            v.fileRejected = true
            v.rejects.append(Reject(position: Position(source: file.relativePath), reason: .unreadableFile,
                                    message: "文件无法打开"))
            return IngestedFile(file: file, sha256: "", bytes: 0, encoding: nil, validated: v)
        }
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        if let hit = cache?.load(key: cacheKey(sha256: sha, day: file.day), source: file.relativePath) {
            return IngestedFile(file: file, sha256: sha, bytes: data.count, encoding: hit.encoding, validated: hit.validated,
                                parsed: false, deferredRoster: hit.roster)
        }
        let bytes = [UInt8](data)
        var encoding: String?
        let validated: ValidatedFile
        do {
            let table = try TableFile.read(bytes, format: file.format)
            encoding = table.encoding?.rawValue
            validated = FileValidator.validate(table, source: file.relativePath, defaultYear: file.day.year)
        } catch {
            var v = ValidatedFile(source: file.relativePath)
            v.fileRejected = true
            v.rejects.append(Reject(position: Position(source: file.relativePath), reason: .unreadableFile,
                                    message: "文件无法读取：\(error.description)"))
            validated = v
        }
        return IngestedFile(file: file, sha256: sha, bytes: bytes.count, encoding: encoding, validated: validated)
    }

    /// Ingests `files` on all cores, through `cache` when given (new files are added to it);
    /// results keep the order of `files`.
    public static func ingestAll(_ files: [Landing.File], root: URL, cache: IngestCache? = nil) throws -> [IngestedFile] {
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<IngestedFile?>.allocate(capacity: files.count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results[i] = ingest(files[i], root: root, cache: cache)
        }
        let all = results.map { $0! }
        try cache?.store(all.filter(\.parsed))
        return all
    }

    /// Decodes the deferred roster rows when the file holds one of `snapshots`; a blob that no longer
    /// decodes means the cache entry is bad, and the file is parsed again.
    mutating func decodeRoster(ifAny snapshots: Set<RosterSnapshot>, root: URL) {
        guard let blob = deferredRoster, !validated.rosterSnapshots.isDisjoint(with: snapshots) else { return }
        deferredRoster = nil
        do { try validated.decodeRoster(blob) } catch { self = IngestedFile.ingest(file, root: root) }
    }

    /// The manifest's record of this file.
    var manifestInput: Manifest.Input {
        Manifest.Input(source: file.relativePath, sha256: sha256, bytes: bytes, format: file.format.rawValue,
                       encoding: encoding, landingDay: file.day.description, validated: validated)
    }
}
