import BulletinCore

/// Reads .xlsx workbooks, streamed: sheets in workbook order through its relationships,
/// shared strings (rich runs joined, phonetic runs skipped), inline strings, booleans, errors,
/// numbers, and dates recognised from the cell's style (1900 and 1904 systems). Cells are
/// placed by their `r` reference; a sheet is never held whole as XML.
public enum XLSXReader {
    /// Reads every worksheet of an .xlsx workbook, member by member, within the zip and cell limits.
    public static func read(_ bytes: [UInt8], name: String = "xlsx") throws(IngestError) -> [Sheet] {
        try read(bytes, name: name, readers: .scannerFirst)
    }

    /// Reads as `read(_:name:)` does, its worksheets and shared strings through `readers`.
    @_spi(Testing) public static func read(_ bytes: [UInt8], name: String = "xlsx", readers: XMLReaders) throws(IngestError) -> [Sheet] {
        let zip = try ZipContainer(bytes, name: name)
        let workbook = try XLSXWorkbook(zip)
        guard workbook.sheets.count <= SheetLimits.maxSheets else {
            throw IngestError(.tooLarge, "\(name)：工作表超过\(SheetLimits.maxSheets)个，已拒绝")
        }
        let strings = zip.has("xl/sharedStrings.xml") ? try SharedStrings.read(zip, readers: readers) : SharedStrings()
        var sheets: [Sheet] = []
        var cellsLeft = SheetLimits.cellBudget(fileBytes: bytes.count)
        // A sheet that holds the table copies it once it appends a value of its own: at most the budget in
        // all (no overflow: the table is within it and the sheets number at most `maxSheets`).
        let holdsStrings = strings.bytes.count <= WorksheetBuilder.heldStringsBudget
            && strings.bytes.count * workbook.sheets.count <= WorksheetBuilder.heldStringsBudget
        for (sheetName, path) in workbook.sheets {
            let part = "\(name)/\(path)"
            let budget = cellsLeft
            let builder = try XMLDocument.read(part: part, readers: readers, make: {
                WorksheetBuilder(part: part, strings: strings, holdsStrings: holdsStrings, workbook: workbook,
                                 cellBudget: budget)
            }, content: { sink throws(IngestError) in try zip.stream(path, sink) })
            cellsLeft = builder.cellsLeft
            sheets.append(builder.sheet.sheet(name: sheetName))
        }
        return sheets
    }
}

/// The shared-string table, stored flat.
final class SharedStrings: XMLStringItemHandler {
    /// The strings' bytes one after another, made once the part is read (`text` until then).
    private(set) var bytes: [UInt8] = []
    /// The bytes and where each string ends, gathered in memory of their own (appending to arrays in
    /// this object checked their uniqueness for every string).
    private var text = GrowingBuffer<UInt8>()
    private var ends = GrowingBuffer<Int>()
    private var si: UnsafePointer<UInt8>?, t: UnsafePointer<UInt8>?, rPh: UnsafePointer<UInt8>?
    private var inText = false
    private var phonetic = 0

    init() {}

    /// The workbook's shared strings (`xl/sharedStrings.xml`).
    static func read(_ zip: ZipContainer, readers: XMLReaders) throws(IngestError) -> SharedStrings {
        let strings = try XMLDocument.read(part: "\(zip.name)/xl/sharedStrings.xml", readers: readers, make: SharedStrings.init,
                                           content: { sink throws(IngestError) in try zip.stream("xl/sharedStrings.xml", sink) })
        strings.bytes = strings.text.array()
        strings.text = GrowingBuffer()   // its memory freed now
        return strings
    }

    func bind(_ source: XMLEventSource) {
        si = source.interned("si")
        t = source.interned("t")
        rPh = source.interned("rPh")
    }

    var count: Int { ends.count }

    func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if name == t { inText = phonetic == 0 } else if name == rPh { phonetic += 1 }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        if name == t { inText = false } else if name == rPh { phonetic -= 1 } else if name == si { ends.append(text.count) }
    }

    func characters(_ chunk: UnsafeBufferPointer<UInt8>) {
        if inText { text.append(contentsOf: chunk) }
    }

    var takesWholeItems: Bool { !inText && phonetic == 0 }

    func item(_ item: UnsafeBufferPointer<UInt8>) {
        text.append(contentsOf: item)
        ends.append(text.count)
    }
}

