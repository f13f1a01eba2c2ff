/// One worksheet (or a whole CSV file) as rows of UTF-8 text cells, stored flat.
///
/// All cell bytes live in one buffer, so reading a file allocates per sheet, not per cell. A CSV
/// sheet holds the file's own bytes and its cells are ranges of them: no cell is copied.
/// Row numbers are those Excel shows (1-based; for CSV the record number).
public struct Sheet: Sendable {
    /// The worksheet's name; nil for CSV.
    public var name: String?
    /// The bytes the cells are ranges of.
    public private(set) var bytes: [UInt8] = []
    /// Start and end offsets in `bytes` of every cell.
    public private(set) var cellStarts: [Int] = []
    public private(set) var cellEnds: [Int] = []
    /// For row r, its cells are `cellStarts[rowStarts[r] ..< rowStarts[r + 1]]` (and the same of `cellEnds`).
    public private(set) var rowStarts: [Int] = [0]
    /// The row number a person sees for each row.
    public private(set) var rowNumbers: [Int] = []
    /// Whether every cell starts at or after the cell before it: cells added in the order of their bytes.
    private var startsAscend = true

    /// A sheet of the cells `SheetBuilder` made.
    init(name: String?, bytes: [UInt8], cellStarts: [Int], cellEnds: [Int], rowStarts: [Int], rowNumbers: [Int], startsAscend: Bool) {
        self.name = name
        self.bytes = bytes
        self.cellStarts = cellStarts
        self.cellEnds = cellEnds
        self.rowStarts = rowStarts
        self.rowNumbers = rowNumbers
        self.startsAscend = startsAscend
    }

    /// A sheet over `bytes` (a CSV file's UTF-8) whose cells `fill` adds by range, straight into
    /// offset arrays sized for at most `cells` cells in `rows` rows: no append (and no check of the
    /// arrays' uniqueness) per cell. Cells or rows past those bounds are dropped and `fill` is told so
    /// by `SheetFiller.overflowed`; the caller's bounds must hold. `fill` adds cells in the order of
    /// their bytes, but for those of bytes appended after (`appendReferenced`).
    public init<E: Error>(name: String?, holding bytes: [UInt8], cells: Int, rows: Int,
                          fill: (inout SheetFiller) throws(E) -> Void) throws(E) {
        self.name = name
        self.bytes = bytes
        var failure: E?
        var filled = (cells: 0, rows: 0)
        var starts: [Int] = [], ends: [Int] = [], firsts: [Int] = [], numbers: [Int] = []
        // Each array is made in place; the closures nest so that all four are open at once.
        starts = [Int](unsafeUninitializedCapacity: cells) { s, sCount in
            ends = [Int](unsafeUninitializedCapacity: cells) { e, eCount in
                firsts = [Int](unsafeUninitializedCapacity: rows + 1) { r, rCount in
                    numbers = [Int](unsafeUninitializedCapacity: rows) { n, nCount in
                        r[0] = 0
                        var filler = SheetFiller(starts: s, ends: e, rowStarts: r, numbers: n)
                        do throws(E) { try fill(&filler) } catch { failure = error }
                        filled = (filler.cells, filler.rows)
                        nCount = filler.rows
                    }
                    rCount = filled.rows + 1
                }
                eCount = filled.cells
            }
            sCount = filled.cells
        }
        cellStarts = starts
        cellEnds = ends
        rowStarts = firsts
        rowNumbers = numbers
        if let failure { throw failure }
    }

    public var rowCount: Int { rowNumbers.count }

