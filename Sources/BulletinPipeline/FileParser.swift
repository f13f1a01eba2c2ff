import BulletinCore
import BulletinIngest
import BulletinValidate
import Foundation

/// What parsing one file gave.
public struct ParsedFile: Sendable {
    /// The file's content; from a worker, without its roster rows (they stay in `blobs.roster`).
    public var validated: ValidatedFile
    /// The CSV encoding.
    public var encoding: String?
    /// The store's encoding of the file, as a worker sent it: stored as is, roster rows decoded on demand.
    var blobs: (main: [UInt8], roster: [UInt8])?
    /// For a file the parser read itself (`ParseRequest.Content.path`): its SHA-256 and size; nil for
    /// a file it could not open (then `validated` says so).
    @_spi(Testing) public internal(set) var read: (sha256: String, bytes: Int)?

    /// The file's content with its roster rows (decoded when a worker sent them encoded); a roster
    /// blob that does not decode leaves the file as a worker's unreadable answer would.
    public var complete: ValidatedFile {
        guard let roster = blobs?.roster, !roster.isEmpty else { return validated }
        var v = validated
        do { try v.decodeRoster(roster) } catch {
            return ValidatedFile.rejectedWhole(source: v.source, reason: .unreadableFile,
                                               message: "文件无法读取：读取程序返回了无法解析的结果")
        }
        return v
    }
}

/// One file to parse: its bytes or where to read them, the path shown for it, its format and the
/// year its rows' dates typed without one take (the landing day's year).
public struct ParseRequest: Sendable {
    /// What the parser reads.
    public enum Content: Sendable {
        /// The file's bytes, read (and hashed) by the caller.
        case bytes([UInt8])
        /// The file at `path` (its bytes on disk), of about `size` bytes when listed, for the parser to
        /// read and hash itself: with parse workers, no landing byte then crosses a pipe. A file past
        /// `limit` bytes by the time it is read is rejected unread, as the listing would have.
        case path([UInt8], size: Int, limit: Int)
    }

    public var content: Content
    public var source: String
    public var format: TableFormat
    public var year: Int?
    /// What of the file the caller keeps when a worker sends it encoded (see
    /// `ValidatedFile(decoding:source:keeping:)`; the store still gets every byte); nil: everything. A
    /// file parsed in process brings everything.
    public var keeping: ValidatedFile.StoredRecordDates?
    /// The newest usable roster snapshot of each institution known (code → 摸排日期): a roster file
    /// whose every row is older is read for its snapshots alone, untyped (see
    /// `FileValidator.validate(_:source:defaultYear:pseudonyms:supersededBy:)`). A parse worker takes
    /// one for its whole batch: the requests of a batch share it.
    public var supersededBy: [String: LocalDate]?

    public init(bytes: [UInt8], source: String, format: TableFormat, year: Int?) {
        self.init(content: .bytes(bytes), source: source, format: format, year: year)
    }

    @_spi(Testing) public init(content: Content, source: String, format: TableFormat, year: Int?) {
        self.content = content
        self.source = source
        self.format = format
        self.year = year
    }

    /// The file's size, read or as listed (what batches are sized by).
    var size: Int {
        switch content {
        case .bytes(let b): return b.count
        case .path(_, let size, _): return size
        }
    }

    /// The bytes to parse: as given, or read from disk now with their digest; nil when the file
    /// cannot be opened or has grown past the limit (`unread()` says which).
    func contents() -> (bytes: [UInt8], read: (sha256: String, bytes: Int)?)? {
        switch content {
        case .bytes(let b): return (b, nil)
        case .path(let path, _, let limit):
            guard let data = FileName.contents(path, limit: limit) else { return nil }
            return (data, (SHA256.hex(data), data.count))
        }
    }

    /// Why `contents()` gave nothing: the file could not be opened, or is past the limit.
    func unread() -> ValidatedFile {
        guard case .path(let path, _, let limit) = content, let stamp = FileName.stamp(path), stamp.size > limit else {
            return ValidatedFile.unopenable(source: source)
        }
        return ValidatedFile.tooLarge(source: source, size: stamp.size, limit: limit)
    }
}

extension ValidatedFile {
    /// A landing file that could not be opened: it was deleted, or its permissions keep the night out.
    static func unopenable(source: String) -> ValidatedFile {
        rejectedWhole(source: source, reason: .unreadableFile, message: "文件无法打开（权限不足或已被删除）")
    }

    /// A landing file past the size limit, rejected unread.
    static func tooLarge(source: String, size: Int, limit: Int) -> ValidatedFile {
        rejectedWhole(source: source, reason: .fileTooLarge,
                      message: "文件过大（\(size >> 20) MB，上限\(limit >> 20) MB），未读取；请按机构或日期拆分后再报送")
    }
}

/// Turns a landing file's bytes into its validated content: in this process, or in a pool of
/// worker processes so that a reader fault on one hostile file costs that file, not the night.
public enum FileParser: Sendable {
    case inProcess
    case workers(ParseWorkerPool)

    /// The parse of each request, in order: what was read, and the CSV encoding.
    /// ID numbers are kept as pseudonyms under `pseudonyms`. Workers take the files in batches.
    public func parse(_ requests: [ParseRequest], pseudonyms: Pseudonymizer) -> [ParsedFile] {
        switch self {
        case .inProcess:
            return requests.map { r in
                guard let (bytes, read) = r.contents() else { return ParsedFile(validated: r.unread()) }
                let (validated, encoding) = FileParser.parseHere(bytes, source: r.source, format: r.format, year: r.year,
                                                                 pseudonyms: pseudonyms, supersededBy: r.supersededBy)
                return ParsedFile(validated: validated, encoding: encoding, read: read)
            }
        case .workers(let pool): return pool.parse(requests, pseudonyms: pseudonyms)
        }
    }

    /// How many parse workers were forked and started as programs so far (none in process).
    public var workerCounts: (forked: Int, started: Int) {
        if case .workers(let pool) = self { return pool.counts }
        return (0, 0)
    }

    /// Lets the parse workers go once no more files are expected (`ParseWorkerPool.letIdleWorkersGo`).
    public func letWorkersGo() {
        if case .workers(let pool) = self { pool.letIdleWorkersGo() }
    }

    /// The parse of one file (see `parse(_:pseudonyms:)`).
    public func parse(_ bytes: [UInt8], source: String, format: TableFormat, year: Int?,
                      pseudonyms: Pseudonymizer) -> ParsedFile {
        parse([ParseRequest(bytes: bytes, source: source, format: format, year: year)], pseudonyms: pseudonyms)[0]
    }

    /// Reads and validates in this process; a file that cannot be read is one reject.
    public static func parseHere(_ bytes: [UInt8], source: String, format: TableFormat, year: Int?,
                                 pseudonyms: Pseudonymizer, supersededBy: [String: LocalDate]? = nil) -> (validated: ValidatedFile, encoding: String?) {
        do {
            let table = try TableFile.read(bytes, format: format)
            return (FileValidator.validate(table, source: source, defaultYear: year, pseudonyms: pseudonyms,
                                           supersededBy: supersededBy),
                    table.encoding?.rawValue)
        } catch {
            return (ValidatedFile.unreadable(source: source, error), nil)
        }
    }
}
