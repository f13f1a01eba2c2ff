import Foundation

/// The kinds of file the landing folder may hold.
public enum TableFormat: String, Sendable, Codable {
    case csv
    case spreadsheetML = "xml"
    case xlsx
    /// Excel 97–2003 (BIFF in a compound document), read through FreeXL.
    case xls

    /// The format of a file name by its extension, or nil for files the pipeline does not read.
    public init?(fileName: String) {
        var name = fileName
        guard let format = name.withUTF8({ TableFormat.named(byExtensionOf: $0) }) else { return nil }
        self = format
    }

    /// The format the extension of `path` names (`csv` and `txt`, `xml`, `xlsx`, `xls`, in any case),
    /// compared where it lies: a String made and compared per landing file was a tenth of listing a landing.
    private static func named(byExtensionOf path: UnsafeBufferPointer<UInt8>) -> TableFormat? {
        let ext = path[extensionRange(path)]
        func spells(_ lower: StaticString) -> Bool {
            let name = UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
            return ext.count == name.count && zip(ext, name).allSatisfy { lowercased($0) == $1 }
        }
        if spells("csv") || spells("txt") { return .csv }
        if spells("xml") { return .spreadsheetML }
        if spells("xlsx") { return .xlsx }
        if spells("xls") { return .xls }
        return nil
    }

    /// The extension of the path's last component, ASCII lower-cased, as `NSString.pathExtension`
    /// finds it (trailing slashes ignored; none for `.csv` or `a.`), on bytes: the NSString bridge
    /// per landing file was a tenth of a night's start.
    @_spi(Testing) public static func pathExtension(_ path: String) -> String {
        var path = path
        return path.withUTF8 { b in String(decoding: b[extensionRange(b)].map(lowercased), as: UTF8.self) }
    }

    /// Where `pathExtension` lies in the bytes of a path.
    private static func extensionRange(_ b: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var end = b.count
        while end > 0, b[end - 1] == UInt8(ascii: "/") { end -= 1 }
        let start = b[..<end].lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        guard let dot = b[start..<end].lastIndex(of: UInt8(ascii: ".")), dot > start else { return end..<end }
        return (dot + 1)..<end
    }

    private static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
}

/// A file read into sheets of text cells, whatever its format.
public struct TableFile: Sendable {
    public var format: TableFormat
    public var sheets: [Sheet]
    /// The text encoding, for CSV.
    public var encoding: TextEncoding?

    public init(format: TableFormat, sheets: [Sheet], encoding: TextEncoding? = nil) {
        self.format = format
        self.sheets = sheets
        self.encoding = encoding
    }

    /// Reads a file's bytes as `format`. Workbooks are read by what they hold, not by their
    /// name: an .xls saved under .xlsx (or the reverse) and an XML Spreadsheet named .xls
    /// (as many web systems export) are read as what they are.
    public static func read(_ bytes: [UInt8], format: TableFormat) throws(IngestError) -> TableFile {
        switch format == .xlsx || format == .xls ? workbookContent(bytes, named: format) : format {
        case .csv:
            let (utf8, encoding) = try TextEncoding.decodeToUTF8(bytes)
            return TableFile(format: .csv, sheets: [try CSVReader.read(utf8: utf8)], encoding: encoding)
        case .spreadsheetML:
            return TableFile(format: .spreadsheetML, sheets: try SpreadsheetMLReader.read(bytes))
        case .xlsx:
            return TableFile(format: .xlsx, sheets: try XLSXReader.read(bytes))
        case .xls:
            return TableFile(format: .xls, sheets: try XLSReader.read(bytes))
        }
    }

    /// The workbook format `bytes` really are, by their first bytes.
    static func workbookContent(_ bytes: [UInt8], named: TableFormat) -> TableFormat {
        if CompoundDocument.isCompoundDocument(bytes) { return .xls }
        if bytes.starts(with: [0x50, 0x4B]) { return .xlsx }
        let start = bytes.prefix(512).drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if start.starts(with: Array("<?xml".utf8)) || start.starts(with: Array("<Workbook".utf8)) { return .spreadsheetML }
        return named
    }
}
