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

/// One file to parse: its bytes, the path shown for it, its format and the year its rows' dates
/// typed without one take (the landing day's year).
public struct ParseRequest: Sendable {
    public var bytes: [UInt8]
    public var source: String
    public var format: TableFormat
    public var year: Int?

    public init(bytes: [UInt8], source: String, format: TableFormat, year: Int?) {
        self.bytes = bytes
        self.source = source
        self.format = format
        self.year = year
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
                let (validated, encoding) = FileParser.parseHere(r.bytes, source: r.source, format: r.format, year: r.year,
                                                                 pseudonyms: pseudonyms)
                return ParsedFile(validated: validated, encoding: encoding)
            }
        case .workers(let pool): return pool.parse(requests, pseudonyms: pseudonyms)
        }
    }

    /// The parse of one file (see `parse(_:pseudonyms:)`).
    public func parse(_ bytes: [UInt8], source: String, format: TableFormat, year: Int?,
                      pseudonyms: Pseudonymizer) -> ParsedFile {
        parse([ParseRequest(bytes: bytes, source: source, format: format, year: year)], pseudonyms: pseudonyms)[0]
    }

    /// Reads and validates in this process; a file that cannot be read is one reject.
    public static func parseHere(_ bytes: [UInt8], source: String, format: TableFormat, year: Int?,
                                 pseudonyms: Pseudonymizer) -> (validated: ValidatedFile, encoding: String?) {
        do {
            let table = try TableFile.read(bytes, format: format)
            return (FileValidator.validate(table, source: source, defaultYear: year, pseudonyms: pseudonyms),
                    table.encoding?.rawValue)
        } catch {
            return (ValidatedFile.unreadable(source: source, error), nil)
        }
    }
}
