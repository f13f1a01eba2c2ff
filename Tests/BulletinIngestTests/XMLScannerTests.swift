@_spi(Testing) import BulletinIngest
import BulletinTestSupport
import Foundation
import Testing

/// What a reader made of a document: its sheets (names, row numbers, cells), or its error in full.
func outcome(_ read: () throws(IngestError) -> [Sheet]) -> String {
    do {
        return try read().map { "\($0.name ?? "-") \($0.rowNumbers) \(cells($0))" }.joined(separator: "\n")
    } catch {
        return "error \(error.kind) \(error.message) \(error.location.map { "\($0)" } ?? "") \(error.code ?? 0)"
    }
}

private func spreadsheetML(_ bytes: [UInt8], _ readers: XMLReaders) -> String {
    outcome { () throws(IngestError) in try SpreadsheetMLReader.read(bytes, part: "doc.xml", readers: readers) }
}

func workbook(_ bytes: [UInt8], _ readers: XMLReaders) -> String {
    outcome { () throws(IngestError) in try XLSXReader.read(bytes, name: "book.xlsx", readers: readers) }
}

/// Whether the scanner alone reads the document (it declines by throwing its signal).
private func scannerReads(_ read: () throws(IngestError) -> [Sheet]) -> Bool {
    do { _ = try read(); return true } catch { return error != XMLReaders.declined }
}

/// A SpreadsheetML document of one worksheet around `rows`.
private func workbookXML(_ rows: String, prolog: String = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n",
                         root: String = "") -> [UInt8] {
    Array("""
    \(prolog)<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"\(root)>
     <Worksheet ss:Name="日报"><Table>\(rows)</Table></Worksheet>
    </Workbook>
    """.utf8)
}

/// A small deterministic generator of mutations (SplitMix64).
struct Mutator {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }

    static let pieces: [String] = [
        "<", ">", "&", "&amp;", "&#x4E2D;", "&#20013;", "&#0;", "&#xD800;", "&nbsp;", "\"", "'", "]]>", "]]", "\r", "\r\n",
        "\u{0}", "\u{1}", "\t", "\u{FFFE}", "\u{FEFF}", "中", "<!-- note -->", "<![CDATA[x]]>", "<?pi data?>", "<?xml version=\"1.0\"?>",
        "<x:Row>", "</x:Row>", " xmlns:x=\"urn:x\"", " ss:Index=\"3\"", " ss:Index=\"3\" ss:Index=\"4\"", " a=\"&lt;\"", " b='1'",
        "<Cell><Data ss:Type=\"String\">值</Data></Cell>", "</Cell>", "<Row>", "</Row>", "/", "=", " ", "<Row/>", "<!DOCTYPE x>",
        "\u{80}", "\u{7F}", "<_a.b-c/>", "<1a/>", "<a:b:c/>",
    ]

    /// `bytes` changed in one or two places: a piece inserted, a range deleted or repeated, or the end cut off.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for _ in 0...next(2) where !out.isEmpty {
            let at = next(out.count + 1)
            switch next(8) {
            case 0, 1, 2, 3: out.insert(contentsOf: Array(Self.pieces[next(Self.pieces.count)].utf8), at: at)
            case 4, 5: out.removeSubrange(at..<min(out.count, at + 1 + next(8)))
            case 6: out.insert(contentsOf: out[min(at, out.count - 1)..<min(out.count, at + 1 + next(40))], at: at)
            default: out.removeSubrange(max(at, out.count - 1 - next(20))..<out.count)
            }
        }
        return out
    }
}

