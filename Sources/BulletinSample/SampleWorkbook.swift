/// Single workbooks for tests of what schools send besides the district's own files.
public enum SampleWorkbook {
    /// An Excel 97–2003 (.xls) workbook of one sheet whose first row is the header;
    /// `password` writes it as a password-protected file (a FILEPASS record) would be.
    public static func xls(sheet name: String, rows: [[String]], password: Bool = false) -> [UInt8] {
        let spec = SheetSpec(name: name, header: rows.first ?? [], rows: Array(rows.dropFirst()))
        return XLSWriter.workbook([spec], password: password)
    }

    /// An .xlsx workbook of one sheet (cells as shared strings), its first row the header after `titles`.
    public static func xlsx(sheet name: String, titles: [[String]] = [], rows: [[String]]) -> [UInt8] {
        XLSXWriter.workbook([SheetSpec(name: name, titleRows: titles, header: rows.first ?? [], rows: Array(rows.dropFirst()))])
    }

    /// An XML Spreadsheet 2003 document of one sheet, its first row the header after `titles`.
    public static func spreadsheetML(sheet name: String, titles: [[String]] = [], rows: [[String]]) -> [UInt8] {
        Array(SpreadsheetMLWriter.document([SheetSpec(name: name, titleRows: titles, header: rows.first ?? [],
                                                      rows: Array(rows.dropFirst()))]).utf8)
    }
}