/// The SAX state machine for one worksheet.
private final class WorksheetBuilder: XMLRowHandler {
    let sheet: SheetBuilder
    /// Cells the workbook may still fill (see `SheetLimits.cellBudget`).
    private(set) var cellsLeft: Int
    private let part: String
    private unowned(unsafe) var parser: XMLEventSource?
    private var failed = false
    private let strings: SharedStrings
    /// Whether the sheet holds the shared strings' bytes and a shared-string cell is a range of them
    /// (otherwise each such cell is copied).
    private let holdsStrings: Bool
    /// The shared strings' bytes all of a workbook's sheets may hold between them (each copies the
    /// table when it first appends a value of its own).
    static let heldStringsBudget = 64 << 20
    private let workbook: XLSXWorkbook
    private var row: UnsafePointer<UInt8>!, c: UnsafePointer<UInt8>!, v: UnsafePointer<UInt8>!, t: UnsafePointer<UInt8>!,
                isElement: UnsafePointer<UInt8>!, r: UnsafePointer<UInt8>!, s: UnsafePointer<UInt8>!,
                typeAttribute: UnsafePointer<UInt8>!, rPh: UnsafePointer<UInt8>!
    private var rowNumber = 0
    private var inRow = false
    private var placed = 0
    private var column = 0
    private var cellType: UInt8 = 0     // first letter of t: s(hared), i(nlineStr), b, e, (s)tr, or 0 for number
    private var typeIsStr = false
    private var style = 0
    private var capturing = false
    private var inInline = false
    private var phonetic = 0
    private var value: [UInt8] = []

    init(part: String, strings: SharedStrings, holdsStrings: Bool, workbook: XLSXWorkbook, cellBudget: Int) {
        sheet = holdsStrings ? SheetBuilder(holding: strings.bytes) : SheetBuilder()
        self.holdsStrings = holdsStrings
        self.part = part
        cellsLeft = cellBudget
        self.strings = strings
        self.workbook = workbook
    }

    func bind(_ source: XMLEventSource) {
        parser = source
        row = source.interned("row")
        c = source.interned("c")
        v = source.interned("v")
        t = source.interned("t")
        isElement = source.interned("is")
        r = source.interned("r")
        s = source.interned("s")
        typeAttribute = t
        rPh = source.interned("rPh")
    }

    private func fail(_ error: IngestError) {
        failed = true
        inRow = false
        parser?.stop(error)
    }

    /// Ends a cell of the sheet, within the workbook's cell budget.
    private func endCell(holding shared: Range<Int>? = nil) -> Bool {
        cellsLeft -= 1
        guard cellsLeft >= 0 else { fail(SheetLimits.tooManyCells(part, row: rowNumber)); return false }
        if let shared { sheet.endCell(holding: shared) } else { sheet.endCell() }
        return true
    }

    func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        guard !failed else { return }
        if name == c {
            if cellStarted(reference: attributes.value(r), type: attributes.value(typeAttribute), style: attributes.value(s)) {
                value.removeAll(keepingCapacity: true)
            }
        } else if name == v {
            capturing = true
        } else if name == isElement {
            inInline = true
        } else if name == t, inInline {
            capturing = phonetic == 0
        } else if name == rPh {
            phonetic += 1
        } else if name == row {
            rowStarted(reference: attributes.value(r))
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        guard !failed else { return }
        if name == v || name == t {
            capturing = false
        } else if name == isElement {
            inInline = false
        } else if name == rPh {
            phonetic -= 1
        } else if name == c {
            value.withUnsafeBufferPointer { cellEnded(value: $0) }
        } else if name == row {
            rowEnded()
        }
    }

    // MARK: Rows and cells, from the events above or from a row the scanner hands whole

    var takesWholeRows: Bool { !capturing }

    func rowStarted(reference: UnsafeBufferPointer<UInt8>?) {
        guard !failed else { return }
        rowNumber = XMLAttributes.integer(reference) ?? rowNumber + 1
        guard rowNumber <= SheetLimits.maxRows else { return fail(SheetLimits.tooManyRows(part, row: rowNumber)) }
        inRow = true
        placed = 0
    }

