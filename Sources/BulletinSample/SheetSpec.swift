import BulletinCore

/// One sheet as the generator will write it: optional title rows, header, data and a 合计 row.
struct SheetSpec {
    var name: String
    var titleRows: [[String]] = []
    var header: [String]
    var rows: [[String]]
    /// Rows to write after the data (a 合计 row).
    var trailer: [[String]] = []
    /// Data cells a workbook writes as typed time or date-time cells rather than text, by data
    /// row and column (CSV writes the text of `rows`, which says the same).
    var workbookCells: [Int: [Int: WorkbookCell]] = [:]

    /// The row number a person will see for data row `i` (1-based, titles and header counted).
    func rowNumber(ofDataRow i: Int) -> Int { titleRows.count + 1 + i + 1 }

    var allRows: [[String]] { titleRows + [header] + rows + trailer }
}

/// A cell typed in Excel or WPS as a time or a date-time: a number under a time format in .xlsx,
/// a `DateTime` on Excel's day zero (1899-12-31) in SpreadsheetML.
enum WorkbookCell {
    /// A time of day, in seconds after midnight.
    case time(Int)
    case dateTime(LocalDateTime)

    /// The serial Excel stores (1900 system).
    var serial: Double {
        switch self {
        case .time(let s): return Double(s) / 86_400
        case .dateTime(let t): return Double(t.date.dayNumber + 25_569) + Double(t.secondOfDay) / 86_400
        }
    }

    /// SpreadsheetML's text for the cell.
    var spreadsheetML: String {
        switch self {
        case .time(let s): return "1899-12-31T\(TimeOfDay(seconds: s)).000"
        case .dateTime(let t): return "\(t.date)T\(TimeOfDay(seconds: t.secondOfDay)).000"
        }
    }
}

/// A 填表说明 sheet as schools keep in their workbooks: one field name per row, which must not be
/// taken for a header (forms.md: a header names at least two of a form's columns).
func instructionSheet(_ form: FormKind) -> SheetSpec {
    let rows = form.columns.map { [$0.chinese, $0.required ? "必填" : "选填"] }
    return SheetSpec(name: "填表说明", titleRows: [["填表说明：请勿修改表头"]], header: ["字段", "说明"], rows: rows)
}

/// How a file's author typed things: header language, column order, date style, digits, encoding.
struct TypingStyle {
    var english: Bool
    var shuffle: Bool
    var title: Bool
    var dateStyle: Int
    var fullWidth: Bool
    var encoding: Int   // 0 UTF-8, 1 UTF-8 with BOM, 2 GB18030

    static func random(_ r: inout SeededRandom, encodings: [Int], uniform: Bool = false) -> TypingStyle {
        let style = TypingStyle(english: r.chance(0.2), shuffle: r.chance(0.3), title: r.chance(0.5), dateStyle: r.int(0...5),
                                fullWidth: r.chance(0.15), encoding: encodings[r.int(0...2) % encodings.count])
        return uniform ? .plain : style
    }

    /// Chinese headers in form order, no title, ISO dates, ASCII digits, UTF-8.
    static let plain = TypingStyle(english: false, shuffle: false, title: false, dateStyle: 0, fullWidth: false, encoding: 0)

    func date(_ d: LocalDate) -> String {
        let c = d.components
        switch dateStyle {
        case 1: return "\(c.year)/\(c.month)/\(c.day)"
        case 2: return "\(c.year).\(c.month).\(c.day)"
        case 3: return "\(c.year)年\(c.month)月\(c.day)日"
        case 4: return "\(c.year)\(zeroPadded(width: 2, c.month))\(zeroPadded(width: 2, c.day))"
        case 5: return "\(c.month)月\(c.day)日"
        default: return d.description
        }
    }

    /// The report date itself never drops its year (other dates may use the year of the row's date).
    func rowDate(_ d: LocalDate) -> String { dateStyle == 5 ? d.description : date(d) }

    func dateTime(_ t: LocalDateTime) -> String {
        let s = t.secondOfDay
        let h = s / 3600, m = s / 60 % 60
        switch dateStyle {
        case 3: return "\(rowDate(t.date)) \(h)时\(m)分"
        case 1, 2: return "\(rowDate(t.date)) \(h):\(zeroPadded(width: 2, m))"
        default: return "\(rowDate(t.date)) \(zeroPadded(width: 2, h)):\(zeroPadded(width: 2, m)):\(zeroPadded(width: 2, s % 60))"
        }
    }

    func count(_ v: Int) -> String {
        guard fullWidth else { return String(v) }
        return String(String(v).unicodeScalars.map { Character(UnicodeScalar($0.value + 0xFEE0)!) })
    }
}
