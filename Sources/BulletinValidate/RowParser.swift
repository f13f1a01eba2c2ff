import BulletinCore
import BulletinIngest

/// Reads typed values of one data row through a header's column map.
///
/// Every unusable value is kept in `problems`, the first also as `failure`; `read` types the columns
/// in the form's order, so the night's reject names the first bad column of forms.md.
struct RowParser {
    /// The row being read (`begin` moves to the next).
    private(set) var row: SheetRow
    let form: FormKind
    let columns: [ColumnSpec]
    /// What the row loop needs of each column, without the names (copying a `ColumnSpec` per cell
    /// retained its two Strings: a third of the loop's reference counting).
    private let plans: [ColumnPlan]
    let columnMap: [Int?]
    /// The column holding the row's own date (`FormColumn.rowDate`).
    let rowDate: Int?
    let source: String
    let pseudonyms: Pseudonymizer
    /// Year for dates typed without one (`2月8日`): the row's own date's year.
    var referenceYear: Int?
    private(set) var failure: Reject?
    /// Whether the values read so far were all usable: `failure` is nil (kept apart so the row loop
    /// never copies a `Reject?` to ask).
    private(set) var isUsable = true
    private(set) var problems: [Reject] = []
    /// The cell being typed, trimmed and folded: the sheet's own bytes when it needed no folding (most
    /// cells), else `folds`'s; valid while the row is.
    private var current = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private let folds = FoldBuffer()
    /// The row's typed values, one per column of the form, written in place row after row (appending to
    /// an array checked its uniqueness and capacity for every cell).
    private let values: ValueBuffer
    /// The year of the last row date, for the next (a file's rows mostly share a year).
    private var years = YearOfDay()
    /// The columns read and where each sits in the sheet.
    private let layout: ColumnLayout
    /// The last row's institution code (a roster's or care list's rows run by institution).
    private let codes = TextMemo()
    /// Each date column's last text and what it read as (a roster's 摸排日期 is the same on every row).
    private let dates: DateMemo
    /// Whether every cell of the rows it reads is read as it stands (`Sheet.mayNeedFolding` says none of
    /// them needs folding): no cell is checked.
    let cellsAsTheyStand: Bool

    /// A parser for the data rows of a sheet whose header is `match`; `begin` each row before reading it.
    init(row: SheetRow, match: HeaderMatcher.Match, source: String, pseudonyms: Pseudonymizer, cellsAsTheyStand: Bool) {
        self.row = row
        self.cellsAsTheyStand = cellsAsTheyStand
        self.pseudonyms = pseudonyms
        self.form = match.form
        self.columns = match.form.columns
        let plans = columns.map(ColumnPlan.init)
        self.plans = plans
        self.layout = ColumnLayout(plans: plans, match: match)
        self.values = ValueBuffer(count: plans.count)
        self.dates = DateMemo(columns: plans.count)
        self.columnMap = match.columnMap
        self.rowDate = match.form.rowDateColumn
        self.source = source
    }

    /// Starts reading `row`: no problems yet, dates without a year in `defaultYear`.
    mutating func begin(_ row: SheetRow, defaultYear: Int?) {
        self.row = row
        referenceYear = defaultYear
        if !isUsable {
            failure = nil
            isUsable = true
        }
        if !problems.isEmpty { problems.removeAll(keepingCapacity: true) }
    }

    /// Makes the cell `current`; false when the column is absent or the cell blank. A cell with a
    /// control character fails the row (it would otherwise reach the outputs invisibly).
    @inline(__always)
    private mutating func cell(_ read: ColumnRead) -> Bool {
        guard read.cell >= 0 else { return false }
        current = TextBytes.trimmed(row.cell(read.cell))
        if !cellsAsTheyStand, TextBytes.needsFolding(current) { foldCurrent(read.column) }
        return !current.isEmpty
    }