    /// Whether some cell of row `first` or a row after it may need `TextBytes.fold`: `TextBytes.mayNeedFolding`
    /// of the bytes from the lowest of their cells' starts on (a title row above, `填报单位：` say, does
    /// not count); false: every such cell reads as it stands.
    public func mayNeedFolding(inRowsFrom first: Int) -> Bool {
        guard first >= 0, first < rowCount, rowStarts[first] < cellStarts.count else { return false }
        // Cells in the order of their bytes (most sheets) start no lower than the row's first; else each is looked at.
        let from = startsAscend ? cellStarts[rowStarts[first]]
                                : cellStarts.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[rowStarts[first]...]).min()! }
        return bytes.withUnsafeBufferPointer { TextBytes.mayNeedFolding(UnsafeBufferPointer(rebasing: $0[from...])) }
    }

    /// Bytes past the held ones that cells already refer to (a CSV file's unescaped cells, which came
    /// among cells of the held bytes: the cells are no longer in the order of their bytes).
    public mutating func appendReferenced(_ extra: [UInt8]) {
        startsAscend = false
        bytes.append(contentsOf: extra)
    }

    /// The row number a person sees for row `r`.
    public func rowNumber(_ r: Int) -> Int { rowNumbers[r] }

    /// An address standing for a buffer that holds nothing (never read).
    private static func nowhere<T>() -> UnsafePointer<T> { UnsafePointer(bitPattern: MemoryLayout<T>.alignment)! }

    /// Calls `body` with a view of the rows that reads cells straight from the sheet's buffers:
    /// no reference counting per row or cell on the hot path. The view must not escape `body`.
    public func withRows<R>(_ body: (SheetRows) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try cellStarts.withUnsafeBufferPointer { c in
                try cellEnds.withUnsafeBufferPointer { e in
                    try rowStarts.withUnsafeBufferPointer { s in
                        try rowNumbers.withUnsafeBufferPointer { n in
                            // An empty array has no address; its rows have no cells, so the stand-in is never read.
                            try body(SheetRows(bytes: b.baseAddress ?? Sheet.nowhere(), starts: c.baseAddress ?? Sheet.nowhere(),
                                               ends: e.baseAddress ?? Sheet.nowhere(), rows: s, numbers: n))
                        }
                    }
                }
            }
        }
    }
}

/// Adds cells and rows to a sheet being made by `Sheet.init(name:holding:cells:rows:fill:)`.
public struct SheetFiller {
    fileprivate let starts: UnsafeMutableBufferPointer<Int>
    fileprivate let ends: UnsafeMutableBufferPointer<Int>
    fileprivate let rowStarts: UnsafeMutableBufferPointer<Int>
    fileprivate let numbers: UnsafeMutableBufferPointer<Int>
    /// How many cells and rows the buffers take (each buffer may be larger than asked for).
    private let cellLimit: Int, rowLimit: Int

    fileprivate init(starts: UnsafeMutableBufferPointer<Int>, ends: UnsafeMutableBufferPointer<Int>,
                     rowStarts: UnsafeMutableBufferPointer<Int>, numbers: UnsafeMutableBufferPointer<Int>) {
        self.starts = starts
        self.ends = ends
        self.rowStarts = rowStarts
        self.numbers = numbers
        cellLimit = min(starts.count, ends.count)
        rowLimit = min(numbers.count, rowStarts.count - 1)
    }

    /// Cells and rows added so far.
    public private(set) var cells = 0
    public private(set) var rows = 0
    /// Whether a cell or row past the bounds was dropped.
    public private(set) var overflowed = false

    /// A cell that is `start..<end` of the sheet's bytes (or of bytes appended later, see `Sheet.appendReferenced`).
    @inline(__always)
    public mutating func addCell(_ start: Int, _ end: Int) {
        guard cells < cellLimit else { overflowed = true; return }
        starts[cells] = start
        ends[cells] = end
        cells &+= 1   // below the limit: no overflow to check
    }

    /// Ends the row being built, numbered as a person sees it.
    @inline(__always)
    public mutating func endRow(number: Int) {
        guard rows < rowLimit else { overflowed = true; return }
        rowStarts[rows &+ 1] = cells
        numbers[rows] = number
        rows &+= 1
    }
}

/// The rows of a `Sheet`, valid inside `Sheet.withRows`.
public struct SheetRows {
    fileprivate let bytes: UnsafePointer<UInt8>
    fileprivate let starts: UnsafePointer<Int>
    fileprivate let ends: UnsafePointer<Int>
    fileprivate let rows: UnsafeBufferPointer<Int>
    fileprivate let numbers: UnsafeBufferPointer<Int>

