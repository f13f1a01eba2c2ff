import BulletinCore
import BulletinIngest
import Foundation
import Testing
import ZIPFoundation

/// Crafted files of the kind fuzzing found: each must be read or refused with a reason, never trap,
/// hang or grow memory without bound.
struct HostileInputTests {
    static let spreadsheetML: [(String, IngestError.Kind)] = [
        ("<Row ss:Index=\"99999999999999999999\"><Cell><Data ss:Type=\"String\">a</Data></Cell></Row>", .tooLarge),
        ("<Row><Cell ss:Index=\"99999999999999999999\"><Data ss:Type=\"String\">a</Data></Cell></Row>", .tooLarge),
        ("<Row><Cell ss:Index=\"2147483647\"><Data ss:Type=\"String\">a</Data></Cell></Row>", .tooLarge),
        ("<Row><Cell ss:MergeAcross=\"9223372036854775807\"><Data ss:Type=\"String\">a</Data></Cell><Cell/></Row>", .tooLarge),
        ("<Row><Cell><Worksheet ss:Name=\"x\"></Worksheet></Cell></Row>", .malformedXML),
        ("<Row><Row></Row></Row>", .malformedXML),
    ]

    @Test(arguments: spreadsheetML)
    func spreadsheetMLRefusals(_ body: String, _ kind: IngestError.Kind) {
        let xml = """
        <?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" \
        xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="s"><Table>\(body)</Table></Worksheet></Workbook>
        """
        #expect(failure { _ = try SpreadsheetMLReader.read(Array(xml.utf8)) }?.kind == kind)
    }

    @Test func manyPaddedCellsExhaustTheBudgetNotMemory() {
        // 20,000 rows that each jump to column 16,000: 320 million cells if padded.
        let rows = String(repeating: "<Row><Cell ss:Index=\"16000\"><Data ss:Type=\"String\">a</Data></Cell></Row>", count: 20_000)
        let xml = "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">"
            + "<Worksheet ss:Name=\"s\"><Table>\(rows)</Table></Worksheet></Workbook>"
        #expect(failure { _ = try SpreadsheetMLReader.read(Array(xml.utf8)) }?.kind == .tooLarge)
    }

    static let xlsxSheets: [(String, IngestError.Kind)] = [
        ("<row r=\"99999999999999999999\"><c r=\"A1\"><v>1</v></c></row>", .tooLarge),
        ("<row r=\"1\"><c r=\"ZZZZZZZZZZZZZZZ1\"><v>1</v></c></row>", .tooLarge),
        ("<row r=\"1\"><c r=\"FXSHRXW1\"><v>1</v></c></row>", .tooLarge),
        ("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>99999999999999999999</v></c></row>", .malformedXML),
        ("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row>", .malformedXML),
    ]

    @Test(arguments: xlsxSheets)
    func xlsxRefusals(_ sheet: String, _ kind: IngestError.Kind) throws {
        let bytes = try xlsx(basicParts(sheet: sheet, strings: "<si><t>only</t></si>"))
        #expect(failure { _ = try XLSXReader.read(bytes) }?.kind == kind)
    }

    @Test func hugeStyleIndexAndOutOfRangeDatesReadAsTyped() throws {
        let styles = "<cellXfs count=\"2\"><xf/><xf numFmtId=\"14\"/></cellXfs>"
        let sheet = "<row r=\"1\"><c r=\"A1\" s=\"99999999999999999999\"><v>5</v></c><c r=\"B1\" s=\"1\"><v>1e300</v></c>"
            + "<c r=\"C1\" s=\"1\"><v>NaN</v></c><c r=\"D1\" s=\"1\"><v>-1</v></c><c r=\"E1\" s=\"1\"><v>inf</v></c></row>"
        let sheets = try XLSXReader.read(try xlsx(basicParts(sheet: sheet, styles: styles)))
        #expect(cells(sheets[0]) == [["5", "1e300", "NaN", "-1", "inf"]])
    }

