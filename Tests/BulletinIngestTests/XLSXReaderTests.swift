import BulletinIngest
import Foundation
import Testing
import ZIPFoundation

/// An .xlsx built part by part, for cases the sample generator does not write.
func xlsx(_ parts: [String: String], method: CompressionMethod = .deflate) throws -> [UInt8] {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method) {
            data.subdata(in: Int($0)..<Int($0) + $1)
        }
    }
    return [UInt8](archive.data!)
}

let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

func basicParts(sheet: String, workbookPr: String = "", strings: String? = nil, styles: String? = nil) -> [String: String] {
    var parts = [
        "xl/workbook.xml": "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\">\(workbookPr)<sheets><sheet name=\"日报\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>",
        "xl/_rels/workbook.xml.rels": "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId7\" Type=\"x\" Target=\"worksheets/data.xml\"/></Relationships>",
        "xl/worksheets/data.xml": "<worksheet xmlns=\"\(main)\"><sheetData>\(sheet)</sheetData></worksheet>",
    ]
    if let strings { parts["xl/sharedStrings.xml"] = "<sst xmlns=\"\(main)\">\(strings)</sst>" }
    if let styles { parts["xl/styles.xml"] = "<styleSheet xmlns=\"\(main)\">\(styles)</styleSheet>" }
    return parts
}

/// The error a read throws, or nil.
func failure(_ body: () throws -> Void) -> IngestError? {
    do { try body(); return nil } catch { return error as? IngestError }
}

struct XLSXReaderTests {
    @Test func aWorkbookLargerThanTheReadersFirstBuffersIsReadWhole() throws {
        // 3,000 rows of four cells (twelve thousand cells' offsets, past the first 4,096 the builder holds)
        // and 3,000 shared strings of 30 bytes (90 KB of text, past the first 32 KiB): every cell comes back.
        let rows = 3_000
        let strings = (0..<rows).map { "<si><t>第\($0)号学生家长联系人</t></si>" }.joined()
        let sheet = (0..<rows).map { r in
            "<row r=\"\(r + 1)\"><c r=\"A\(r + 1)\" t=\"s\"><v>\(r)</v></c><c r=\"B\(r + 1)\"><v>\(r * 7)</v></c>"
                + "<c r=\"D\(r + 1)\" t=\"inlineStr\"><is><t>行\(r)</t></is></c></row>"
        }.joined()
        let sheets = try XLSXReader.read(xlsx(basicParts(sheet: sheet, strings: strings)))
        let read = cells(sheets[0])
        #expect(read.count == rows)
        #expect(read.indices.allSatisfy { r in read[r] == ["第\(r)号学生家长联系人", "\(r * 7)", "", "行\(r)"] })
        #expect(sheets[0].rowNumbers == Array(1...rows))
    }

    @Test func sharedRichAndPhoneticStringsInlineBooleansAndSparseCells() throws {
        let strings = "<si><t>机构代码</t></si><si><r><t>槐荫</t></r><r><t>小学</t></r><rPh><t>ハイイン</t></rPh></si>"
        let sheet = """
        <row r="2"><c r="A2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c></row>
        <row r="5"><c r="B5" t="inlineStr"><is><t>内联</t></is></c><c r="C5" t="b"><v>1</v></c><c r="D5" t="e"><v>#N/A</v></c><c r="E5" t="str"><f>A1</f><v>公式</v></c><c r="F5"><v>12</v></c></row>
        """
        let sheets = try XLSXReader.read(try xlsx(basicParts(sheet: sheet, strings: strings)))
        #expect(sheets.map(\.name) == ["日报"])
        #expect(cells(sheets[0]) == [["机构代码", "", "槐荫小学"], ["", "内联", "1", "#N/A", "公式", "12"]])
        #expect(sheets[0].rowNumbers == [2, 5])
    }

    @Test func datesFromBuiltInAndCustomStylesIn1900And1904Systems() throws {
        let styles = """
        <numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
        <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
        <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="22"/></cellXfs>
        """
        let sheet = "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43869</v></c><c r=\"B1\" s=\"2\"><v>43869</v></c><c r=\"C1\" s=\"3\"><v>43869.395833333336</v></c><c r=\"D1\"><v>43869</v></c><c r=\"E1\" s=\"1\"><v>60</v></c></row>"
        let s1900 = try XLSXReader.read(try xlsx(basicParts(sheet: sheet, styles: styles)))
        #expect(cells(s1900[0]) == [["2020-02-08", "2020-02-08", "2020-02-08 09:30:00", "43869", "1900-03-01"]])
        let s1904 = try XLSXReader.read(try xlsx(basicParts(sheet: "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>42407</v></c></row>",
                                                            workbookPr: "<workbookPr date1904=\"1\"/>", styles: styles)))
        #expect(cells(s1904[0]) == [["2020-02-08"]])
    }

