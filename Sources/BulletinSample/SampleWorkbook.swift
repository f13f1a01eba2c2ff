/// Single workbooks for tests of what schools send besides the district's own files.
public enum SampleWorkbook {
    /// An Excel 97–2003 (.xls) workbook of one sheet whose first row is the header;
    /// `password` writes it as a password-protected file (a FILEPASS record) would be.
    public static func xls(sheet name: String, rows: [[String]], password: Bool = false) -> [UInt8] {
        let spec = SheetSpec(name: name, header: rows.first ?? [], rows: Array(rows.dropFirst()))
        return XLSWriter.workbook([spec], password: password)
    }
}