struct XMLScannerTests {
    @Test func everyGeneratedWorkbookIsReadByTheScannerAsLibxml2ReadsIt() throws {
        let district = try sampleDistrict("xml-scanner", days: 2, seed: 11, formats: [.xlsx, .spreadsheetML])
        let files = (FileManager.default.enumerator(atPath: district.landing.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".xlsx") || $0.hasSuffix(".xml") }.sorted()
        #expect(files.count > 20)
        var xlsx = 0, xml = 0
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: district.landing.appendingPathComponent(file)))
            if file.hasSuffix(".xlsx") {
                #expect(scannerReads { () throws(IngestError) in try XLSXReader.read(bytes, readers: .scannerOnly) }, "\(file)")
                #expect(workbook(bytes, .scannerOnly) == workbook(bytes, .libxml2), "\(file)")
                xlsx += 1
            } else {
                #expect(scannerReads { () throws(IngestError) in try SpreadsheetMLReader.read(bytes, readers: .scannerOnly) }, "\(file)")
                #expect(spreadsheetML(bytes, .scannerOnly) == spreadsheetML(bytes, .libxml2), "\(file)")
                xml += 1
            }
        }
        #expect(xlsx > 5 && xml > 5)
    }

    /// What spreadsheet writers put in their XML, each read by the scanner itself, as libxml2 reads it.
    @Test(arguments: [
        "<Row><Cell><Data ss:Type=\"String\">A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos; &#x4E2D;&#25991; &#10;</Data></Cell></Row>",
        "<Row ss:Index='3' ><Cell ss:Index = \"2\" ><Data ss:Type=\"Number\">12</Data></Cell ></Row>",
        "<Row><Cell/><Cell><Data ss:Type=\"String\"> 前后 空格 </Data></Cell><Cell ss:MergeAcross=\"1\"/><Cell><Data ss:Type=\"String\">x</Data></Cell></Row>",
        "<Row><Cell><ss:Data ss:Type=\"String\" xmlns=\"http://www.w3.org/TR/REC-html40\"><B>粗</B><Font html:Color=\"#FF0000\">红</Font></ss:Data></Cell></Row>",
        "<Row><Cell><Data ss:Type=\"String\">第一行\n第二行\t制表</Data></Cell></Row><?pi inside?>",
        "<Row><Cell><Data ss:Type=\"DateTime\">1899-12-31T08:30:00.000</Data></Cell></Row>",
        "<Row><Cell><Data ss:Type=\"String\">   </Data></Cell><Cell><Data ss:Type=\"String\">\n\t</Data></Cell></Row>",
    ]) func plainDocumentsAreReadByTheScanner(_ rows: String) {
        let bytes = workbookXML(rows, root: " xmlns:html=\"http://www.w3.org/TR/REC-html40\"")
        #expect(scannerReads { () throws(IngestError) in try SpreadsheetMLReader.read(bytes, readers: .scannerOnly) })
        #expect(spreadsheetML(bytes, .scannerOnly) == spreadsheetML(bytes, .libxml2))
        #expect(!spreadsheetML(bytes, .libxml2).hasPrefix("error"))
    }

    /// What the scanner leaves to libxml2: read or refused as before, with libxml2's own words.
    @Test(arguments: [
        ("<!DOCTYPE Workbook>\n", "", "<Row/>"),
        ("", "", "<Row><!-- 注释 --><Cell><Data ss:Type=\"String\">x</Data></Cell></Row>"),
        ("", "", "<Row><Cell><Data ss:Type=\"String\"><![CDATA[<b>]]></Data></Cell></Row>"),
        ("", "", "<Row><Cell><Data ss:Type=\"String\">回车\r\n换行</Data></Cell></Row>"),
        ("", "", "<Row><Cell><Data ss:Type=\"String\">&nbsp;</Data></Cell></Row>"),
        ("", "", "<Row><Cell><Data ss:Type=\"String\">a]]>b</Data></Cell></Row>"),
        ("", "", "<Row><Cell><Data ss:Type=\"String\">\u{1}</Data></Cell></Row>"),
        ("", "", "<Row><Cell><Data ss:Type=\"String\" title=\"a&amp;b\">x</Data></Cell></Row>"),
        ("", "", "<Row><Cell ss:Index=\"2\" ss:Index=\"3\"/></Row>"),
        ("", "", "<Row><y:Cell/></Row>"),
        ("", "", "<Row><Cell></Row></Cell>"),
        ("", "", "<Row><Cell><Data ss:Type=\"String\">x</Data></Cell></Row></Table></Worksheet></Workbook><Workbook>"),
        ("<?xml version=\"1.0\" encoding=\"GB2312\"?>\n", "", "<Row/>"),
        ("<?xml version=\"1.0\" encoding=\"UTF\r8\"?>\n", "", "<Row/>"),
        ("<?xml version=\"1.0\" encoding=\"UTF-\u{18}\"?>\n", "", "<Row/>"),
        ("<?xml version=\"1.1\"?>\n", "", "<Row/>"),
        ("  <?xml version=\"1.0\"?>\n", "", "<Row/>"),
        ("", " xmlns:ss=\"urn:again\"", "<Row/>"),
    ]) func otherDocumentsAreLeftToLibxml2(_ prolog: String, _ root: String, _ rows: String) {
        let bytes = workbookXML(rows, prolog: prolog, root: root)
        #expect(!scannerReads { () throws(IngestError) in try SpreadsheetMLReader.read(bytes, readers: .scannerOnly) })
        #expect(spreadsheetML(bytes, .scannerFirst) == spreadsheetML(bytes, .libxml2))
    }

    /// Documents the readers stop inside (past Excel's limits, the cell budget, a shared string that is
    /// not there): the scanner reads them itself and stops with the very error libxml2's read gives.
    @Test func readersStoppedMidDocumentGiveLibxml2sError() throws {
        let rows = String(repeating: "<Row><Cell ss:Index=\"16000\"><Data ss:Type=\"String\">a</Data></Cell></Row>", count: 20_000)
        let padded = workbookXML(rows)
        #expect(spreadsheetML(padded, .scannerOnly) == spreadsheetML(padded, .libxml2))
        #expect(spreadsheetML(padded, .scannerOnly).hasPrefix("error tooLarge"))
        for sheet in ["<row r=\"99999999999999999999\"><c r=\"A1\"><v>1</v></c></row>", "<row r=\"1\"><c r=\"FXSHRXW1\"><v>1</v></c></row>",
                      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>"] {
            let bytes = try xlsx(basicParts(sheet: sheet, strings: "<si><t>only</t></si>"))
            #expect(workbook(bytes, .scannerOnly) == workbook(bytes, .libxml2), "\(sheet)")
            #expect(workbook(bytes, .scannerOnly).hasPrefix("error"), "\(sheet)")
        }
    }

    /// The crafted and fuzz-found documents kept for regression (SpreadsheetML, and what the `xmldiff`
    /// fuzz target finds), and the worksheets of kept workbooks: read as libxml2 reads them.
    @Test func regressionDocumentsReadAsLibxml2ReadsThem() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BulletinValidateTests/Regressions")
        var read = 0
        for folder in ["xml", "xmldiff", "xlsx"] {
            let dir = root.appendingPathComponent(folder)
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() {
                let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
                if folder == "xlsx" {
                    #expect(workbook(bytes, .scannerFirst) == workbook(bytes, .libxml2), "\(folder)/\(name)")
                } else {
                    #expect(spreadsheetML(bytes, .scannerFirst) == spreadsheetML(bytes, .libxml2), "\(folder)/\(name)")
                }
                read += 1
            }
        }
        #expect(read >= 3)
    }

    /// Broken and hostile variants of a generated document: whatever the scanner reads, it reads as
    /// libxml2 does, and it never reads what libxml2 refuses.
    @Test func mutatedDocumentsReadAsLibxml2ReadsThem() throws {
        let district = try sampleDistrict("xml-scanner-mutated", days: 1, seed: 5, formats: [.spreadsheetML])
        let files = (FileManager.default.enumerator(atPath: district.landing.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".xml") }.sorted()
        // The four smallest documents, whole, so that a mutation is the only thing wrong with them.
        let documents = try files.map { [UInt8](try Data(contentsOf: district.landing.appendingPathComponent($0))) }
        let seeds = documents.sorted { $0.count < $1.count }.prefix(4)
            + [workbookXML("<Row><Cell><Data ss:Type=\"String\">A &amp; B</Data></Cell><Cell ss:Index=\"3\"/></Row>")]
        var mutator = Mutator(state: 42)
        var readByScanner = 0, refused = 0
        for round in 0..<3000 {
            let bytes = mutator.mutate(seeds[seeds.startIndex + round % seeds.count])
            let expected = spreadsheetML(bytes, .libxml2)
            #expect(spreadsheetML(bytes, .scannerFirst) == expected, "\(String(decoding: bytes, as: UTF8.self))")
            if scannerReads({ () throws(IngestError) in try SpreadsheetMLReader.read(bytes, readers: .scannerOnly) }) {
                readByScanner += 1
            }
            if expected.hasPrefix("error") { refused += 1 }
        }
        // Both kinds were exercised: documents the scanner read itself, and documents libxml2 refused.
        #expect(readByScanner > 200 && refused > 300)
    }

    @Test func mutatedWorksheetsAndSharedStringsReadAsLibxml2ReadsThem() throws {
        let sheet = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>内联&amp;</t></is></c><c r=\"C1\"/></row>"
            + "<row r=\"2\" spans=\"1:3\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"C2\"><v>12</v></c></row>"
        let strings = "<si><t xml:space=\"preserve\">机构 代码</t></si><si><r><t>槐荫</t></r><r><t>小学</t></r><rPh><t>ハイ</t></rPh></si>"
        var mutator = Mutator(state: 7)
        var readByScanner = 0
        for round in 0..<400 {
            var parts = basicParts(sheet: sheet, strings: strings)
            let key = round % 2 == 0 ? "xl/worksheets/data.xml" : "xl/sharedStrings.xml"
            parts[key] = String(decoding: mutator.mutate(Array(parts[key]!.utf8)), as: UTF8.self)
            let bytes = try xlsx(parts)
            #expect(workbook(bytes, .scannerFirst) == workbook(bytes, .libxml2), "\(parts[key]!)")
            if scannerReads({ () throws(IngestError) in try XLSXReader.read(bytes, readers: .scannerOnly) }) { readByScanner += 1 }
        }
        #expect(readByScanner > 30)
    }

    /// A token of megabytes full of '>' across the chunk boundary (an attribute value, text), and a tag
    /// with a thousand namespace declarations: read, or left to libxml2, at once and as libxml2 reads them.
    @Test func longTokensAndManyDeclarationsReadAsLibxml2ReadsThem() {
        let arrows = String(repeating: ">", count: 2 << 20)
        let value = workbookXML("<Row><Cell ss:StyleID=\"\(arrows)\"><Data ss:Type=\"String\">\(arrows)</Data></Cell></Row>")
        #expect(value.count > 4 << 20)
        #expect(scannerReads { () throws(IngestError) in try SpreadsheetMLReader.read(value, readers: .scannerOnly) })
        #expect(spreadsheetML(value, .scannerOnly) == spreadsheetML(value, .libxml2))
        let declarations = (0..<1000).map { " xmlns:p\($0)=\"urn:p\($0)\"" }.joined()
        let many = workbookXML("<Row><Cell><Data ss:Type=\"String\">x</Data></Cell></Row>", root: declarations)
        #expect(!scannerReads { () throws(IngestError) in try SpreadsheetMLReader.read(many, readers: .scannerOnly) })
        #expect(spreadsheetML(many, .scannerFirst) == spreadsheetML(many, .libxml2))
    }

    /// A tag, an entity or text split across the chunks a document is read in (1 MiB) reads as if whole.
    @Test func documentsSplitAtEveryOffsetOfTheirTokensReadAsWhole() {
        let rows = "<Row ss:Index=\"2\"><Cell><Data ss:Type=\"String\">甲&amp;乙 &#x4E2D;</Data></Cell><Cell/></Row>"
        let plain = workbookXML(rows)
        let start = plain.count - Array("</Table></Worksheet>\n</Workbook>".utf8).count - Array(rows.utf8).count
        for offset in 0..<Array(rows.utf8).count {
            // White space before the rows puts the chunk boundary `offset` bytes into them.
            let padding = String(repeating: " ", count: (1 << 20) - start - offset)
            let bytes = workbookXML(padding + rows)
            #expect(scannerReads { () throws(IngestError) in try SpreadsheetMLReader.read(bytes, readers: .scannerOnly) }, "offset \(offset)")
            #expect(spreadsheetML(bytes, .scannerOnly) == spreadsheetML(plain, .libxml2), "offset \(offset)")
        }
    }
}
