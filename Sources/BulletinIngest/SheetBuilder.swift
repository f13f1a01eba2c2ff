/// Makes a `Sheet` a cell at a time, for the readers of workbooks (.xlsx, SpreadsheetML, .xls), whose
/// number of cells is known only at the end (the CSV reader counts its separators first and fills a
/// sheet sized for them: `Sheet.init(name:holding:cells:rows:fill:)`).
///
/// The cells' offsets go into buffers of the builder's own, grown by doubling and stored through a
/// pointer: appending to the sheet's arrays checked each array's uniqueness (a call into the runtime)
/// twice a cell, in a function of some fifty instructions a cell, a twentieth of an .xlsx file's reading.
public final class SheetBuilder {
    /// The bytes the cells are ranges of: held ones (a workbook's shared strings), then the cells' own.
    private var bytes: [UInt8]
    private var starts = GrowingBuffer<Int>()
    private var ends = GrowingBuffer<Int>()
    /// For row r, its cells are `starts[rowStarts[r] ..< rowStarts[r + 1]]`: the first is 0.
    private var rowStarts = GrowingBuffer<Int>()
    private var rowNumbers = GrowingBuffer<Int>()
    /// Where the cell being built began.
    private var building: Int
    /// Whether every cell starts at or after the cell before it (see `Sheet.mayNeedFolding(inRowsFrom:)`).
    private var startsAscend = true

    /// A builder of a sheet with no bytes yet.
    public convenience init() { self.init(holding: []) }

    /// A builder of a sheet over `bytes` (an .xlsx workbook's shared strings), which cells may name by
    /// range (`endCell(holding:)`); the bytes are copied only once a cell appends bytes of its own.
    public init(holding bytes: [UInt8]) {
        self.bytes = bytes
        building = bytes.count
        rowStarts.append(0)
    }

    /// Starts another sheet over no bytes, keeping the offsets' memory (a reader of several worksheets).
    public func reset() {
        bytes = []
        building = 0
        starts.removeAll()
        ends.removeAll()
        rowStarts.removeAll()
        rowNumbers.removeAll()
        rowStarts.append(0)
        startsAscend = true
    }

    /// Appends bytes to the cell being built.
    public func appendBytes<C: Collection>(_ c: C) where C.Element == UInt8 { bytes.append(contentsOf: c) }

    /// Ends the cell being built.
    @inline(__always)
    public func endCell() {
        addCell(building, bytes.count)
        building = bytes.count
    }

    /// Ends a cell whose text is `range` of the held bytes (an .xlsx shared string): nothing is copied.
    /// No cell may be being built.
    @inline(__always)
    public func endCell(holding range: Range<Int>) { addCell(range.lowerBound, range.upperBound) }

    /// A full cell in one call.
    public func appendCell(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        endCell()
    }

    /// Ends the row being built, numbered as a person sees it.
    public func endRow(number: Int) {
        rowStarts.append(ends.count)
        rowNumbers.append(number)
    }

    /// The sheet built so far, named `name` (nil for CSV).
    public func sheet(name: String?) -> Sheet {
        Sheet(name: name, bytes: bytes, cellStarts: starts.array(), cellEnds: ends.array(), rowStarts: rowStarts.array(),
              rowNumbers: rowNumbers.array(), startsAscend: startsAscend)
    }

    @inline(__always)
    private func addCell(_ start: Int, _ end: Int) {
        if starts.count > 0, start < starts.last { startsAscend = false }
        starts.append(start)
        ends.append(end)
    }
}