    @Test func aLocalHeaderPastTheEndIsARejectNotATrap() throws {
        var bytes = try xlsx(basicParts(sheet: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"))
        // Point the first central-directory entry's local-header offset past the end of the file.
        let central = (0..<(bytes.count - 4)).first { bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4B && bytes[$0 + 2] == 1 && bytes[$0 + 3] == 2 }!
        for k in 0..<4 { bytes[central + 42 + k] = 0x7F }
        #expect(failure { _ = try XLSXReader.read(bytes) }?.kind == .malformedZip)
        // Cut anywhere: always a reject.
        let whole = try xlsx(basicParts(sheet: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"))
        for cut in stride(from: 0, to: whole.count, by: 7) {
            #expect(failure { _ = try XLSXReader.read(Array(whole[..<cut])) } != nil)
        }
    }

    @Test func encryptedWorkbooksAndOldExcelAreNamed() {
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 100)
        let encrypted = ole + Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(failure { _ = try XLSXReader.read(encrypted) }.map { $0.kind == .unsupported && $0.message.contains("密码") } == true)
        #expect(failure { _ = try XLSXReader.read(ole) }.map { $0.kind == .unsupported && $0.message.contains(".xls") } == true)
    }

    @Test func manySheetsAreRefusedQuickly() throws {
        var parts = basicParts(sheet: "")
        let count = SheetLimits.maxSheets + 1
        parts["xl/workbook.xml"] = "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
            + (0..<count).map { "<sheet name=\"s\($0)\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0)\"/>" }.joined() + "</sheets></workbook>"
        parts["xl/_rels/workbook.xml.rels"] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + (0..<count).map { "<Relationship Id=\"rId\($0)\" Type=\"x\" Target=\"worksheets/data.xml\"/>" }.joined() + "</Relationships>"
        #expect(failure { _ = try XLSXReader.read(try xlsx(parts)) }?.kind == .tooLarge)
    }

    @Test func csvPastExcelsColumnLimitIsRefused() {
        let wide = Array((String(repeating: "a,", count: SheetLimits.maxColumns) + "a\n").utf8)
        #expect(failure { _ = try CSVReader.read(utf8: wide) }?.kind == .tooLarge)
    }
}

/// Times typed in Excel or WPS read as the time of day they show, in every format.
struct WorkbookTimeTests {
    @Test func xlsxTimeCellsInEachFormatAndMidnightDateTimes() throws {
        let styles = "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[h]:mm\"/>"
            + "<numFmt numFmtId=\"165\" formatCode=\"yyyy\\-mm\\-dd\\ hh:mm\"/></numFmts>"
            + "<cellXfs count=\"8\"><xf/><xf numFmtId=\"20\"/><xf numFmtId=\"21\"/><xf numFmtId=\"46\"/><xf numFmtId=\"164\"/>"
            + "<xf numFmtId=\"22\"/><xf numFmtId=\"165\"/><xf numFmtId=\"14\"/></cellXfs>"
        let sheet = "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0.33333333333333331</v></c><c r=\"B1\" s=\"2\"><v>0</v></c>"
            + "<c r=\"C1\" s=\"3\"><v>0.9166666666666666</v></c><c r=\"D1\" s=\"4\"><v>0.25</v></c>"
            + "<c r=\"E1\" s=\"5\"><v>43872</v></c><c r=\"F1\" s=\"6\"><v>43872.375</v></c><c r=\"G1\" s=\"7\"><v>43872</v></c>"
            + "<c r=\"H1\" s=\"7\"><v>0.5</v></c></row>"
        let sheets = try XLSXReader.read(try xlsx(basicParts(sheet: sheet, styles: styles)))
        #expect(cells(sheets[0]) == [["08:00:00", "00:00:00", "22:00:00", "06:00:00", "2020-02-11 00:00:00",
                                      "2020-02-11 09:00:00", "2020-02-11", "12:00:00"]])
    }

    @Test func spreadsheetMLTimeCellsOnExcelsDayZero() throws {
        let xml = """
        <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\
        <Worksheet ss:Name="s"><Table><Row>\
        <Cell><Data ss:Type="DateTime">1899-12-31T08:00:00.000</Data></Cell>\
        <Cell><Data ss:Type="DateTime">1899-12-31T00:00:00.000</Data></Cell>\
        <Cell><Data ss:Type="DateTime">2020-02-11T00:00:00.000</Data></Cell>\
        <Cell><Data ss:Type="String">1899-12-31T08:00:00.000</Data></Cell>\
        </Row></Table></Worksheet></Workbook>
        """
        let sheets = try SpreadsheetMLReader.read(Array(xml.utf8))
        #expect(cells(sheets[0]) == [["08:00:00.000", "00:00:00.000", "2020-02-11T00:00:00.000", "1899-12-31T08:00:00.000"]])
    }

    @Test(arguments: [
        (14, nil, ExcelDate.Shown.date), (20, nil, .time), (22, nil, .dateTime), (46, nil, .time), (0, nil, nil),
        (164, "[h]:mm", .time), (165, "yyyy\\-mm\\-dd\\ hh:mm", .dateTime), (166, "mm:ss", .time),
        (167, "yyyy\"年\"m\"月\"d\"日\"", .date), (168, "[Red]0.00", nil), (169, "h:mm AM/PM", .time), (170, "0.00", nil),
    ] as [(Int, String?, ExcelDate.Shown?)])
    func numberFormatsAreClassified(_ id: Int, _ code: String?, _ shown: ExcelDate.Shown?) {
        #expect(XLSXFormats.shown(id: id, code: code) == shown)
    }
}

/// Encodings and stray bytes read as a person means them.
struct EncodingEdgeTests {
    static let header = "报告日期\t机构代码\r\n2020-02-11\tHYK001\r\n"

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func utf16TabDelimitedAsExcelSavesUnicodeText(_ littleEndian: Bool, _ bom: Bool) throws {
        var bytes: [UInt8] = bom ? (littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]) : []
        for unit in Self.header.utf16 {
            bytes += littleEndian ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        let table = try TableFile.read(bytes, format: .csv)
        #expect(table.encoding == (littleEndian ? .utf16LE : .utf16BE))
        #expect(cells(table.sheets[0]) == [["报告日期", "机构代码"], ["2020-02-11", "HYK001"]])
    }

    @Test func doubledAndMidFileBOMsAreRemoved() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = bom + bom + Array("报告日期,机构代码\n".utf8) + bom + Array("2020-02-11,HYK".utf8) + bom + Array("001\n".utf8)
        let table = try TableFile.read(bytes, format: .csv)
        #expect(cells(table.sheets[0]) == [["报告日期", "机构代码"], ["2020-02-11", "HYK001"]])
    }
}
