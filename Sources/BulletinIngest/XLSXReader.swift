import BulletinCore

/// Reads .xlsx workbooks, streamed: sheets in workbook order through its relationships,
/// shared strings (rich runs joined, phonetic runs skipped), inline strings, booleans, errors,
/// numbers, and dates recognised from the cell's style (1900 and 1904 systems). Cells are
/// placed by their `r` reference; a sheet is never held whole as XML.
public enum XLSXReader {
    public static func read(_ bytes: [UInt8], name: String = "xlsx") throws(IngestError) -> [Sheet] {
        let zip = try ZipContainer(bytes, name: name)
        let workbook = try XLSXWorkbook(zip)
        let strings = zip.has("xl/sharedStrings.xml") ? try SharedStrings(zip) : SharedStrings()
        var sheets: [Sheet] = []
        for (sheetName, path) in workbook.sheets {
            let builder = WorksheetBuilder(name: sheetName, strings: strings, workbook: workbook)
            let parser = XMLPushParser(handler: builder, part: "\(name)/\(path)")
            builder.bind(parser)
            try zip.stream(path) { (chunk: UnsafeRawBufferPointer) throws(IngestError) in try parser.feed(chunk, last: false) }
            try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
            sheets.append(builder.sheet)
        }
        return sheets
    }
}

/// The shared-string table, stored flat.
final class SharedStrings: XMLEventHandler {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    private var si: UnsafePointer<UInt8>?, t: UnsafePointer<UInt8>?, rPh: UnsafePointer<UInt8>?
    private var inText = false
    private var phonetic = 0

    init() {}

    init(_ zip: ZipContainer) throws(IngestError) {
        let parser = XMLPushParser(handler: self, part: "\(zip.name)/xl/sharedStrings.xml")
        si = parser.interned("si")
        t = parser.interned("t")
        rPh = parser.interned("rPh")
        try zip.stream("xl/sharedStrings.xml") { (chunk: UnsafeRawBufferPointer) throws(IngestError) in
            try parser.feed(chunk, last: false)
        }
        try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
    }

    var count: Int { ends.count }

    func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if name == t { inText = phonetic == 0 } else if name == rPh { phonetic += 1 }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        if name == t { inText = false } else if name == rPh { phonetic -= 1 } else if name == si { ends.append(bytes.count) }
    }

    func characters(_ chunk: UnsafeBufferPointer<UInt8>) {
        if inText { bytes.append(contentsOf: chunk) }
    }
}

/// The SAX state machine for one worksheet.
private final class WorksheetBuilder: XMLEventHandler {
    private(set) var sheet: Sheet
    private let strings: SharedStrings
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

    init(name: String, strings: SharedStrings, workbook: XLSXWorkbook) {
        sheet = Sheet(name: name)
        self.strings = strings
        self.workbook = workbook
    }

    func bind(_ parser: XMLPushParser) {
        row = parser.interned("row")
        c = parser.interned("c")
        v = parser.interned("v")
        t = parser.interned("t")
        isElement = parser.interned("is")
        r = parser.interned("r")
        s = parser.interned("s")
        typeAttribute = t
        rPh = parser.interned("rPh")
    }

    func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if name == c, inRow {
            column = attributes.value(r).flatMap(WorksheetBuilder.columnIndex) ?? placed
            let type = attributes.value(typeAttribute)
            cellType = type?.first ?? 0
            typeIsStr = type.map { $0.count == 3 && $0[0] == UInt8(ascii: "s") && $0[1] == UInt8(ascii: "t") } ?? false
            style = attributes.integer(s) ?? 0
            value.removeAll(keepingCapacity: true)
        } else if name == v {
            capturing = true
        } else if name == isElement {
            inInline = true
        } else if name == t, inInline {
            capturing = phonetic == 0
        } else if name == rPh {
            phonetic += 1
        } else if name == row {
            rowNumber = attributes.integer(r) ?? rowNumber + 1
            inRow = true
            placed = 0
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        if name == v || name == t {
            capturing = false
        } else if name == isElement {
            inInline = false
        } else if name == rPh {
            phonetic -= 1
        } else if name == c, inRow {
            guard column >= placed else { return }       // a cell out of order is dropped by Excel too
            while placed < column { sheet.endCell(); placed += 1 }
            appendValue()
            sheet.endCell()
            placed += 1
        } else if name == row, inRow {
            if placed == 0 { sheet.endCell() }
            sheet.endRow(number: rowNumber)
            inRow = false
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if capturing { value.append(contentsOf: bytes) }
    }

    private func appendValue() {
        switch cellType {
        case UInt8(ascii: "s") where !typeIsStr:
            var i = 0
            for ch in value { guard ch >= 0x30 && ch <= 0x39 else { return }; i = i * 10 + Int(ch - 0x30) }
            if i < strings.count { sheet.appendBytes(strings.bytes[strings.range(i)]) }
        case 0, UInt8(ascii: "n"):
            if workbook.dateStyles.contains(style), let serial = Double(String(decoding: value, as: UTF8.self)) {
                let moment = ExcelDate.text(serial: serial, date1904: workbook.date1904)
                sheet.appendBytes(moment.utf8)
            } else {
                sheet.appendBytes(value)
            }
        default:
            sheet.appendBytes(value)          // inline strings, str, booleans (1/0) and errors as written
        }
    }

    /// Zero-based column of a reference such as `AB12`.
    static func columnIndex(_ ref: UnsafeBufferPointer<UInt8>) -> Int? {
        var n = 0
        var letters = 0
        for ch in ref {
            let u = ch & 0xDF
            guard u >= 0x41 && u <= 0x5A else { break }
            n = n * 26 + Int(u - 0x40)
            letters += 1
        }
        return letters == 0 ? nil : n - 1
    }
}
