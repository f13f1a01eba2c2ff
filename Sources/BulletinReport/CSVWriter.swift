import BulletinCore
import Foundation

/// Writes the CSV outputs: UTF-8 with BOM (so Excel opens them), CRLF, RFC 4180 quoting,
/// and cells that Excel would run as formulas neutralised.
///
/// Records are written straight into bytes: joining each record's cells into a String and appending
/// it was most of writing reports.csv (455 rows for every date a run publishes).
public struct CSVWriter {
    /// The file so far.
    public private(set) var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A file starting with the BOM and `header`.
    public init(header: [String]) { append(header) }

    /// Appends one record: each cell scrubbed of personal numbers (`Masking.scrub`), neutralised against
    /// formula injection (leading `=`, `+`, `-`, `@`, tab or CR gets a `'`), then quoted when needed.
    public mutating func append(_ cells: [String]) {
        for (i, raw) in cells.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            var value = CSVWriter.neutralised(Masking.scrub(raw))
            value.withUTF8 { CSVWriter.write($0, into: &bytes) }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// `value` with a `'` before a first character that would start a formula.
    private static func neutralised(_ value: String) -> String {
        switch value.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return "'" + value
        default: return value
        }
    }

    /// Appends `value`, quoted (its quotes doubled) when it holds a comma, a quote or a line break.
    private static func write(_ value: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        guard value.contains(where: { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: value)
            return
        }
        out.append(quote)
        for b in value {
            if b == quote { out.append(quote) }
            out.append(b)
        }
        out.append(quote)
    }
}
