/// Why a whole file could not be read: the parser's own message and position.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as the reject reason it becomes.
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

    /// Where in a file a reader stopped, as precisely as the reader knows it.
    public enum Location: Sendable, Equatable, CustomStringConvertible {
        /// A byte offset from the start of the file (undecodable text).
        case byte(Int)
        /// A CSV record, counting from 1 (records, not lines: a quoted field may span lines).
        case record(Int)
        /// A sheet row, counting from 1.
        case row(Int)
        /// A sheet row past the limit of `maxRows` rows.
        case rowPast(Int)
        /// A line and column of an XML part, as libxml2 gives them.
        case line(Int, column: Int)

        public var description: String {
            switch self {
            case .byte(let b): return "byte \(b)"
            case .record(let r): return "record \(r)"
            case .row(let r): return "row \(r)"
            case .rowPast(let limit): return "row >\(limit)"
            case .line(let l, let c): return "line \(l), column \(c)"
            }
        }
    }

    public var kind: Kind
    /// The parser's message, in its own words.
    public var message: String
    /// Where it stopped, when the parser says.
    public var location: Location?
    /// The library's own error code (libxml2's `xmlParserErrors`, FreeXL's `FREEXL_…`), when a library refused the file.
    public var code: Int?

    public init(_ kind: Kind, _ message: String, location: Location? = nil, code: Int? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.code = code
    }

    public var description: String {
        location.map { "\(message) (\($0))" } ?? message
    }
}