    func cell(reference: UnsafeBufferPointer<UInt8>?, type: UnsafeBufferPointer<UInt8>?, style: UnsafeBufferPointer<UInt8>?,
              value: UnsafeBufferPointer<UInt8>) {
        if cellStarted(reference: reference, type: type, style: style) { cellEnded(value: value) }
    }

    /// A cell's start tag: where it goes and how its value reads; false when it is outside a row (or breaks the file).
    @inline(__always)
    private func cellStarted(reference: UnsafeBufferPointer<UInt8>?, type: UnsafeBufferPointer<UInt8>?,
                             style: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard !failed, inRow else { return false }
        column = reference.flatMap(WorksheetBuilder.columnIndex) ?? placed
        guard column < SheetLimits.maxColumns else { fail(SheetLimits.tooManyColumns(part, row: rowNumber)); return false }
        cellType = type?.first ?? 0
        typeIsStr = type.map { $0.count == 3 && $0[0] == UInt8(ascii: "s") && $0[1] == UInt8(ascii: "t") } ?? false
        self.style = XMLAttributes.integer(style) ?? 0
        return true
    }

    /// A cell's end tag, `value` the text its `<v>` (or inline string) held.
    @inline(__always)
    private func cellEnded(value: UnsafeBufferPointer<UInt8>) {
        guard !failed, inRow else { return }
        guard column >= placed else { return }       // a cell out of order is dropped by Excel too
        while placed < column { guard endCell() else { return }; placed += 1 }
        switch appendValue(value) {
        case .failed: return
        case .appended: guard endCell() else { return }
        case .shared(let range): guard endCell(holding: range) else { return }
        }
        placed += 1
    }

    func rowEnded() {
        guard !failed, inRow else { return }
        if placed == 0 { guard endCell() else { return } }
        sheet.endRow(number: rowNumber)
        inRow = false
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if capturing { value.append(contentsOf: bytes) }
    }

    /// How a cell's text was placed: appended to the sheet, a shared string the sheet holds, or a
    /// cell that breaks the file.
    private enum CellText {
        case appended, shared(Range<Int>), failed
    }

    /// Appends the cell's value as a person reads it, or names the shared string it is.
    private func appendValue(_ value: UnsafeBufferPointer<UInt8>) -> CellText {
        switch cellType {
        case UInt8(ascii: "s") where !typeIsStr:
            var i = 0
            let count = strings.count
            for ch in value {
                guard ch >= 0x30 && ch <= 0x39 else { return .appended }
                i = i < count ? i * 10 + Int(ch - 0x30) : i
            }
            guard !value.isEmpty, i < count else {
                // A missing shared string would silently blank the cell (a fever, say): the file is refused.
                fail(IngestError(.malformedXML, "\(part)：第\(rowNumber)行的单元格引用了不存在的共享字符串（共\(strings.count)个）",
                                 location: .row(rowNumber)))
                return .failed
            }
            guard holdsStrings else {
                strings.bytes.withUnsafeBufferPointer { sheet.appendBytes(UnsafeBufferPointer(rebasing: $0[strings.range(i)])) }
                return .appended
            }
            return .shared(strings.range(i))
        case 0, UInt8(ascii: "n"):
            if let shown = workbook.dateStyles[style], let serial = Double(String(decoding: value, as: UTF8.self)),
               let text = ExcelDate.text(serial: serial, date1904: workbook.date1904, shown: shown) {
                sheet.appendBytes(text.utf8)
            } else {
                sheet.appendBytes(value)
            }
        default:
            sheet.appendBytes(value)          // inline strings, str, booleans (1/0) and errors as written
        }
        return .appended
    }

    /// Zero-based column of a reference such as `AB12`; past four letters it reads as
    /// `Int.max`, which the caller refuses (Excel's last column is XFD).
    static func columnIndex(_ ref: UnsafeBufferPointer<UInt8>) -> Int? {
        var n = 0
        var letters = 0
        for ch in ref {
            let u = ch & 0xDF
            guard u >= 0x41 && u <= 0x5A else { break }
            letters += 1
            guard letters <= 4 else { return Int.max }
            n = n * 26 + Int(u - 0x40)
        }
        return letters == 0 ? nil : n - 1
    }
}
