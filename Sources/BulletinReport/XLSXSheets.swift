import BulletinCore
import Foundation
import ZIPFoundation

/// One worksheet for `XLSXSheets.workbook`: a bold, frozen header row and rows of cells.
public struct XLSXSheet: Sendable {
    /// How a column's cells are formatted.
    public enum Style: Int, Sendable { case general = 0, header = 1, date = 2, dateTime = 3, time = 4, text = 5 }

    /// A column: its header, width, cell style, and the list its cells must come from.
    public struct Column: Sendable {
        public var header: String
        /// Width in characters.
        public var width: Int
        public var style: Style
        /// Whole numbers in this column are written as numbers (Excel sums and sorts them).
        public var numeric: Bool
        /// A drop-down list offered on the column's rows (data validation).
        public var list: [String]?

        public init(_ header: String, width: Int, style: Style = .general, numeric: Bool = false, list: [String]? = nil) {
            self.header = header
            self.width = width
            self.style = style
            self.numeric = numeric
            self.list = list
        }
    }

    public var name: String
    public var columns: [Column]
    public var rows: [[String]]
    /// An autofilter over the header and the rows.
    public var autoFilter: Bool
    /// Rows below the header that drop-down lists cover (a blank form has none yet).
    public var listRows: Int

    public init(name: String, columns: [Column], rows: [[String]], autoFilter: Bool = false, listRows: Int = 0) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.autoFilter = autoFilter
        self.listRows = listRows
    }
}

