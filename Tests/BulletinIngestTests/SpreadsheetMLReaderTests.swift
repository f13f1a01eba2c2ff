import BulletinIngest
import Testing

func workbook(_ body: String) -> [UInt8] {
    Array("""
    <?xml version="1.0" encoding="UTF-8"?>
    <?mso-application progid="Excel.Sheet"?>
    <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
     xmlns:html="http://www.w3.org/TR/REC-html40">
    \(body)
    </Workbook>
    """.utf8)
}

struct SpreadsheetMLReaderTests {
    @Test func indexMergeTypesRichTextAndComments() throws {
        let sheets = try SpreadsheetMLReader.read(workbook("""
        <Worksheet ss:Name="日报"><Table>
         <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">槐荫区XX学校疫情防控日报</Data></Cell><Cell><Data ss:Type="String">尾</Data></Cell></Row>
         <Row ss:Index="3"><Cell><Data ss:Type="Number">12</Data></Cell><Cell ss:Index="3"><Data ss:Type="DateTime">2020-02-08T00:00:00.000</Data></Cell></Row>
         <Row><Cell><ss:Data ss:Type="String"><B>粗</B><Font>体</Font></ss:Data><Comment><ss:Data>批注不读</ss:Data></Comment></Cell><Cell><Data ss:Type="Boolean">1</Data></Cell></Row>
         <Row/>
        </Table></Worksheet>
        <Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">填表说明</Data></Cell></Row></Table></Worksheet>
        """))
        #expect(sheets.map(\.name) == ["日报", "说明"])
        #expect(cells(sheets[0]) == [["槐荫区XX学校疫情防控日报", "", "", "尾"], ["12", "", "2020-02-08T00:00:00.000"],
                                     ["粗体", "1"], [""]])
        #expect(sheets[0].rowNumbers == [1, 3, 4, 5])
        // The second worksheet is read on its own: nothing of the first's cells, bytes or rows carries over.
        #expect(cells(sheets[1]) == [["填表说明"]])
        #expect(sheets[1].rowNumbers == [1])
    }

    @Test func malformedXMLGivesLibxml2MessageAndPosition() {
        do {
            _ = try SpreadsheetMLReader.read(workbook("<Worksheet><Table><Row></Table></Worksheet>"), part: "bad.xml")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .malformedXML)
            #expect(error.message.contains("bad.xml"))
            if case .line(let line, _)? = error.location { #expect(line == 5) } else { Issue.record("no line: \(error)") }
            #expect(error.code != nil, "libxml2's own error code is kept")
        }
    }

    @Test func notASpreadsheet() {
        #expect(throws: IngestError.self) { try SpreadsheetMLReader.read(Array("<html><body/></html>".utf8)) }
    }
}

struct XMLSecurityTests {
    func refused(_ xml: String) -> IngestError? {
        do { _ = try SpreadsheetMLReader.read(Array(xml.utf8)); return nil } catch { return error }
    }

    @Test func billionLaughsIsRefused() {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
        <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data>&lol3;</Data></Cell></Row></Table></Worksheet></Workbook>
        """
        #expect(refused(xml)?.kind == .unsafe)
    }

    @Test func externalEntitiesAreRefused() {
        for target in ["file:///etc/passwd", "http://127.0.0.1:1/x"] {
            let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE w [<!ENTITY x SYSTEM "\(target)">]>
            <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data>&x;</Data></Cell></Row></Table></Worksheet></Workbook>
            """
            let error = refused(xml)
            #expect(error?.kind == .unsafe)
            #expect(error?.description.contains("root:") == false)
        }
    }

    @Test func quadraticBlowupIsRefused() {
        let big = String(repeating: "a", count: 50_000)
        let refs = String(repeating: "&a;", count: 50_000)
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"\(big)\">]><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">\(refs)</Workbook>"
        #expect(refused(xml)?.kind == .unsafe)
    }
}