    public var count: Int { numbers.count }

    /// Row `r` (0-based), valid while the closure runs.
    public subscript(r: Int) -> SheetRow {
        SheetRow(bytes: bytes, starts: starts, ends: ends, first: rows[r], count: rows[r + 1] - rows[r], number: numbers[r])
    }
}

/// One row of a sheet, valid inside `Sheet.withRows`.
public struct SheetRow {
    // Seen by the inlinable cell accessors: validation reads every cell through them from another module.
    @usableFromInline let bytes: UnsafePointer<UInt8>
    @usableFromInline let starts: UnsafePointer<Int>
    @usableFromInline let ends: UnsafePointer<Int>
    /// Index of the row's first cell among all the sheet's cells.
    @usableFromInline let first: Int
    /// Number of cells in the row.
    public let count: Int
    /// The row number a person sees.
    public let number: Int

    /// The cell's bytes (empty when the row is shorter), valid inside `Sheet.withRows` like the row; no copy.
    @inlinable @inline(__always)
    public func cell(_ c: Int) -> UnsafeBufferPointer<UInt8> {
        guard c >= 0, c < count else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = starts[first &+ c], end = ends[first &+ c]   // within the sheet's cells: unchecked
        return UnsafeBufferPointer(start: end > start ? bytes + start : nil, count: end &- start)
    }

    /// Calls `body` with the cell's bytes (empty when the row is shorter); no copy.
    @discardableResult @inlinable
    public func withCell<R>(_ c: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(cell(c))
    }

    /// The cell's text, trimmed of ASCII and full-width spaces.
    public func text(_ c: Int) -> String {
        withCell(c) { String(decoding: TextBytes.trimmed($0), as: UTF8.self) }
    }
}

