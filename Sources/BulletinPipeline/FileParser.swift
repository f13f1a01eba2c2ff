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
}

/// Turns a landing file's bytes into its validated content: in this process, or in a pool of
/// worker processes so that a reader fault on one hostile file costs that file, not the night.
public enum FileParser: Sendable {
    case inProcess
    case workers(ParseWorkerPool)

    /// The parse of `bytes`, the file at `source`, as `format`: what was read, and the CSV encoding.
    /// `year` completes a row's own date typed without one (the landing day's year).
    /// ID numbers are kept as pseudonyms under `pseudonyms`.
    public func parse(_ bytes: [UInt8], source: String, format: TableFormat, year: Int?,
                      pseudonyms: Pseudonymizer) -> ParsedFile {
        switch self {
        case .inProcess:
            let (validated, encoding) = FileParser.parseHere(bytes, source: source, format: format, year: year,
                                                             pseudonyms: pseudonyms)
            return ParsedFile(validated: validated, encoding: encoding)
        case .workers(let pool): return pool.parse(bytes, source: source, format: format, year: year, pseudonyms: pseudonyms)
        }
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
