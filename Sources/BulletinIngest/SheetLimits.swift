/// The bounds every reader enforces on what a file may make it build, so a hostile number
/// in a file is a reject, never a trap or memory without bound.
public enum SheetLimits {
    /// Excel's last row.
    public static let maxRows = 1_048_576
    /// Excel's last column (XFD).
    public static let maxColumns = 16_384
    /// Worksheets in one workbook; Excel has no fixed limit, but no school sends this many.
    public static let maxSheets = 1_000

    /// Cells a file of `bytes` bytes may fill, padding of skipped columns included: a real
    /// sheet has far fewer cells than bytes, so four per byte (plus a floor) is generous,
    /// while `<c r="XFD1"/>` on every row stays bounded.
    public static func cellBudget(fileBytes: Int) -> Int { (1 << 20) + 4 * fileBytes }

    static func tooManyRows(_ part: String, row: Int) -> IngestError {
        IngestError(.tooLarge, "\(part)：行号\(row == Int.max ? "过大" : String(row))超出Excel的上限\(maxRows)行",
                    location: row == Int.max ? .rowPast(maxRows) : .row(row))
    }

    static func tooManyColumns(_ part: String, row: Int) -> IngestError {
        IngestError(.tooLarge, "\(part)：第\(row)行的列超出Excel的上限\(maxColumns)列（XFD）", location: .row(row))
    }

    static func tooManyCells(_ part: String, row: Int) -> IngestError {
        IngestError(.tooLarge, "\(part)：单元格数量与文件大小不相称（大量空列或合并单元格），超出安全上限，已拒绝",
                    location: .row(row))
    }
}
