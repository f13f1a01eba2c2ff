/// Reads "XML Spreadsheet 2003" (SpreadsheetML), streamed through libxml2: every worksheet,
/// `ss:Index` on rows and cells, `ss:MergeAcross`, typed `Data` (rich text flattened),
/// comments ignored. Row numbers are those Excel shows. A time cell (`ss:Type="DateTime"`
/// on Excel's day zero, `1899-12-31T08:00:00.000`) reads as the time of day it shows.
/// Indices past Excel's limits, nested worksheets and cell counts out of all proportion
/// to the file are refused.
public enum SpreadsheetMLReader {
    /// Reads every worksheet of an XML Spreadsheet 2003 document; `part` names it in errors.
    public static func read(_ bytes: [UInt8], part: String = "XML") throws(IngestError) -> [Sheet] {
        try read(bytes, part: part, readers: .scannerFirst)
    }

    /// Reads as `read(_:part:)` does, through `readers`.
    @_spi(Testing) public static func read(_ bytes: [UInt8], part: String = "XML", readers: XMLReaders) throws(IngestError) -> [Sheet] {
        let budget = SheetLimits.cellBudget(fileBytes: bytes.count)
        let builder = try XMLDocument.read(part: part, readers: readers, make: { SpreadsheetMLBuilder(part: part, cellBudget: budget) },
                                           content: XMLDocument.inMemory(bytes))
        if !builder.sawWorkbook {
            throw IngestError(.malformedXML, "\(part)：不是XML电子表格（缺少Workbook根元素）")
        }
        return builder.sheets
    }
}

/// The SAX state machine behind `SpreadsheetMLReader`.
private final class SpreadsheetMLBuilder: XMLEventHandler {
    private static let dateTimeType = Array("DateTime".utf8)
    var sheets: [Sheet] = []
    var sawWorkbook = false
    private let part: String
    private var cellsLeft: Int
    /// The worksheet being read (a constant: a builder held in an optional was retained and released for
    /// every cell), and its name, nil outside a worksheet.
    private let sheet = SheetBuilder()
    private var sheetName: String?
    private var rowNumber = 0
    private var inRow = false
    /// 1-based column of the next cell in the row, and cells already placed.
    private var nextColumn = 1
    private var placed = 0
    private var mergeAcross = 0
    private var dataDepth = 0
    private var commentDepth = 0
    private var cellOpen = false
    private var sheetIndex = 0
    /// The text of a `DateTime` Data element, held until its end to read time cells.
    private var dateTimeText: [UInt8]?
    private unowned(unsafe) var parser: XMLEventSource?

    private var workbook: UnsafePointer<UInt8>!, worksheet: UnsafePointer<UInt8>!, row: UnsafePointer<UInt8>!,
                cell: UnsafePointer<UInt8>!, data: UnsafePointer<UInt8>!, comment: UnsafePointer<UInt8>!,
                name: UnsafePointer<UInt8>!, index: UnsafePointer<UInt8>!, merge: UnsafePointer<UInt8>!,
                type: UnsafePointer<UInt8>!

    init(part: String, cellBudget: Int) {
        self.part = part
        cellsLeft = cellBudget
    }

    func bind(_ source: XMLEventSource) {
        parser = source
        workbook = source.interned("Workbook")
        worksheet = source.interned("Worksheet")
        row = source.interned("Row")
        cell = source.interned("Cell")
        data = source.interned("Data")
        comment = source.interned("Comment")
        name = source.interned("Name")
        index = source.interned("Index")
        merge = source.interned("MergeAcross")
        type = source.interned("Type")
    }

    private func fail(_ error: IngestError) {
        parser?.stop(error)
        sheetName = nil
        sheet.reset()
        inRow = false
        cellOpen = false
        dataDepth = 0
    }

    /// Ends a cell of the sheet, within the file's cell budget.
    private func endCell() -> Bool {
        cellsLeft -= 1
        guard cellsLeft >= 0 else { fail(SheetLimits.tooManyCells(part, row: rowNumber)); return false }
        if sheetName != nil { sheet.endCell() }
        return true
    }