/// Writes .xlsx workbooks: inline strings (never formulas, so a cell typed `=…` stays text), every
/// string scrubbed of personal numbers, styles for dates, times and text, frozen header rows.
public enum XLSXSheets {
    /// An .xlsx workbook of `sheets` (deterministic bytes: fixed timestamps).
    public static func workbook(_ sheets: [XLSXSheet]) -> [UInt8] {
        let xmlHead = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var parts: [(String, [UInt8])] = []
        for (n, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(n + 1).xml", worksheet(sheet, head: xmlHead, namespace: main)))
        }
        let styles = xmlHead + "<styleSheet xmlns=\"\(main)\">"
            + "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
            + "<numFmt numFmtId=\"165\" formatCode=\"yyyy\\-mm\\-dd\\ hh:mm\"/><numFmt numFmtId=\"166\" formatCode=\"hh:mm\"/></numFmts>"
            + "<fonts count=\"2\"><font><sz val=\"11\"/></font><font><b/><sz val=\"11\"/></font></fonts>"
            + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
            + "<borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"6\"><xf/>"
            + "<xf fontId=\"1\" applyFont=\"1\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/><xf numFmtId=\"165\" applyNumberFormat=\"1\"/>"
            + "<xf numFmtId=\"166\" applyNumberFormat=\"1\"/><xf numFmtId=\"49\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>"
        let entries = sheets.enumerated().map { n, s in
            "<sheet name=\"\(Markup.escape(String(s.name.prefix(31))))\" sheetId=\"\(n + 1)\" r:id=\"rId\(n + 1)\"/>"
        }.joined()
        // An autofilter needs its defined name for Excel to show the filter buttons.
        let filters = sheets.enumerated().filter { $0.element.autoFilter }.map { n, s in
            "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(n)\" hidden=\"1\">'\(s.name.replacingOccurrences(of: "'", with: "''"))'!"
                + "$A$1:$\(CellReference.letters(max(0, s.columns.count - 1)))$\(s.rows.count + 1)</definedName>"
        }.joined()
        parts.append(("xl/workbook.xml", Array((xmlHead + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>\(entries)</sheets>"
                      + (filters.isEmpty ? "" : "<definedNames>\(filters)</definedNames>") + "</workbook>").utf8)))
        parts.append(("xl/styles.xml", Array(styles.utf8)))
        let relationships = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined() + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/>"
        let relsNS = "http://schemas.openxmlformats.org/package/2006/relationships"
        parts.append(("xl/_rels/workbook.xml.rels", Array((xmlHead + "<Relationships xmlns=\"\(relsNS)\">\(relationships)</Relationships>").utf8)))
        parts.append(("_rels/.rels", Array((xmlHead + "<Relationships xmlns=\"\(relsNS)\">"
                      + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").utf8)))
        let sheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        parts.append(("[Content_Types].xml", Array((xmlHead + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + sheets.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"\(sheetType)\"/>" }.joined()
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>").utf8)))
        return zip(parts)
    }

    /// A worksheet's XML, its rows written straight into bytes (a String made per row, cell by cell,
    /// was most of writing anomalies.xlsx for every date of a rerun).
    private static func worksheet(_ sheet: XLSXSheet, head: String, namespace: String) -> [UInt8] {
        var x = Array(head.utf8)
        x += "<worksheet xmlns=\"\(namespace)\">".utf8
        x += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>".utf8
        x += ("<cols>" + sheet.columns.enumerated().map { i, c in
            "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(c.width)\" style=\"\(c.style.rawValue)\" customWidth=\"1\"/>"
        }.joined() + "</cols><sheetData>").utf8
        row(1, sheet.columns.map(\.header), columns: nil, into: &x)
        for (r, cells) in sheet.rows.enumerated() { row(r + 2, cells, columns: sheet.columns, into: &x) }
        x += "</sheetData>".utf8
        let lastColumn = CellReference.letters(max(0, sheet.columns.count - 1))
        if sheet.autoFilter { x += "<autoFilter ref=\"A1:\(lastColumn)\(sheet.rows.count + 1)\"/>".utf8 }
        let lists = sheet.columns.enumerated().filter { $0.element.list != nil }
        if sheet.listRows > 0 && !lists.isEmpty {
            x += ("<dataValidations count=\"\(lists.count)\">" + lists.map { i, c in
                let letters = CellReference.letters(i)
                return "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"\(Markup.escape(c.header))\" "
                    + "sqref=\"\(letters)2:\(letters)\(sheet.listRows + 1)\">"
                    + "<formula1>\"\(Markup.escape(c.list!.joined(separator: ",")))\"</formula1></dataValidation>"
            }.joined() + "</dataValidations>").utf8
        }
        x += "</worksheet>".utf8
        return x
    }

    /// One row; `columns` nil for the header (bold).
    private static func row(_ number: Int, _ cells: [String], columns: [XLSXSheet.Column]?, into x: inout [UInt8]) {
        let rowNumber = String(number).utf8
        x += #"<row r=""#.utf8
        x += rowNumber
        x += #"">"#.utf8
        for (c, raw) in cells.enumerated() where !raw.isEmpty {
            x += #"<c r=""#.utf8
            x += CellReference.letters(c).utf8
            x += rowNumber
            let text = Masking.scrub(raw)
            if let columns, c < columns.count, columns[c].numeric, let v = Int(text) {
                x += #""><v>"#.utf8
                x += String(v).utf8
                x += "</v></c>".utf8
            } else {
                x += (columns == nil ? #"" s="1" t="inlineStr"><is><t xml:space="preserve">"# : #"" t="inlineStr"><is><t xml:space="preserve">"#).utf8
                x += Markup.escape(text).utf8
                x += "</t></is></c>".utf8
            }
        }
        x += "</row>".utf8
    }

    /// A deflated zip of `parts` with a fixed timestamp, so the same workbook is the same bytes.
    private static func zip(_ parts: [(String, [UInt8])]) -> [UInt8] {
        guard let archive = try? Archive(data: Data(), accessMode: .create, pathEncoding: nil) else { return [] }
        let stamp = Date(timeIntervalSince1970: 1_580_000_000)
        for (path, bytes) in parts {
            let data = Data(bytes)
            try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp,
                                  compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data.map { [UInt8]($0) } ?? []
    }
}
