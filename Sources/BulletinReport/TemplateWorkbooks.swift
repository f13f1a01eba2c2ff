import BulletinCore
import Foundation
import ZIPFoundation

/// Writes a `FormTemplate` as a workbook: .xlsx (Office Open XML) or XML Spreadsheet 2003.
public enum TemplateWorkbooks {
    // MARK: - .xlsx

    /// Number formats and cell styles: 0 general, 1 bold header, 2 date, 3 date-time, 4 time, 5 text.
    private static func style(_ format: FormTemplate.CellFormat) -> Int {
        switch format {
        case .general: return 0
        case .date: return 2
        case .dateTime: return 3
        case .time: return 4
        case .text: return 5
        }
    }

    public static func xlsx(_ t: FormTemplate) -> [UInt8] {
        let xmlHead = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let last = FormTemplate.rowsCovered + 1
        var sheet = xmlHead + "<worksheet xmlns=\"\(main)\" xmlns:r=\"\(rel)\">"
        sheet += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        sheet += "<cols>" + t.columns.enumerated().map { i, c in
            "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(c.width)\" style=\"\(style(c.cellFormat))\" customWidth=\"1\"/>"
        }.joined() + "</cols>"
        sheet += "<sheetData><row r=\"1\">" + t.columns.enumerated().map { i, c in
            "<c r=\"\(CellReference.cell(column: i, row: 1))\" s=\"1\" t=\"inlineStr\"><is><t>\(Markup.escape(c.header))</t></is></c>"
        }.joined() + "</row></sheetData>"
        let lists = t.columns.enumerated().filter { $0.element.listed != nil }
        if !lists.isEmpty {
            sheet += "<dataValidations count=\"\(lists.count)\">" + lists.map { i, c in
                let letters = CellReference.letters(i)
                return "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"\(Markup.escape(c.header))\" "
                    + "error=\"\(Markup.escape(c.spec.type.chineseDescription))\" sqref=\"\(letters)2:\(letters)\(last)\">"
                    + "<formula1>\"\(Markup.escape(c.listed!.joined(separator: ",")))\"</formula1></dataValidation>"
            }.joined() + "</dataValidations>"
        }
        sheet += "</worksheet>"

        var help = xmlHead + "<worksheet xmlns=\"\(main)\"><cols><col min=\"1\" max=\"2\" width=\"22\" customWidth=\"1\"/>"
            + "<col min=\"3\" max=\"3\" width=\"6\" customWidth=\"1\"/><col min=\"4\" max=\"4\" width=\"60\" customWidth=\"1\"/>"
            + "<col min=\"5\" max=\"5\" width=\"18\" customWidth=\"1\"/></cols><sheetData>"
        for (r, row) in t.instructions.enumerated() {
            help += "<row r=\"\(r + 1)\">" + row.enumerated().filter { !$0.element.isEmpty }.map { c, text in
                "<c r=\"\(CellReference.cell(column: c, row: r + 1))\"\(r == 0 ? " s=\"1\"" : "") t=\"inlineStr\"><is><t>\(Markup.escape(text))</t></is></c>"
            }.joined() + "</row>"
        }
        help += "</sheetData></worksheet>"

