@_spi(Testing) @testable import BulletinIngest
import BulletinTestSupport
import Foundation
import Testing

/// What a worksheet or shared-strings handler was handed, in the row handler's own terms: from whole
/// elements as they come, from events as a plain worksheet's events amount to (`row`, `c` with the
/// text of its `v`, end of row; `si` with the text of its `t`), so the two ways can be compared.
private final class Trace: XMLRowHandler, XMLStringItemHandler {
    var lines: [String] = []
    var wholeRows = 0, wholeItems = 0, elementEvents = 0
    private var cellAttributes = "", text: [UInt8] = [], capturing = false
    private var row: UnsafePointer<UInt8>!, c: UnsafePointer<UInt8>!, v: UnsafePointer<UInt8>!, t: UnsafePointer<UInt8>!,
                si: UnsafePointer<UInt8>!, r: UnsafePointer<UInt8>!, s: UnsafePointer<UInt8>!

    func bind(_ source: XMLEventSource) {
        (row, c, v, t, si, r, s) = (source.interned("row"), source.interned("c"), source.interned("v"), source.interned("t"),
                                    source.interned("si"), source.interned("r"), source.interned("s"))
    }

    private static func show(_ bytes: UnsafeBufferPointer<UInt8>?) -> String { bytes.map { String(decoding: $0, as: UTF8.self) } ?? "-" }

    func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if name == row || name == c || name == si { elementEvents += 1 }
        if name == row { lines.append("row \(Self.show(attributes.value(r)))") }
        if name == c { cellAttributes = "\(Self.show(attributes.value(r))) \(Self.show(attributes.value(t))) \(Self.show(attributes.value(s)))" }
        if name == v || name == t { capturing = true }
        if name == c || name == si { text = [] }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        if name == v || name == t { capturing = false }
        if name == c { lines.append("cell \(cellAttributes) \(String(decoding: text, as: UTF8.self))") }
        if name == row { lines.append("end") }
        if name == si { lines.append("item \(String(decoding: text, as: UTF8.self))") }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) { if capturing { text.append(contentsOf: bytes) } }

    var takesWholeRows: Bool { !capturing }
    var takesWholeItems: Bool { !capturing }

    func rowStarted(reference: UnsafeBufferPointer<UInt8>?) {
        wholeRows += 1
        lines.append("row \(Self.show(reference))")
    }

    func cell(reference: UnsafeBufferPointer<UInt8>?, type: UnsafeBufferPointer<UInt8>?, style: UnsafeBufferPointer<UInt8>?,
              value: UnsafeBufferPointer<UInt8>) {
        lines.append("cell \(Self.show(reference)) \(Self.show(type)) \(Self.show(style)) \(String(decoding: value, as: UTF8.self))")
    }

    func rowEnded() { lines.append("end") }

    func item(_ text: UnsafeBufferPointer<UInt8>) {
        wholeItems += 1
        lines.append("item \(String(decoding: text, as: UTF8.self))")
    }
}

/// The trace of `xml` read through `readers` in chunks of 1 MiB, or the error.
private func trace(_ xml: [UInt8], _ readers: XMLReaders) -> (trace: Trace?, error: String?) {
    do throws(IngestError) {
        return (try XMLDocument.read(part: "part.xml", readers: readers, make: Trace.init, content: XMLDocument.inMemory(xml)), nil)
    } catch {
        return (nil, "\(error.kind) \(error.message)")
    }
}

