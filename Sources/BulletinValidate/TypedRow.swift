import BulletinIngest
import BulletinCore

/// One cell typed by its column's declared type.
enum CellValue {
    /// Blank, absent from the header, unreadable (the row's problems say why), or an ignored column.
    case none
    /// Text, made into a String only when a builder takes it (`TypedRow.text`).
    case text
    case count(Int)
    case date(LocalDate)
    case dateTime(LocalDateTime)
    /// A time of day without a date, in seconds (a duty shift's `22:00`).
    case time(Int)
    case yesNo(Bool)
    /// The position among the column's choices.
    case choice(Int)
}

/// A data row of one form with every read column typed, in the form's column order; record builders
/// take values from it by column name.
/// Valid until the parser's next row (its values are the parser's).
struct TypedRow<Column: FormColumn> {
    let values: UnsafeBufferPointer<CellValue>
    /// The row itself (valid while the builder runs) and where each column sits in it (-1: absent), for
    /// text: the parser's, lent without reference counting (valid as long as the row).
    let row: SheetRow
    let cells: UnsafePointer<Int>
    /// The institution code of the rows before (the parser's, kept from row to row).
    let codes: Unmanaged<TextMemo>
    /// Whether every cell of the rows being read reads as it stands (`RowParser.cellsAsTheyStand`).
    let cellsAsTheyStand: Bool

    /// The column's text, trimmed and folded; scrubbed of personal numbers unless it is one (an ID
    /// number is taken whole, for the pseudonymizer).
    func text(_ c: Column) -> String? {
        let cell = cells[c.rawValue]
        guard case .text = values[c.rawValue], cell >= 0 else { return nil }
        return row.withCell(cell) { text(of: $0, c) }
    }

    /// `text` of the column that names the row's institution, for forms whose rows run by institution
    /// (a roster, a care list): the String is made (folded and scrubbed) when the cell's bytes differ
    /// from the last row's.
    func code(_ c: Column) -> String? {
        let cell = cells[c.rawValue]
        guard case .text = values[c.rawValue], cell >= 0 else { return nil }
        return row.withCell(cell) { raw in codes._withUnsafeGuaranteedRef { $0.text(of: raw, column: c.rawValue) { text(of: raw, c) } } }
    }

    private func text(of cell: UnsafeBufferPointer<UInt8>, _ c: Column) -> String {
        let text = TextBytes.foldedText(cell)
        return Column.specs[c.rawValue].isPersonalNumber ? text : Masking.scrub(text)
    }

    /// The person whose ID number is in the column, by pseudonym (the number never becomes a String).
    func person(_ c: Column, asOf: LocalDate?, under pseudonyms: Pseudonymizer) -> PersonID? {
        withNumber(c) { number, _ in pseudonyms.person(utf8: number, asOf: asOf) }
    }

    /// `person(_:asOf:under:)` but for the pseudonym of a number that reads as it stands in the sheet,
    /// which `pending` makes later for the roster's entry `entry` (with many others' at once).
    func person(_ c: Column, asOf: LocalDate?, under pseudonyms: Pseudonymizer, pending: inout PendingPseudonyms,
                entry: Int) -> PersonID? {
        withNumber(c) { number, inSheet in
            guard inSheet else { return pseudonyms.person(utf8: number, asOf: asOf) }
            pending.add(number, for: entry)
            return pseudonyms.personAwaitingPseudonym(utf8: number, asOf: asOf)
        }
    }

    /// `body` of the column's number, trimmed and folded, and whether it lies in the sheet's own bytes
    /// (false: folded into a buffer valid during the call); nil when the column holds no text.
    @inline(__always)
    private func withNumber(_ c: Column, _ body: (UnsafeBufferPointer<UInt8>, Bool) -> PersonID) -> PersonID? {
        let cell = cells[c.rawValue]
        guard case .text = values[c.rawValue], cell >= 0 else { return nil }
        let raw = TextBytes.trimmed(row.cell(cell))
        // Most numbers need no folding and are read where they are.
        guard !cellsAsTheyStand, TextBytes.needsFolding(raw) else { return body(raw, true) }
        return TextBytes.withFolded(raw) { body($0, false) }
    }

    func count(_ c: Column) -> Int? {
        if case .count(let v) = values[c.rawValue] { return v }
        return nil
    }

    func date(_ c: Column) -> LocalDate? {
        if case .date(let v) = values[c.rawValue] { return v }
        return nil
    }

    func dateTime(_ c: Column) -> LocalDateTime? {
        if case .dateTime(let v) = values[c.rawValue] { return v }
        return nil
    }

    /// A date-time, or a time of day on `day`.
    func moment(_ c: Column, on day: LocalDate?) -> LocalDateTime? {
        switch values[c.rawValue] {
        case .dateTime(let v): return v
        case .time(let t): return day.map { LocalDateTime(date: $0, secondOfDay: t) }
        default: return nil
        }
    }

    func yesNo(_ c: Column) -> Bool? {
        if case .yesNo(let v) = values[c.rawValue] { return v }
        return nil
    }

    func choice<V: Choosable>(_ c: Column, as _: V.Type = V.self) -> V? {
        if case .choice(let i) = values[c.rawValue] { return V(ordinal: i) }
        return nil
    }
}

/// The text a column's cell last gave, by the column and the cell's bytes as they stand in the sheet:
/// the same bytes of the same column give the same text, so a row whose cell repeats the row before
/// takes it without making it again.
final class TextMemo {
    private var column = -1
    private var bytes: [UInt8] = []
    private var text = ""

    /// The text of `cell` in `column`: the last one made when both are the same, else `make()`'s, kept.
    func text(of cell: UnsafeBufferPointer<UInt8>, column: Int, _ make: () -> String) -> String {
        if column == self.column, bytes.withUnsafeBufferPointer({ FileValidator.same($0, cell) }) { return text }
        let made = make()
        bytes.removeAll(keepingCapacity: true)   // the last code's room, reused
        bytes.append(contentsOf: cell)
        (self.column, text) = (column, made)
        return made
    }
}