/// Byte-level helpers for UTF-8 cell text.
public enum TextBytes {
    /// The cell without surrounding ASCII whitespace, full-width spaces (U+3000) and no-break spaces.
    @inlinable @inline(__always)
    public static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        // Most cells neither begin with a byte a space begins with (one at most 0x20, E3 or C2) nor end with
        // one a space ends with (at most 0x20, 80 or A0): they are returned after two looks.
        guard let base = b.baseAddress, b.count > 0 else { return b }
        let first = base[0], last = base[b.count &- 1]
        if first > 0x20, first != 0xE3, first != 0xC2, last > 0x20, last != 0x80, last != 0xA0 { return b }
        return trimmedByteByByte(b)
    }

    /// `trimmed`, a byte at a time from each end.
    @usableFromInline
    static func trimmedByteByByte(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        // 0 ≤ lo ≤ hi ≤ count throughout: the arithmetic is unchecked.
        var lo = 0, hi = b.count
        while lo < hi {
            if isSpace(b[lo]) { lo &+= 1 }
            else if hi &- lo >= 3, b[lo] == 0xE3, b[lo &+ 1] == 0x80, b[lo &+ 2] == 0x80 { lo &+= 3 }
            else if hi &- lo >= 2, b[lo] == 0xC2, b[lo &+ 1] == 0xA0 { lo &+= 2 }
            else { break }
        }
        while hi > lo {
            if isSpace(b[hi &- 1]) { hi &-= 1 }
            else if hi &- lo >= 3, b[hi &- 3] == 0xE3, b[hi &- 2] == 0x80, b[hi &- 1] == 0x80 { hi &-= 3 }
            else if hi &- lo >= 2, b[hi &- 2] == 0xC2, b[hi &- 1] == 0xA0 { hi &-= 2 }
            else { break }
        }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    @inlinable @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// Whether trimmed text needs `fold`: it holds a byte that folding changes or a control character
    /// (most cells do not, and are read where they are).
    /// Eight bytes at a time: the last word overlaps the one before it rather than taking a byte loop.
    @inlinable @inline(__always)
    public static func needsFolding(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 8, let base = b.baseAddress else {
            return b.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xEF })
        }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i &+ 8 < b.count {
            if hasFoldingByte(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i &+= 8
        }
        return hasFoldingByte(raw.loadUnaligned(fromByteOffset: b.count &- 8, as: UInt64.self))
    }

    /// Whether some cell made of `b`'s bytes may need `fold`: `b` holds a byte of `needsFolding`'s other
    /// than tab, LF and CR, which folding keeps as they are and does not count as control characters.
    /// When it holds none, every such cell reads as it stands: a sheet is scanned once, sixty-four bytes
    /// at a time (`FoldingBlocks`), instead of each cell being checked as it is typed.
    public static func mayNeedFolding(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return false }
        let raw = UnsafeRawPointer(base), n = b.count
        var i = 0
        while i &+ 64 <= n {
            if FoldingBlocks.hold(raw, i) { return true }
            i &+= 64
        }
        return UnsafeBufferPointer(rebasing: b[i...]).contains(where: mayNeedFolding)
    }

    /// Whether `c` is a byte `mayNeedFolding` looks for.
    @inline(__always)
    static func mayNeedFolding(_ c: UInt8) -> Bool { c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D || c == 0x7F || c == 0xEF }

    /// Whether any of the eight bytes of `x` is below 0x20, 0x7F or 0xEF (exact: a byte-wise borrow
    /// can only mark bytes above a byte that is itself one of these).
    @inlinable @inline(__always)
    static func hasFoldingByte(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let below0x20 = (x &- ones &* 0x20) & ~x & highs
        let is7F = x ^ (ones &* 0x7F), isEF = x ^ (ones &* 0xEF)
        return below0x20 | ((is7F &- ones) & ~is7F & highs) | ((isEF &- ones) & ~isEF & highs) != 0
    }

    /// Folds full-width ASCII (U+FF01…U+FF5E, e.g. `１２`) in trimmed text `b` to ASCII, into `out`,
    /// which has room for `b.count` bytes; other non-ASCII bytes (Chinese, say) are copied as they are.
    /// Returns how many bytes it wrote and whether the text holds a control character other than tab,
    /// CR and LF (a NUL, say).
    public static func fold(_ b: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> (count: Int, control: Bool) {
        var n = 0
        let control = fold(b) { out[n] = $0; n += 1 }   // folding only shortens
        return (n, control)
    }

    /// The cell's text trimmed and folded as `fold` does, made straight into a String
    /// (no buffer in between; text of up to 15 bytes allocates nothing).
    public static func foldedText(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        let b = trimmed(raw)
        return String(unsafeUninitializedCapacity: b.count) { out in
            var n = 0
            _ = fold(b) { out[n] = $0; n += 1 }   // folding only shortens: `b.count` bytes suffice
            return n
        }
    }

    /// Lends the cell's text trimmed and folded as `fold` does, in a temporary buffer (no String,
    /// no heap for short cells): for text that is only looked at, an ID number on its way to a pseudonym.
    /// Inlinable: called from another module unspecialised, it looked up generic metadata on every call.
    @inlinable
    public static func withFolded<R>(_ raw: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let b = trimmed(raw)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, b.count)) { out in
            var n = 0
            _ = fold(b) { out[n] = $0; n += 1 }   // folding only shortens
            return body(UnsafeBufferPointer(rebasing: out[..<n]))
        }
    }

    /// Emits the folded bytes of `b`; returns whether it holds a control character.
    @inline(__always) @usableFromInline
    static func fold(_ b: UnsafeBufferPointer<UInt8>, _ emit: (UInt8) -> Void) -> Bool {
        var control = false
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 {
                if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D || c == 0x7F { control = true }
                emit(c)
                i += 1
                continue
            }
            // U+FF01…U+FF5E is EF BC 81…EF BD 9E.
            if c == 0xEF, i + 2 < b.count, b[i + 1] == 0xBC || b[i + 1] == 0xBD {
                let scalar = 0xFF00 + (Int(b[i + 1] & 0x03) << 6) + Int(b[i + 2] & 0x3F)
                if (0xFF01...0xFF5E).contains(scalar) {
                    emit(UInt8(scalar - 0xFEE0))
                    i += 3
                    continue
                }
            }
            emit(c)
            i += 1
        }
        return control
    }
}
