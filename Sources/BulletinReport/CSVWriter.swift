import BulletinCore
import Foundation

/// Writes the CSV outputs: UTF-8 with BOM (so Excel opens them), CRLF, RFC 4180 quoting,
/// and cells that Excel would run as formulas neutralised.
public struct CSVWriter {
    private(set) var text = "\u{FEFF}"

    /// A file starting with the BOM and `header`.
    public init(header: [String]) { append(header) }

    /// Appends one record.
    public mutating func append(_ cells: [String]) {
        text += cells.map(CSVWriter.cell).joined(separator: ",")
        text += "\r\n"
    }

    public var bytes: [UInt8] { Array(text.utf8) }

    /// A cell scrubbed of personal numbers (`Masking.scrub`), neutralised against formula injection
    /// (leading `=`, `+`, `-`, `@`, tab or CR gets a `'`), then quoted when needed.
    public static func cell(_ raw: String) -> String {
        var value = Masking.scrub(raw)
        switch value.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: value = "'" + value
        default: break
        }
        if value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
