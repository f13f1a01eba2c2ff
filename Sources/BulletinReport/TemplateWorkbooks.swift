import BulletinCore

/// Writes a `FormTemplate` as a workbook: .xlsx (Office Open XML) or XML Spreadsheet 2003.
public enum TemplateWorkbooks {
    // MARK: - .xlsx

    /// The blank form as .xlsx: 填表说明, drop-downs, cell formats, widths, a frozen header.
    public static func xlsx(_ t: FormTemplate) -> [UInt8] {
        let style: (FormTemplate.CellFormat) -> XLSXSheet.Style = { format in
            switch format {
            case .general: return .general
            case .date: return .date
            case .dateTime: return .dateTime
            case .time: return .time
            case .text: return .text
            }
        }
        let form = XLSXSheet(name: t.sheetNames.form, columns: t.columns.map {
            XLSXSheet.Column($0.header, width: $0.width, style: style($0.cellFormat), list: $0.listed)
        }, rows: [], listRows: FormTemplate.rowsCovered)
        let widths = [22, 22, 6, 60, 18]
        let help = XLSXSheet(name: t.sheetNames.instructions, columns: t.instructions[0].enumerated().map {
            XLSXSheet.Column($1, width: widths[$0])
        }, rows: Array(t.instructions.dropFirst()))
        return XLSXSheets.workbook([form, help])
    }

    // MARK: - XML Spreadsheet 2003

    /// The blank form as XML Spreadsheet 2003, with the same notes and formats.
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
