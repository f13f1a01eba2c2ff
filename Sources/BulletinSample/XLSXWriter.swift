import BulletinCore
import Foundation
import ZIPFoundation

/// Writes .xlsx workbooks as Excel saves them: shared strings, numbers as numbers,
/// a title row merged across the table.
enum XLSXWriter {
    static func workbook(_ sheets: [SheetSpec]) -> [UInt8] {
        var strings: [String] = []
        var stringIndex: [String: Int] = [:]
        func shared(_ s: String) -> Int {
            if let i = stringIndex[s] { return i }
            strings.append(s)
            stringIndex[s] = strings.count - 1
            return strings.count - 1
        }
        var parts: [(String, String)] = []
        for (n, sheet) in sheets.enumerated() {
            var x = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
            x += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>"#
            let firstData = sheet.titleRows.count + 1
            for (r, row) in sheet.allRows.enumerated() {
                x += "<row r=\"\(r + 1)\">"
                let typed = sheet.workbookCells[r - firstData] ?? [:]
                for (c, cell) in row.enumerated() where !cell.isEmpty {
                    let ref = CellReference.cell(column: c, row: r + 1)
                    if let t = typed[c] {
                        // Time cells in the formats people pick: h:mm, h:mm:ss, [h]:mm:ss, custom [h]:mm; date-times.
                        let style: Int
                        if case .time = t { style = 2 + r % 4 } else { style = 6 + r % 2 }
                        x += "<c r=\"\(ref)\" s=\"\(style)\"><v>\(t.serial)</v></c>"
                    } else if let v = Int(cell), cell.count < 10, !cell.hasPrefix("0") || cell == "0" {
                        x += "<c r=\"\(ref)\"><v>\(v)</v></c>"
                    } else {
                        x += "<c r=\"\(ref)\" t=\"s\"><v>\(shared(cell))</v></c>"
                    }
                }
                x += "</row>"
            }
            x += "</sheetData>"
            if !sheet.titleRows.isEmpty {
                x += "<mergeCells count=\"1\"><mergeCell ref=\"A1:\(CellReference.letters(max(0, sheet.header.count - 1)))1\"/></mergeCells>"
            }
            x += "</worksheet>"
            parts.append(("xl/worksheets/sheet\(n + 1).xml", x))
        }
        var sst = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        sst += "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(strings.count)\" uniqueCount=\"\(strings.count)\">"
        for s in strings { sst += "<si><t xml:space=\"preserve\">\(SpreadsheetMLWriter.escape(s))</t></si>" }
        sst += "</sst>"
        parts.append(("xl/sharedStrings.xml", sst))
        let sheetEntries = sheets.enumerated().map { n, s in
            "<sheet name=\"\(SpreadsheetMLWriter.escape(s.name))\" sheetId=\"\(n + 1)\" r:id=\"rId\(n + 1)\"/>"
        }.joined()
        parts.append(("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>\(sheetEntries)</sheets></workbook>"))
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        let n = sheets.count
        parts.append(("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(rels)"
            + "<Relationship Id=\"rId\(n + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            + "<Relationship Id=\"rId\(n + 2)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"))
        parts.append(("xl/styles.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[h]:mm\"/><numFmt numFmtId=\"165\" formatCode=\"yyyy\\-mm\\-dd\\ hh:mm\"/></numFmts><fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"8\"><xf/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
            + "<xf numFmtId=\"20\" applyNumberFormat=\"1\"/><xf numFmtId=\"21\" applyNumberFormat=\"1\"/><xf numFmtId=\"46\" applyNumberFormat=\"1\"/>"
            + "<xf numFmtId=\"164\" applyNumberFormat=\"1\"/><xf numFmtId=\"22\" applyNumberFormat=\"1\"/><xf numFmtId=\"165\" applyNumberFormat=\"1\"/>"
            + "</cellXfs></styleSheet>"))
        parts.append(("_rels/.rels", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"))
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        parts.append(("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\(overrides)"
            + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"))
        return zip(parts)
    }

    /// A deflated zip of `parts`, in memory, with fixed timestamps so files are reproducible.
    static func zip(_ parts: [(String, String)]) -> [UInt8] {
        let archive = try! Archive(data: Data(), accessMode: .create)
        let stamp = Date(timeIntervalSince1970: 1_580_000_000)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try! archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp,
                                  compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](archive.data!)
    }
}
