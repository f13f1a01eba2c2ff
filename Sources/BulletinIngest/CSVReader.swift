#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte-level RFC 4180 reader: quotes, doubled quotes, CRLF/LF/CR record ends,
/// newlines inside quotes, comma or tab delimiters (Excel's "Unicode 文本" is tab-delimited).
/// Works on UTF-8 bytes and fills a `Sheet` whose cells are ranges of them; no copy or `String` per cell. Past Excel's limits
/// (1,048,576 rows, 16,384 columns) the file is refused.
///
/// Record numbers count every record, blank ones included, as a person counting
/// rows in Excel would. A quote that opens and never closes is an error, not a
/// silent swallowing of the rest of the file.
public enum CSVReader {
    /// How many delimiters, line feeds and carriage returns `p` holds (quoted ones too). Every cell
    /// ends at one of them or at the end, so there are at most that many plus one cells, and as
    /// many records: the sheet's offsets are sized once from this count.
    ///
    /// Sixteen bytes at a time, counted per lane (the byte loop, compiled to compares and branches,
    /// was as slow as the tokenizer itself; this is over ten times faster).
    @_spi(Testing) public static func separators(_ p: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> (delimiters: Int, lineEnds: Int) {
        guard let base = p.baseAddress else { return (0, 0) }
        let raw = UnsafeRawPointer(base), n = p.count
        let delimiters16 = SIMD16<UInt8>(repeating: delimiter)
        let lf = SIMD16<UInt8>(repeating: 0x0A), cr = SIMD16<UInt8>(repeating: 0x0D)
        let one = SIMD16<UInt8>(repeating: 1), zero = SIMD16<UInt8>()
        var delimiters = 0, lineEnds = 0, i = 0
        while i + 16 <= n {
            // Per-lane counts of up to 255 blocks fit a byte (a byte is at most one of LF and CR).
            var d = SIMD16<UInt8>(), l = SIMD16<UInt8>()
            var blocks = 0
            while blocks < 255 && i + 16 <= n {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                d &+= zero.replacing(with: one, where: v .== delimiters16)
                l &+= zero.replacing(with: one, where: v .== lf) &+ zero.replacing(with: one, where: v .== cr)
                i += 16
                blocks += 1
            }
            delimiters += Int(SIMD16<UInt16>(truncatingIfNeeded: d).wrappedSum())
            lineEnds += Int(SIMD16<UInt16>(truncatingIfNeeded: l).wrappedSum())
        }
        while i < n {
            let b = p[i]
            if b == delimiter { delimiters += 1 }
            if b == 0x0A || b == 0x0D { lineEnds += 1 }
            i += 1
        }
        return (delimiters, lineEnds)
    }

    /// Reads RFC 4180 records (comma, or tab when the first lines say so) from UTF-8 `bytes` into one sheet.
    public static func read(utf8 bytes: [UInt8]) throws(IngestError) -> Sheet {
        let comma = delimiter(bytes)
        let (delimiters, lineEnds) = bytes.withUnsafeBufferPointer { separators($0, delimiter: comma) }
        // Cells are ranges of the file's bytes; a quoted cell with doubled quotes or text after its
        // closing quote is unescaped into `extra`, which follows the file's bytes in the sheet.
        var extra: [UInt8] = []
        var sheet = try Sheet(name: nil, holding: bytes, cells: delimiters + lineEnds + 1, rows: lineEnds + 1) { (cells: inout SheetFiller) throws(IngestError) in
            try bytes.withUnsafeBufferPointer { (p) throws(IngestError) in
                // Most files hold no quote at all: their cells end at every delimiter and line end.
                if let base = p.baseAddress, memchr(base, 0x22, p.count) != nil {
                    try tokenize(p, delimiter: comma, into: &cells, extra: &extra)
                } else {
                    try tokenizeUnquoted(p, delimiter: comma, into: &cells)
                }
            }
        }
        if !extra.isEmpty { sheet.appendReferenced(extra) }
        return sheet
    }

    /// The records of `p`, which holds no quote, as cells of `sheet`: what `tokenize` makes of such a
    /// file, walking the bits of `SeparatorMask` rather than the bytes (every delimiter ends a cell;
    /// every CR, LF or CRLF ends a cell and its record).
    private static func tokenizeUnquoted(_ p: UnsafeBufferPointer<UInt8>, delimiter comma: UInt8,
                                         into filler: inout SheetFiller) throws(IngestError) {
        guard let base = p.baseAddress, p.count > 0 else { return }
        // The filler as a local, handed back at the end and before a throw: through the `inout`, every
        // cell loaded its buffers and count again after each store.
        var sheet = filler
        let raw = UnsafeRawPointer(base), n = p.count
        var record = 0, rowFirst = 0, cellStart = 0
        var crlf = -1   // the LF of a CRLF just ended: it ends nothing more
        var block = 0
        while block < n {
            var mask = block + 64 <= n ? SeparatorMask.block(raw, block, delimiter: comma)
                                       : SeparatorMask.bytes(UnsafeBufferPointer(rebasing: p[block...]), delimiter: comma)
            while mask != 0 {
                let k = block &+ mask.trailingZeroBitCount
                mask &= mask &- 1
                if k == crlf { continue }
                sheet.addCell(cellStart, k)
                cellStart = k &+ 1
                if p[k] == comma { continue }
                if p[k] == 0x0D, cellStart < n, p[cellStart] == 0x0A { crlf = cellStart; cellStart &+= 1 }
                // A record's columns are counted when it ends (the offsets have room for every cell the
                // file's separators can end, however many a record has).
                if sheet.cells &- rowFirst > SheetLimits.maxColumns {
                    filler = sheet
                    throw SheetLimits.tooManyColumns("CSV", row: record + 1)
                }
                record &+= 1
                sheet.endRow(number: record)
                rowFirst = sheet.cells
                if record > SheetLimits.maxRows {
                    filler = sheet
                    throw SheetLimits.tooManyRows("CSV", row: record)
                }
            }
            block &+= 64
        }
        // The file ends inside its last cell, or just after a delimiter: an empty last cell, not counted
        // against the columns (as `tokenize` does not count it).
        if cellStart < n { sheet.addCell(cellStart, n) }
        filler = sheet
        if cellStart < n || p[n - 1] == comma {
            if sheet.cells - rowFirst > SheetLimits.maxColumns { throw SheetLimits.tooManyColumns("CSV", row: record + 1) }
            if cellStart == n { filler.addCell(n, n) }
            record += 1
            filler.endRow(number: record)
            if record > SheetLimits.maxRows { throw SheetLimits.tooManyRows("CSV", row: record) }
        }
        // The bounds come from counting every byte that can end a cell or a record: never reached.
        if filler.overflowed { throw IngestError(.malformedCSV, "记录数超出预计，无法读取", location: nil) }
    }

    /// The records of `p` as cells of `sheet` (unescaped cells' bytes into `extra`, numbered from `p.count`).
    private static func tokenize(_ p: UnsafeBufferPointer<UInt8>, delimiter comma: UInt8, into sheet: inout SheetFiller,
                                 extra: inout [UInt8]) throws(IngestError) {
        // Which bytes end an unquoted cell, looked up rather than compared three times per byte.
        try withUnsafeTemporaryAllocation(of: Bool.self, capacity: 256) { (ends) throws(IngestError) in
            for b in 0..<256 { ends.initializeElement(at: b, to: b == Int(comma) || b == 0x0D || b == 0x0A) }
            try tokenize(p, delimiter: comma, ends: UnsafeBufferPointer(ends), into: &sheet, extra: &extra)
        }
    }

    private static func tokenize(_ p: UnsafeBufferPointer<UInt8>, delimiter comma: UInt8, ends: UnsafeBufferPointer<Bool>,
                                 into sheet: inout SheetFiller, extra: inout [UInt8]) throws(IngestError) {
        var record = 0
        var unterminatedAt: Int?
        var overLimit: IngestError?
        let n = p.count
        var i = 0
        var cellsInRow = 0
        let quote: UInt8 = 0x22, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        func endRecord() {
            record += 1
            sheet.endRow(number: record)
            cellsInRow = 0
            if record > SheetLimits.maxRows { overLimit = SheetLimits.tooManyRows("CSV", row: record) }
        }
        scan: while i < n, overLimit == nil {
            // Start of a cell.
            if p[i] == quote {
                let openedAt = record + 1
                i += 1
                let contentStart = i
                while i < n && p[i] != quote { i += 1 }
                guard i < n else { unterminatedAt = openedAt; break scan }
                if i + 1 < n && p[i + 1] == quote || i + 1 < n && p[i + 1] != comma && p[i + 1] != cr && p[i + 1] != lf {
                    // Doubled quotes, or text after the closing quote: unescaped into `extra`.
                    let start = n + extra.count
                    extra.append(contentsOf: UnsafeBufferPointer(rebasing: p[contentStart..<i]))
                    var closed = false
                    while i < n {
                        if p[i] == quote {
                            if i + 1 < n && p[i + 1] == quote { extra.append(quote); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        var j = i + 1
                        while j < n && p[j] != quote { j += 1 }
                        extra.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                        i = j
                    }
                    if !closed { unterminatedAt = openedAt; break scan }
                    // Anything between the closing quote and the delimiter is kept as typed.
                    while i < n && p[i] != comma && p[i] != cr && p[i] != lf { extra.append(p[i]); i += 1 }
                    sheet.addCell(start, n + extra.count)
                } else {
                    sheet.addCell(contentStart, i)
                    i += 1
                }
            } else {
                var j = i
                while j < n && !ends[Int(p[j])] { j += 1 }
                sheet.addCell(i, j)
                i = j
            }
            cellsInRow += 1
            if cellsInRow > SheetLimits.maxColumns { overLimit = SheetLimits.tooManyColumns("CSV", row: record + 1); break scan }
            if i >= n { endRecord(); break }
            let c = p[i]
            i += 1
            if c == comma {
                if i >= n { sheet.addCell(n, n); endRecord() }
                continue
            }
            if c == cr && i < n && p[i] == lf { i += 1 }
            endRecord()
        }
        if let overLimit { throw overLimit }
        if let at = unterminatedAt {
            throw IngestError(.malformedCSV, "引号未闭合：从此记录开始的带引号字段直到文件末尾都没有结束", location: .record(at))
        }
        // The bounds come from counting every byte that can end a cell or a record: never reached.
        if sheet.overflowed { throw IngestError(.malformedCSV, "记录数超出预计，无法读取", location: nil) }
    }

    /// Tab when the first lines hold more tabs than commas (outside quotes), else comma.
    @_spi(Testing) public static func delimiter(_ bytes: [UInt8]) -> UInt8 {
        var tabs = 0, commas = 0, lines = 0, quoted = false
        let unquoted: UInt8? = bytes.withUnsafeBufferPointer { p in
            // Without a quote in the first 64 KiB, the first ten lines (to the tenth LF) are counted sixteen
            // bytes at a time: the byte loop below was a tenth of reading a small roster file.
            let head = UnsafeBufferPointer(rebasing: p.prefix(64 << 10))
            guard let base = head.baseAddress, memchr(base, 0x22, head.count) == nil else { return nil }
            var end = 0, lines = 0
            while lines < 10, end < head.count, let lf = memchr(base + end, 0x0A, head.count - end) {
                end = base.distance(to: lf.assumingMemoryBound(to: UInt8.self)) + 1
                lines += 1
            }
            let lined = UnsafeBufferPointer(rebasing: head[..<(lines == 10 ? end : head.count)])
            return separators(lined, delimiter: 0x09).delimiters > separators(lined, delimiter: 0x2C).delimiters ? 0x09 : 0x2C
        }
        if let unquoted { return unquoted }
        // Through a pointer: a slice's iterator checked every byte's bounds (2 % of a cold CSV day).
        bytes.withUnsafeBufferPointer { p in
            for b in UnsafeBufferPointer(rebasing: p.prefix(64 << 10)) {
                if b == 0x22 { quoted.toggle() }
                else if quoted { continue }
                else if b == 0x09 { tabs += 1 }
                else if b == 0x2C { commas += 1 }
                else if b == 0x0A { lines += 1; if lines == 10 { break } }
            }
        }
        return tabs > commas ? 0x09 : 0x2C
    }
}
