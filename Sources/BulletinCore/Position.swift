/// Where a value came from, as a person would find it in Excel.
public struct Position: Hashable, Sendable {
    /// The input file relative to the landing folder, plus `#sheet` for workbooks.
    public var source: String
    /// The row number Excel shows (1-based, title and header rows counted); for CSV the record number.
    public var row: Int?
    /// The column's canonical Chinese name, where one column is at fault.
    public var column: String?

    public init(source: String, row: Int? = nil, column: String? = nil) {
        self.source = source
        self.row = row
        self.column = column
    }
}

/// Excel's names for cells: column letters and `G7`-style references.
public enum CellReference {
    /// Column letters of a zero-based index: 0 → A, 26 → AA.
    public static func letters(_ index: Int) -> String {
        var n = index + 1
        var s = ""
        while n > 0 {
            let m = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + m))) + s
            n = (n - 1) / 26
        }
        return s
    }

    /// The reference of the cell in zero-based column `column` of row `row` (as Excel numbers rows).
    public static func cell(column: Int, row: Int) -> String { letters(column) + String(row) }
}