    @Test func truncatedZipIsMalformed() throws {
        let bytes = try xlsx(basicParts(sheet: ""))
        #expect(failure { _ = try XLSXReader.read(Array(bytes.prefix(bytes.count / 2))) }?.kind == .malformedZip)
    }

    @Test func missingPartIsNamed() throws {
        var parts = basicParts(sheet: "")
        parts["xl/worksheets/data.xml"] = nil
        let bytes = try xlsx(parts)
        let error = failure { _ = try XLSXReader.read(bytes) }
        #expect(error?.kind == .malformedZip)
        #expect(error?.message.contains("xl/worksheets/data.xml") == true)
    }

    @Test func malformedSheetXMLHasPartAndLine() throws {
        var parts = basicParts(sheet: "")
        parts["xl/worksheets/data.xml"] = "<worksheet xmlns=\"\(main)\"><sheetData><row></sheetData></worksheet>"
        let bytes = try xlsx(parts)
        let error = failure { _ = try XLSXReader.read(bytes, name: "a.xlsx") }
        #expect(error?.kind == .malformedXML)
        #expect(error?.message.contains("a.xlsx/xl/worksheets/data.xml") == true)
        if case .line(let line, _)? = error?.location { #expect(line == 1) } else { Issue.record("no line") }
        #expect(error?.description.contains("line 1, column") == true)
    }

    @Test func zipBombIsRefused() throws {
        // 64 MB of one character deflates to about 64 KB: a ratio far beyond any spreadsheet.
        let row = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + String(repeating: "a", count: 64 << 20) + "</t></is></c></row>"
        let bytes = try xlsx(basicParts(sheet: row))
        #expect(failure { _ = try XLSXReader.read(bytes) }?.kind == .unsafe)
    }

    /// A sheet holds the shared strings (a shared-string cell is a range of them) only while the copies
    /// its workbook's sheets could make of the table stay within a budget: many sheets over a large table
    /// each copy their own cells instead, and read the same.
    @Test(arguments: [2, 80]) func sheetsHoldTheSharedStringsWithinABudget(_ sheetCount: Int) throws {
        let strings = (0..<1_000).map { "<si><t>\($0)：\(String(repeating: "机构", count: 200))</t></si>" }.joined()
        let table = 1_000 * 1_200
        var parts = basicParts(sheet: "", strings: strings)
        parts["xl/workbook.xml"] = "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
            + (1...sheetCount).map { "<sheet name=\"s\($0)\" sheetId=\"\($0)\" r:id=\"r\($0)\"/>" }.joined() + "</sheets></workbook>"
        parts["xl/_rels/workbook.xml.rels"] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + (1...sheetCount).map { "<Relationship Id=\"r\($0)\" Type=\"x\" Target=\"worksheets/s\($0).xml\"/>" }.joined() + "</Relationships>"
        for k in 1...sheetCount {
            parts["xl/worksheets/s\(k).xml"] = "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>\(k)</v></c>"
                + "<c r=\"B1\"><v>\(k)</v></c></row></sheetData></worksheet>"
        }
        let sheets = try XLSXReader.read(try xlsx(parts))
        #expect(sheets.count == sheetCount)
        for (k, sheet) in sheets.enumerated() {
            #expect(cells(sheet) == [["\(k + 1)：\(String(repeating: "机构", count: 200))", "\(k + 1)"]])
            // 80 sheets × 1.2 MB passes the 64 MiB budget: each sheet holds its two cells alone.
            #expect(sheetCount * table > 64 << 20 ? sheet.bytes.count < 2_000 : sheet.bytes.count > table)
        }
    }

    @Test func doctypeInsideAWorkbookPartIsRefused() throws {
        var parts = basicParts(sheet: "")
        parts["xl/workbook.xml"] = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + parts["xl/workbook.xml"]!
        let bytes = try xlsx(parts)
        #expect(failure { _ = try XLSXReader.read(bytes) }?.kind == .unsafe)
    }
}
