import BulletinCore

/// Writes "XML Spreadsheet 2003" documents, as Excel and WPS save them.
enum SpreadsheetMLWriter {
    static func document(_ sheets: [SheetSpec]) -> String {
        var x = """
        <?xml version="1.0" encoding="UTF-8"?>
        <?mso-application progid="Excel.Sheet"?>
        <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office" \
        xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
         <Styles>
          <Style ss:ID="time"><NumberFormat ss:Format="Short Time"/></Style>
          <Style ss:ID="dateTime"><NumberFormat ss:Format="yyyy-mm-dd hh:mm"/></Style>
         </Styles>

        """
        for sheet in sheets {
            x += " <Worksheet ss:Name=\"\(escape(sheet.name))\">\n  <Table>\n"
            for (r, row) in sheet.allRows.enumerated() {
                x += "   <Row>"
                // A title row is one merged cell, as people make them.
                if r < sheet.titleRows.count, row.count == 1 {
                    x += "<Cell ss:MergeAcross=\"\(max(0, sheet.header.count - 1))\"><Data ss:Type=\"String\">\(escape(row[0]))</Data></Cell>"
                } else {
                    let typed = sheet.workbookCells[r - sheet.titleRows.count - 1] ?? [:]
                    for (c, cell) in row.enumerated() {
                        if let t = typed[c] {
                            let style = if case .time = t { "time" } else { "dateTime" }
                            x += "<Cell ss:StyleID=\"\(style)\"><Data ss:Type=\"DateTime\">\(t.spreadsheetML)</Data></Cell>"
                            continue
                        }
                        if cell.isEmpty { x += "<Cell/>"; continue }
                        let numeric = Int(cell) != nil && cell.count < 10
                        x += "<Cell><Data ss:Type=\"\(numeric ? "Number" : "String")\">\(escape(cell))</Data></Cell>"
                    }
                }
                x += "</Row>\n"
            }
            x += "  </Table>\n </Worksheet>\n"
        }
        return x + "</Workbook>\n"
    }

    static func escape(_ s: String) -> String { Markup.escape(s) }
}
