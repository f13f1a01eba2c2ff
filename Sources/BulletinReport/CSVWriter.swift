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
            write(raw)
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// A cell of `append(cells:)`: text, written as `append` writes every cell, or a value whose digits are
    /// written as they are.
    public enum Cell {
        case text(String)
        /// A count or a row number; blank when nil.
        case number(Int?)
        case dateTime(LocalDateTime)
    }

    /// Appends one record, as `append` would write the cells' texts (`String(n)`, `t.description`): the
    /// digits of a number of up to ten digits and not negative, and a date-time of the years 2000–9999,
    /// hold nothing to scrub (no run of 11 digits; a run of 10 that begins with 2–9 is no phone or
    /// landline), quote or neutralise, and go straight into the bytes. (Made into Strings and scrubbed,
    /// reports.csv's counts and submission times were two thirds of its 15 M instructions a date: a
    /// date-time's digits run to ten through its separators, which takes the scrubber's careful path.)
    public mutating func append(cells: [Cell]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            switch cell {
            case .text(let text): write(text)
            case .number(nil): break
            case .number(let n?) where n >= 0 && n < 10_000_000_000: CSVWriter.writeDigits(of: n, into: &bytes)
            case .number(let n?): write(String(n))
            case .dateTime(let t) where (2000...9999).contains(t.date.year):
                var text = t.description
                text.withUTF8 { bytes.append(contentsOf: $0) }
            case .dateTime(let t): write(t.description)
            }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// One cell's text as `append` writes it: scrubbed, neutralised, quoted when needed.
    private mutating func write(_ text: String) {
        var value = CSVWriter.neutralised(Masking.scrub(text))
        value.withUTF8 { CSVWriter.write($0, into: &bytes) }
    }

    /// The decimal digits of `n` (not negative).
    private static func writeDigits(of n: Int, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { room in
            let count = Digits.decimal(UInt(n), into: room.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: room[..<count]))
        }
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
