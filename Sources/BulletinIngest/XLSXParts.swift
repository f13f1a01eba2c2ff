import BulletinCore

/// Collects the attributes of chosen elements of a small XML part (workbook, relationships, styles).
private final class ElementCollector: XMLEventHandler {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    let wanted: [String: [String]]   // element → attribute local names
    private var names: [(UnsafePointer<UInt8>, String, [(UnsafePointer<UInt8>, String)])] = []
    var elements: [Element] = []

    init(wanted: [String: [String]]) { self.wanted = wanted }

    func bind(_ source: XMLEventSource) {
        names = wanted.map { element, attributes in
            (source.interned(element), element, attributes.map { (source.interned($0), $0) })
        }
    }

    func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        guard let (_, element, attrs) = names.first(where: { $0.0 == name }) else { return }
        var values: [String: String] = [:]
        for (pointer, key) in attrs {
            if let v = attributes.value(pointer) { values[key] = String(decoding: v, as: UTF8.self) }
        }
        elements.append(Element(name: element, attributes: values))
    }

    func endElement(_ name: UnsafePointer<UInt8>) {}
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// What an .xlsx says about itself: its sheets in order, where they are, the date system and date styles.
struct XLSXWorkbook {
    var sheets: [(name: String, path: String)] = []
    var date1904 = false
    /// Indices into cellXfs whose number format shows a date or time, and which.
    var dateStyles: [Int: ExcelDate.Shown] = [:]

    init(_ zip: ZipContainer) throws(IngestError) {
        let book = try XLSXWorkbook.collect(zip, "xl/workbook.xml", ["sheet": ["name", "id"], "workbookPr": ["date1904"]])
        let relsPath = "xl/_rels/workbook.xml.rels"
        let rels = try XLSXWorkbook.collect(zip, relsPath, ["Relationship": ["Id", "Target"]])
        var targets: [String: String] = [:]
        for r in rels { if let id = r.attributes["Id"], let t = r.attributes["Target"] { targets[id] = t } }
        for e in book {
            if e.name == "workbookPr" {
                date1904 = ["1", "true"].contains(e.attributes["date1904"]?.lowercased() ?? "")
            } else if let name = e.attributes["name"], let id = e.attributes["id"], let target = targets[id] {
                let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                sheets.append((name, path))
            }
        }
        if zip.has("xl/styles.xml") {
            let styles = try XLSXWorkbook.collect(zip, "xl/styles.xml", ["numFmt": ["numFmtId", "formatCode"],
                                                                         "xf": ["numFmtId"], "cellXfs": [],
                                                                         "cellStyleXfs": []])
            var custom: [Int: String] = [:]
            var inCellXfs = false
            var index = 0
            for e in styles {
                switch e.name {
                case "numFmt":
                    if let id = e.attributes["numFmtId"].flatMap(Int.init) { custom[id] = e.attributes["formatCode"] ?? "" }
                case "cellXfs": inCellXfs = true
                case "cellStyleXfs": inCellXfs = false
                case "xf" where inCellXfs:
                    let id = e.attributes["numFmtId"].flatMap(Int.init) ?? 0
                    if let shown = XLSXFormats.shown(id: id, code: custom[id]) { dateStyles[index] = shown }
                    index += 1
                default: break
                }
            }
        }
    }

    private static func collect(_ zip: ZipContainer, _ path: String,
                                _ wanted: [String: [String]]) throws(IngestError) -> [ElementCollector.Element] {
        // Small parts, read by libxml2 alone: the scanner is for the worksheets' bulk.
        let bytes = try zip.read(path)
        return try XMLDocument.read(part: "\(zip.name)/\(path)", readers: .libxml2, make: { ElementCollector(wanted: wanted) },
                                    content: XMLDocument.inMemory(bytes)).elements
    }
}

/// Excel number formats, as far as dates and times go.
public enum XLSXFormats {
    /// What a number format shows of a serial: built-in date and time formats (the CJK ones
    /// included), or a custom code read by its tokens (`y`, `d` a date; `h`, `s` a time; `m` a
    /// month unless it sits beside `h` or `s`). Nil for formats that show a plain number.
    public static func shown(id: Int, code: String?) -> ExcelDate.Shown? {
        switch id {
        case 14...17, 27...31, 34...36, 50...58: return .date
        case 18...21, 32, 33, 45...47: return .time
        case 22: return .dateTime
        default: break
        }
        guard let code else { return nil }
        var inQuote = false, inBracket = false, escaped = false
        var date = false, time = false
        var bracket = ""
        for ch in code.lowercased() {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "\"" { inQuote.toggle(); continue }
            if inQuote { continue }
            if ch == "[" { inBracket = true; bracket = ""; continue }
            if ch == "]" {
                inBracket = false
                // Elapsed time: [h]:mm, [mm]:ss.
                if let f = bracket.first, "hms".contains(f), bracket.allSatisfy({ $0 == f }) { time = true }
                continue
            }
            if inBracket { bracket.append(ch); continue }
            switch ch {
            case "y", "d": date = true
            case "h", "s": time = true
            case "m": if !time { date = true }
            default: break
            }
        }
        // `m` read as a month before an `h` was seen (`h:mm` has none; `mm:ss` does).
        if time && date && !code.lowercased().contains(where: { $0 == "y" || $0 == "d" }) { date = false }
        switch (date, time) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        default: return nil
        }
    }
}