import BulletinCore

/// A blank form for schools to fill, made from the form's declaration: its header row, a 填表说明
/// sheet (each column's meaning, type, allowed values, whether it is required, the deadline), and in
/// workbooks drop-down lists for choice and yes/no columns, date and time formats, text format for
/// codes and personal numbers, column widths and a frozen header.
public struct FormTemplate: Sendable {
    /// Header names in Chinese or English.
    public enum Language: String, Sendable, CaseIterable { case zh, en }

    /// One column as the template lays it out.
    public struct Column: Sendable {
        public var header: String
        public var spec: ColumnSpec
        /// How a workbook formats the column's cells.
        public var cellFormat: CellFormat
        /// The drop-down list's values, for choice and yes/no columns.
        public var listed: [String]?
        /// Width in characters.
        public var width: Int
    }

    /// How a column's cells are formatted, so Excel keeps what is typed (leading zeros, dates).
    public enum CellFormat: Sendable { case general, text, date, dateTime, time }

    public let form: FormKind
    public let language: Language
    public let columns: [Column]
    /// The 填表说明 sheet's rows, its header row first.
    public let instructions: [[String]]
    /// Rows the drop-down lists and formats cover, below the header.
    public static let rowsCovered = 2000

    /// The blank form of `form` in `language`; its notes state `deadline`.
    public init(form: FormKind, language: Language, deadline: TimeOfDay) {
        self.form = form
        self.language = language
        let zh = language == .zh
        columns = form.columns.map { spec in
            let header = zh ? spec.chinese : spec.english
            let format: CellFormat
            switch spec.type {
            case .date: format = .date
            case .dateTime: format = .dateTime
            case .timeOrDateTime: format = .time
            case .text, .phone, .idNumber: format = .text
            case .count, .yesNo, .choice: format = .general
            }
            let width = max(10, min(40, header.count * (zh ? 2 : 1) + 4, format == .dateTime ? 18 : 40))
            return Column(header: header, spec: spec, cellFormat: format, listed: spec.type.listed, width: width)
        }
        var rows: [[String]] = [zh ? ["列名", "英文列名", "必填", "填写要求", "示例"]
                                   : ["column", "Chinese name", "required", "what to type", "example"]]
        for c in form.columns {
            rows.append([zh ? c.chinese : c.english, zh ? c.english : c.chinese, c.required ? (zh ? "是" : "yes") : "",
                         zh ? c.type.chineseDescription : c.type.englishDescription, c.type.example])
        }
        rows.append([])
        if zh {
            rows.append(["说明：第一行是表头，请保留，不要改列名；从第二行起每行填一条。"])
            rows.append(["\(form.chineseName)每日\(deadline)前报送；没有情况也要报送（零报告）。"])
            rows.append(["报送前可运行 bulletin check 文件名 检查，结论为“可以报送”再发送。"])
        } else {
            rows.append(["The first row is the header: keep it and do not rename columns; one record per row below it."])
            rows.append(["Send \(form.rawValue) every day before \(deadline), also when there is nothing to report."])
            rows.append(["Run `bulletin check FILE` before sending; send when it says ok."])
        }
        instructions = rows
    }

    /// The sheet names: the form's own and the instructions'.
    public var sheetNames: (form: String, instructions: String) {
        language == .zh ? (form.chineseName, "填表说明") : (form.rawValue, "instructions")
    }

    /// The CSV template: the header row alone, UTF-8 with a BOM so Excel opens it as such.
    public var csv: [UInt8] { CSVWriter(header: columns.map(\.header)).bytes }
}
