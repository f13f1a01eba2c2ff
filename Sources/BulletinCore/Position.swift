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
