/// Why a whole file could not be read: the parser's own message and position.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Bytes that are neither UTF-8 nor GB18030/CP936.
        case undecodable
        /// CSV structure the reader cannot recover from (an unterminated quote).
        case malformedCSV
        /// XML that libxml2 refused, or a workbook part that is missing or broken.
        case malformedXML
        case malformedZip
        /// A spreadsheet that tries something unsafe (a DOCTYPE, an oversized zip member).
        case unsafe
        /// A file or sheet past Excel's limits, the cell budget or the pipeline's size limit.
        case tooLarge
        /// A file that is encrypted or in a format this tool does not read (old .xls, say).
        case unsupported
    }

    public var kind: Kind
    /// The parser's message, in its own words.
    public var message: String
    /// Where it stopped: a byte offset, line and column, or record number, as the parser gives it.
    public var location: String?

    public init(_ kind: Kind, _ message: String, location: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var description: String {
        location.map { "\(message) (\($0))" } ?? message
    }
}