    /// Makes `current` its folded text (the rare cell: kept out of `cell`, which every cell passes).
    @inline(never)
    private mutating func foldCurrent(_ column: Int) {
        let control: Bool
        (current, control) = folds.fold(current)
        if control {
            let printable = current.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }
            fail(column, printable, .controlCharacter,
                 "“\(columns[column].chinese)”含有不可见的控制字符（如NUL），文件可能已损坏；请在Excel中重新输入该单元格后另存")
        }
    }

    private mutating func fail(_ column: Int, _ raw: [UInt8]?, _ reason: RejectReason, _ message: String) {
        let spec = columns[column]
        var value = raw.map { String(decoding: $0, as: UTF8.self) } ?? ""
        if spec.isPersonalNumber { value = spec.type.isPhone ? Masking.phone(value) : Masking.idNumber(value) }
        // A blank required column has no cell of its own when the column is absent from the header.
        let cell = columnMap[column].map { CellReference.cell(column: $0, row: row.number) }
        let reject = Reject(position: Position(source: source, row: row.number, column: columns[column].chinese),
                            value: Masking.scrub(value), reason: reason, message: message, form: form, cell: cell)
        problems.append(reject)
        if isUsable {
            failure = reject
            isUsable = false
        }
    }

    /// Whether the cell holds a value (`current`); a required value that is blank fails the row.
    @inline(__always)
    private mutating func present(_ read: ColumnRead) -> Bool {
        if cell(read) { return true }
        if read.plan.required {
            fail(read.column, nil, .missingValue, "必填项“\(columns[read.column].chinese)”为空")
        }
        return false
    }

    /// Reads every column the form does not ignore, in the form's order, each by its declared type:
    /// the first problem found is in the first bad column of forms.md. The typed row is valid until the
    /// next `begin`, like the sheet row it reads.
    mutating func read<C: FormColumn>(_: C.Type) -> TypedRow<C> {
        TypedRow(values: typedValues(), row: row, cells: layout.cells, codes: .passUnretained(codes), cellsAsTheyStand: cellsAsTheyStand)
    }

    /// The row's values, typed (not generic: one body for every form, with no type metadata to look up per row).
    private mutating func typedValues() -> UnsafeBufferPointer<CellValue> {
        let out = values.base
        for read in layout.reads {
            let value = typed(read)
            if read.column == rowDate {
                if case .date(let d) = value { referenceYear = years.year(of: d) } else { referenceYear = nil }
            }
            out[read.column] = value
        }
        return UnsafeBufferPointer(start: out, count: values.count)
    }

    @inline(__always)
    private mutating func typed(_ read: ColumnRead) -> CellValue {
        guard present(read) else { return .none }
        let column = read.column
        switch read.plan.kind {
        case .text, .phone, .idNumber:
            return .text
        case .count:
            if let v = ValueParser.count(current) { return .count(v) }
            fail(column, Array(current), .badCount, "“\(columns[column].chinese)”应为0到\(ValueParser.maxCount)之间的整数，如 12")
        case .date:
            if let v = dates.date(current, column: column, referenceYear: referenceYear) { return .date(v) }
            fail(column, Array(current), .badDate, "“\(columns[column].chinese)”不是可识别的日期")
        case .dateTime:
            if let v = ValueParser.dateTime(current, referenceYear: referenceYear) { return .dateTime(v) }
            fail(column, Array(current), .badDate, "“\(columns[column].chinese)”不是可识别的日期时间")
        case .timeOrDateTime:
            if let v = ValueParser.dateTime(current, referenceYear: referenceYear) { return .dateTime(v) }
            if let t = ValueParser.time(current) { return .time(t) }
            fail(column, Array(current), .badDate, "“\(columns[column].chinese)”不是可识别的时间")
        case .yesNo:
            if let v = ValueParser.yesNo(current) { return .yesNo(v) }
            fail(column, Array(current), .badEnum, "“\(columns[column].chinese)”应填“是”或“否”")
        case .choice:
            let set = read.plan.choices!
            if let v = set._withUnsafeGuaranteedRef({ $0.match(bytes: current) }) { return .choice(v) }
            let labels = set.takeUnretainedValue().choices.map(\.label)
            fail(column, Array(current), .badEnum, "“\(columns[column].chinese)”只能填：" + labels.joined(separator: "、"))
        }
        return .none
    }

    /// The roster row's snapshot, its 摸排日期 and institution code typed alone (as `rosterEntry` types
    /// them, the code as its record or reject would name it); nil when either is not readable. The other
    /// columns are not looked at: the row is not validated.
    mutating func snapshotKey() -> RosterSnapshot? {
        let asOf = RosterColumn.asOf.rawValue, code = RosterColumn.code.rawValue
        guard let dateCell = columnMap[asOf], let codeCell = columnMap[code],
              case .date(let date) = typed(ColumnRead(column: asOf, cell: dateCell, plan: plans[asOf])),
              case .text = typed(ColumnRead(column: code, cell: codeCell, plan: plans[code])) else { return nil }
        return RosterSnapshot(code: Masking.scrub(row.withCell(codeCell) { TextBytes.foldedText($0) }), asOf: date)
    }

    /// Records the row's readable date and institution code on its reject.
    mutating func setRejectContext(date: LocalDate?, code: String?) {
        failure?.date = date
        failure?.institutionCode = code
    }
}

/// A column the row loop reads: its place in the form and in the sheet (-1: the header lacks it).
private struct ColumnRead {
    let column: Int
    let cell: Int
    /// The column's plan, kept beside its place: the row loop reads nothing else per cell.
    let plan: ColumnPlan
}

/// Room for a cell's folded bytes, kept from cell to cell of a sheet (grown when a cell is longer).
private final class FoldBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity = 256

    init() { base = .allocate(capacity: capacity) }

    deinit { base.deallocate() }

    /// Trimmed text `b` folded, valid until the next call; and whether it holds a control character.
    func fold(_ b: UnsafeBufferPointer<UInt8>) -> (UnsafeBufferPointer<UInt8>, Bool) {
        if b.count > capacity {
            base.deallocate()
            capacity = b.count
            base = .allocate(capacity: capacity)
        }
        let (count, control) = TextBytes.fold(b, into: base)
        return (UnsafeBufferPointer(start: base, count: count), control)
    }
}