    func startElement(_ element: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if dataDepth > 0 { dataDepth += 1; return }           // rich text inside Data
        if element == cell, inRow {
            let column = attributes.integer(index) ?? nextColumn
            mergeAcross = attributes.integer(merge) ?? 0
            guard column <= SheetLimits.maxColumns, mergeAcross < SheetLimits.maxColumns - column + 1 else {
                return fail(SheetLimits.tooManyColumns(part, row: rowNumber))
            }
            while placed < column - 1 { guard endCell() else { return }; placed += 1 }
            cellOpen = true
        } else if element == data {
            if commentDepth == 0 && cellOpen {
                dataDepth = 1
                // Compared on bytes (against the literal's UTF-8 view, a generic walk per cell of the sheet).
                let isDateTime = attributes.value(type).map { $0.count == 8 && $0.elementsEqual(SpreadsheetMLBuilder.dateTimeType) } ?? false
                dateTimeText = isDateTime ? [] : nil
            }
        } else if element == row, sheetName != nil {
            if inRow { return fail(nested("Row", in: "Row")) }
            rowNumber = attributes.integer(index) ?? rowNumber + 1
            guard rowNumber <= SheetLimits.maxRows else { return fail(SheetLimits.tooManyRows(part, row: rowNumber)) }
            inRow = true
            nextColumn = 1
            placed = 0
        } else if element == comment {
            commentDepth += 1
        } else if element == worksheet {
            if sheetName != nil { return fail(nested("Worksheet", in: "Worksheet")) }
            sheetIndex += 1
            guard sheetIndex <= SheetLimits.maxSheets else {
                return fail(IngestError(.tooLarge, "\(part)：工作表超过\(SheetLimits.maxSheets)个，已拒绝"))
            }
            let n = attributes.value(name).map { String(decoding: $0, as: UTF8.self) } ?? "Sheet\(sheetIndex)"
            sheet.reset()
            sheetName = n
            rowNumber = 0
        } else if element == workbook {
            sawWorkbook = true
        }
    }

    private func nested(_ element: String, in outer: String) -> IngestError {
        IngestError(.malformedXML, "\(part)：\(element)元素嵌套在另一个\(outer)之中，文件结构损坏", location: .row(rowNumber))
    }

    func endElement(_ element: UnsafePointer<UInt8>) {
        if dataDepth > 0 {
            dataDepth -= 1
            if dataDepth > 0 || element != data { return }
            if let text = dateTimeText, sheetName != nil { sheet.appendBytes(ExcelTimeText.timeOfDay(text) ?? text[...]) }
            dateTimeText = nil
        }
        if element == cell, inRow, cellOpen {
            guard endCell() else { return }
            placed += 1
            // Merged cells to the right are empty, as Excel reads them.
            nextColumn = placed + mergeAcross + 1
            cellOpen = false
        } else if element == row, inRow {
            if placed == 0 { guard endCell() else { return } }
            if sheetName != nil { sheet.endRow(number: rowNumber) }
            inRow = false
        } else if element == comment {
            commentDepth -= 1
        } else if element == worksheet, let name = sheetName {
            sheets.append(sheet.sheet(name: name))
            sheet.reset()
            sheetName = nil
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard dataDepth > 0 && commentDepth == 0 else { return }
        if dateTimeText != nil { dateTimeText!.append(contentsOf: bytes) } else if sheetName != nil { sheet.appendBytes(bytes) }
    }
}

/// SpreadsheetML writes a time cell as a date-time on Excel's day zero.
enum ExcelTimeText {
    private static let dayZero = ["1899-12-31T", "1899-12-30T"].map { Array($0.utf8) }

    /// The time part of `1899-12-31T08:00:00.000`, or nil for a real date-time.
    static func timeOfDay(_ text: [UInt8]) -> ArraySlice<UInt8>? {
        for prefix in dayZero where text.count > prefix.count && text.starts(with: prefix) {
            return text[prefix.count...]
        }
        return nil
    }
}
