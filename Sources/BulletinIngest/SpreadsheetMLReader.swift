/// Reads "XML Spreadsheet 2003" (SpreadsheetML), streamed through libxml2: every worksheet,
/// `ss:Index` on rows and cells, `ss:MergeAcross`, typed `Data` (rich text flattened),
/// comments ignored. Row numbers are those Excel shows.
public enum SpreadsheetMLReader {
    public static func read(_ bytes: [UInt8], part: String = "XML") throws(IngestError) -> [Sheet] {
        let builder = SpreadsheetMLBuilder()
        let parser = XMLPushParser(handler: builder, part: part)
        builder.bind(parser)
        try parser.parse(bytes)
        if !builder.sawWorkbook {
            throw IngestError(.malformedXML, "\(part)：不是XML电子表格（缺少Workbook根元素）")
        }
        return builder.sheets
    }
}

/// The SAX state machine behind `SpreadsheetMLReader`.
private final class SpreadsheetMLBuilder: XMLEventHandler {
    var sheets: [Sheet] = []
    var sawWorkbook = false
    private var sheet: Sheet?
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

    private var workbook: UnsafePointer<UInt8>!, worksheet: UnsafePointer<UInt8>!, row: UnsafePointer<UInt8>!,
                cell: UnsafePointer<UInt8>!, data: UnsafePointer<UInt8>!, comment: UnsafePointer<UInt8>!,
                name: UnsafePointer<UInt8>!, index: UnsafePointer<UInt8>!, merge: UnsafePointer<UInt8>!

    func bind(_ parser: XMLPushParser) {
        workbook = parser.interned("Workbook")
        worksheet = parser.interned("Worksheet")
        row = parser.interned("Row")
        cell = parser.interned("Cell")
        data = parser.interned("Data")
        comment = parser.interned("Comment")
        name = parser.interned("Name")
        index = parser.interned("Index")
        merge = parser.interned("MergeAcross")
    }

    func startElement(_ element: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if dataDepth > 0 { dataDepth += 1; return }           // rich text inside Data
        if element == cell, inRow {
            let column = attributes.integer(index) ?? nextColumn
            while placed < column - 1 { sheet!.endCell(); placed += 1 }
            mergeAcross = attributes.integer(merge) ?? 0
            cellOpen = true
        } else if element == data {
            if commentDepth == 0 && cellOpen { dataDepth = 1 }
        } else if element == row, sheet != nil {
            rowNumber = attributes.integer(index) ?? rowNumber + 1
            inRow = true
            nextColumn = 1
            placed = 0
        } else if element == comment {
            commentDepth += 1
        } else if element == worksheet {
            sheetIndex += 1
            let n = attributes.value(name).map { String(decoding: $0, as: UTF8.self) } ?? "Sheet\(sheetIndex)"
            sheet = Sheet(name: n)
            rowNumber = 0
        } else if element == workbook {
            sawWorkbook = true
        }
    }

    func endElement(_ element: UnsafePointer<UInt8>) {
        if dataDepth > 0 { dataDepth -= 1; if dataDepth > 0 || element != data { return } }
        if element == cell, inRow, cellOpen {
            sheet!.endCell()
            placed += 1
            // Merged cells to the right are empty, as Excel reads them.
            nextColumn = placed + mergeAcross + 1
            cellOpen = false
        } else if element == row, inRow {
            if placed == 0 { sheet!.endCell() }
            sheet!.endRow(number: rowNumber)
            inRow = false
        } else if element == comment {
            commentDepth -= 1
        } else if element == worksheet, let s = sheet {
            sheets.append(s)
            sheet = nil
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if dataDepth > 0 && commentDepth == 0 { sheet!.appendBytes(bytes) }
    }
}