/// A date's year, remembered for the dates of the same year (taking it from a day number divides five times).
private struct YearOfDay {
    private var days = 0..<0
    private var year = 0

    mutating func year(of date: LocalDate) -> Int {
        if days.contains(date.dayNumber) { return year }
        year = date.year
        let first = LocalDate(year: year, month: 1, day: 1)?.dayNumber ?? date.dayNumber
        days = first..<(LocalDate(year: year + 1, month: 1, day: 1)?.dayNumber ?? date.dayNumber + 1)
        return year
    }
}

/// The last text of each date column (up to 16 bytes) with the year it was read against, and the date it
/// read as: the next row's cell of the same text is not read again (a date is read in 100–400 instructions,
/// and a roster's 摸排日期 is the same on every row).
private final class DateMemo {
    private struct Entry {
        var text: PackedText?
        var referenceYear: Int?
        var date: LocalDate?
    }

    private let entries: UnsafeMutablePointer<Entry>
    private let columns: Int

    init(columns: Int) {
        self.columns = max(1, columns)
        entries = .allocate(capacity: self.columns)
        entries.initialize(repeating: Entry(), count: self.columns)
    }

    deinit { entries.deallocate() }

    /// `ValueParser.date` of the cell `b` of `column`.
    func date(_ b: UnsafeBufferPointer<UInt8>, column: Int, referenceYear: Int?) -> LocalDate? {
        guard let text = PackedText(b), column < columns else { return ValueParser.date(b, referenceYear: referenceYear) }
        let last = entries + column
        if last.pointee.text == text, last.pointee.referenceYear == referenceYear { return last.pointee.date }
        let date = ValueParser.date(b, referenceYear: referenceYear)
        last.pointee = Entry(text: text, referenceYear: referenceYear, date: date)
        return date
    }
}

/// Room for one row's typed values, kept from row to row of a sheet (`CellValue` holds no references).
private final class ValueBuffer {
    let base: UnsafeMutablePointer<CellValue>
    let count: Int

    init(count: Int) {
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: .none, count: count)
        self.count = count
    }

    deinit { base.deallocate() }
}

/// Which columns of a form the row loop reads and where each column sits in the sheet, kept as plain
/// memory as long as the parser: every row walks `reads` and its typed row points into `cells` (arrays
/// were retained and released per row).
private final class ColumnLayout {
    /// The columns the form reads, in its order, each with where it sits in the sheet: an ignored
    /// column, and one the header lacks (unless it is required or the row's date, whose absence still
    /// fails the row or clears the reference year), keep the value `.none` they start with.
    let reads: UnsafeMutableBufferPointer<ColumnRead>
    /// Where each column of the form sits in the sheet (-1: the header lacks it).
    let cells: UnsafeMutablePointer<Int>

    init(plans: [ColumnPlan], match: HeaderMatcher.Match) {
        let read = plans.indices.compactMap { c -> ColumnRead? in
            guard !plans[c].ignored, match.columnMap[c] != nil || plans[c].required || c == match.form.rowDateColumn else { return nil }
            return ColumnRead(column: c, cell: match.columnMap[c] ?? -1, plan: plans[c])
        }
        reads = .allocate(capacity: read.count)
        _ = reads.initialize(from: read)
        cells = .allocate(capacity: max(1, plans.count))
        cells.initialize(from: plans.indices.map { match.columnMap[$0] ?? -1 }, count: plans.count)
    }

    deinit {
        reads.deallocate()
        cells.deallocate()
    }
}

/// A column as the row loop reads it: its type without payload, its choice set unmanaged (the sets are
/// static and live as long as the process; a strong or unowned reference was retained for every choice cell).
private struct ColumnPlan {
    enum Kind { case text, count, date, dateTime, timeOrDateTime, yesNo, choice, phone, idNumber }
    let kind: Kind
    let choices: Unmanaged<ChoiceSet>?
    let required: Bool
    let ignored: Bool

    init(_ spec: ColumnSpec) {
        switch spec.type {
        case .text: kind = .text
        case .count: kind = .count
        case .date: kind = .date
        case .dateTime: kind = .dateTime
        case .timeOrDateTime: kind = .timeOrDateTime
        case .yesNo: kind = .yesNo
        case .choice: kind = .choice
        case .phone: kind = .phone
        case .idNumber: kind = .idNumber
        }
        if case .choice(let set) = spec.type { choices = .passUnretained(set) } else { choices = nil }
        required = spec.required
        ignored = spec.ignored
    }
}

extension ValueType {
    var isPhone: Bool {
        if case .phone = self { return true }
        return false
    }
}