struct WholeElementTests {
    /// The sample generator's workbooks: every row and shared string is handed over whole, and reads as
    /// its events do.
    @Test func generatedWorkbooksRowsAndStringsAreHandedOverWhole() throws {
        let district = try sampleDistrict("whole-elements", days: 1, seed: 5, formats: [.xlsx])
        let books = (FileManager.default.enumerator(atPath: district.landing.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".xlsx") }.sorted()
        #expect(books.count > 5)
        for book in books {
            let zip = try ZipContainer([UInt8](try Data(contentsOf: district.landing.appendingPathComponent(book))), name: book)
            for part in ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"] where zip.has(part) {
                let xml = try zip.read(part)
                let rows = xml.indices.dropLast(4).filter { xml[$0] == 0x3C && xml[$0 + 1...$0 + 4].elementsEqual("row ".utf8) }.count
                let items = xml.indices.dropLast(3).filter { xml[$0] == 0x3C && xml[$0 + 1...$0 + 3].elementsEqual("si>".utf8) }.count
                let whole = try #require(trace(xml, .scannerOnly).trace), events = try #require(trace(xml, .scannerEvents).trace)
                #expect(whole.wholeRows == rows && whole.wholeItems == items && whole.elementEvents == 0, "\(book) \(part) \(whole.wholeRows) \(rows) \(whole.wholeItems) \(items) \(whole.elementEvents)")
                #expect(rows + items > 0 && events.elementEvents >= rows + items && events.wholeRows + events.wholeItems == 0)
                #expect(whole.lines == events.lines, "\(book) \(part)")
            }
        }
    }

    /// A row or shared string cut by a chunk's end, at every offset: read as the same calls as when whole.
    @Test func elementsSplitAtEveryOffsetReadAsWhole() throws {
        let rows = "<row r=\"7\" spans=\"1:3\"><c r=\"A7\" s=\"2\" t=\"s\"><v>12</v></c><c r=\"B7\"/><c r='C7' t=\"n\"> <v>3.5</v> </c></row>"
        let items = "<si><t xml:space=\"preserve\"> 机构 </t></si><si/>"
        for (body, root) in [(rows, "worksheet"), (items, "sst")] {
            let head = "<\(root) xmlns=\"urn:m\"><sheetData>"
            let plain = Array("\(head)\(body)</sheetData></\(root)>".utf8)
            let expected = try #require(trace(plain, .scannerEvents).trace).lines
            for offset in 0..<Array(body.utf8).count {
                let padding = String(repeating: " ", count: (1 << 20) - Array(head.utf8).count - offset)
                let split = Array("\(head)\(padding)\(body)</sheetData></\(root)>".utf8)
                #expect(try #require(trace(split, .scannerOnly).trace).lines == expected, "offset \(offset)")
            }
        }
    }

    /// The kept `xlsxdiff` cases (crafted, and whatever `make fuzz` finds), each a worksheet or a shared-strings
    /// part put in a workbook as the fuzz target puts it: read alike with whole elements, with events alone
    /// and by libxml2.
    @Test func keptXlsxdiffCasesReadAlikeThreeWays() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../BulletinValidateTests/Regressions/xlsxdiff").standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count >= 4)
        for name in names {
            let part = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
            let strings = part.contains("<si")
            var parts = basicParts(sheet: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>",
                                   strings: strings ? nil : "<si><t>甲</t></si><si><t xml:space=\"preserve\"> 乙 </t></si>")
            parts[strings ? "xl/sharedStrings.xml" : "xl/worksheets/data.xml"] = part
            let book = try xlsx(parts)
            let whole = workbook(book, .scannerFirst)
            #expect(whole == workbook(book, .scannerEvents), "\(name)")
            #expect(whole == workbook(book, .libxml2), "\(name)")
        }
    }

    /// Worksheets and shared strings changed in one or two places near what the whole elements read:
    /// read through them as through events alone and as libxml2 reads them.
    @Test func mutatedRowsAndStringsReadAsTheirEventsAndLibxml2ReadThem() throws {
        let sheet = "<row r=\"1\" spans=\"1:3\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\" t=\"s\"><v>1</v></c><c r=\"C1\"/></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"C2\"><v>12</v></c></row><row r=\"4\"/>"
        let strings = "<si><t>机构代码</t></si><si><t xml:space=\"preserve\"> 槐荫 </t></si><si/>"
        let pieces = ["<c r=\"B9\" t=\"s\"><v>0</v></c>", "<c/>", "</c>", "<v>", "</v>", "<v/>", "<row>", "</row>", "<row/>", " r=\"D2\"",
                      " t=\"s\"", " s=\"3\"", " r=\"1\" r=\"2\"", " x:r=\"5\"", " xml:r=\"5\"", " xmlns:x=\"urn:x\"", " a = 'b'", "<f>1+1</f>",
                      "<is><t>内联</t></is>", "<si>", "</si>", "<t>", "</t>", "<r><t>富</t></r>", "<rPh><t>ハ</t></rPh>", "&amp;", "]]>",
                      "\r", "\t", "\n", "<", ">", "\"", "'", "=", "/", " ", "中", "\u{FFFE}", "<!-- n -->", "<x:c/>", "<row r=\"1048577\">"]
        var random = Mutator(state: 23)
        for round in 0..<600 {
            var parts = basicParts(sheet: sheet, strings: strings)
            let key = round % 3 == 2 ? "xl/sharedStrings.xml" : "xl/worksheets/data.xml"
            var bytes = Array(parts[key]!.utf8)
            for _ in 0...random.next(2) {
                let at = random.next(bytes.count + 1)
                if random.next(4) == 0 {
                    bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.next(6)))
                } else {
                    bytes.insert(contentsOf: Array(pieces[random.next(pieces.count)].utf8), at: at)
                }
            }
            parts[key] = String(decoding: bytes, as: UTF8.self)
            let book = try xlsx(parts)
            let whole = workbook(book, .scannerFirst)
            #expect(whole == workbook(book, .scannerEvents), "\(parts[key]!)")
            #expect(whole == workbook(book, .libxml2), "\(parts[key]!)")
        }
    }
}