        let names = t.sheetNames
        let styles = xmlHead + "<styleSheet xmlns=\"\(main)\">"
            + "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
            + "<numFmt numFmtId=\"165\" formatCode=\"yyyy\\-mm\\-dd\\ hh:mm\"/><numFmt numFmtId=\"166\" formatCode=\"hh:mm\"/></numFmts>"
            + "<fonts count=\"2\"><font><sz val=\"11\"/></font><font><b/><sz val=\"11\"/></font></fonts>"
            + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
            + "<borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"6\"><xf/>"
            + "<xf fontId=\"1\" applyFont=\"1\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/><xf numFmtId=\"165\" applyNumberFormat=\"1\"/>"
            + "<xf numFmtId=\"166\" applyNumberFormat=\"1\"/><xf numFmtId=\"49\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>"
        let workbook = xmlHead + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
            + "<sheet name=\"\(Markup.escape(names.form))\" sheetId=\"1\" r:id=\"rId1\"/>"
            + "<sheet name=\"\(Markup.escape(names.instructions))\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"
        let worksheetType = "\(rel)/worksheet"
        let workbookRels = xmlHead + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"\(worksheetType)\" Target=\"worksheets/sheet1.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"\(worksheetType)\" Target=\"worksheets/sheet2.xml\"/>"
            + "<Relationship Id=\"rId3\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/></Relationships>"
        let rootRels = xmlHead + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
        let sheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        let types = xmlHead + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"\(sheetType)\"/>"
            + "<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"\(sheetType)\"/>"
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"
        return zip([("[Content_Types].xml", types), ("_rels/.rels", rootRels), ("xl/workbook.xml", workbook),
                    ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/styles.xml", styles),
                    ("xl/worksheets/sheet1.xml", sheet), ("xl/worksheets/sheet2.xml", help)])
    }

    /// A deflated zip of `parts` with a fixed timestamp, so the same template is the same bytes.
    private static func zip(_ parts: [(String, String)]) -> [UInt8] {
        guard let archive = try? Archive(data: Data(), accessMode: .create) else { return [] }
        let stamp = Date(timeIntervalSince1970: 1_580_000_000)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp,
                                  compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data.map { [UInt8]($0) } ?? []
    }

    // MARK: - XML Spreadsheet 2003

    public static func spreadsheetML(_ t: FormTemplate) -> [UInt8] {
        func style(_ format: FormTemplate.CellFormat) -> String {
            switch format {
            case .general: return ""
            case .date: return " ss:StyleID=\"d\""
            case .dateTime: return " ss:StyleID=\"dt\""
            case .time: return " ss:StyleID=\"t\""
            case .text: return " ss:StyleID=\"s\""
            }
        }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n"
        x += "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\" "
            + "xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">"
        x += "<Styles><Style ss:ID=\"h\"><Font ss:Bold=\"1\"/></Style><Style ss:ID=\"d\"><NumberFormat ss:Format=\"yyyy\\-mm\\-dd\"/></Style>"
            + "<Style ss:ID=\"dt\"><NumberFormat ss:Format=\"yyyy\\-mm\\-dd\\ hh:mm\"/></Style>"
            + "<Style ss:ID=\"t\"><NumberFormat ss:Format=\"hh:mm\"/></Style><Style ss:ID=\"s\"><NumberFormat ss:Format=\"@\"/></Style></Styles>"
        let names = t.sheetNames
        x += "<Worksheet ss:Name=\"\(Markup.escape(names.form))\"><Table>"
        for c in t.columns { x += "<Column ss:Width=\"\(c.width * 7)\"\(style(c.cellFormat))/>" }
        x += "<Row>" + t.columns.map { "<Cell ss:StyleID=\"h\"><Data ss:Type=\"String\">\(Markup.escape($0.header))</Data></Cell>" }.joined()
            + "</Row></Table>"
        x += "<WorksheetOptions xmlns=\"urn:schemas-microsoft-com:office:excel\"><FreezePanes/><FrozenNoSplit/>"
            + "<SplitHorizontal>1</SplitHorizontal><TopRowBottomPane>1</TopRowBottomPane><ActivePane>2</ActivePane></WorksheetOptions>"
        for (i, c) in t.columns.enumerated() {
            guard let listed = c.listed else { continue }
            x += "<DataValidation xmlns=\"urn:schemas-microsoft-com:office:excel\"><Range>R2C\(i + 1):R\(FormTemplate.rowsCovered + 1)C\(i + 1)</Range>"
                + "<Type>List</Type><Value>&quot;\(Markup.escape(listed.joined(separator: ",")))&quot;</Value></DataValidation>"
        }
        x += "</Worksheet><Worksheet ss:Name=\"\(Markup.escape(names.instructions))\"><Table>"
        x += "<Column ss:Width=\"150\"/><Column ss:Width=\"150\"/><Column ss:Width=\"40\"/><Column ss:Width=\"400\"/><Column ss:Width=\"120\"/>"
        for (r, row) in t.instructions.enumerated() {
            x += "<Row>" + row.map { text in
                text.isEmpty ? "<Cell/>" : "<Cell\(r == 0 ? " ss:StyleID=\"h\"" : "")><Data ss:Type=\"String\">\(Markup.escape(text))</Data></Cell>"
            }.joined() + "</Row>"
        }
        x += "</Table></Worksheet></Workbook>\n"
        return Array(x.utf8)
    }
}
