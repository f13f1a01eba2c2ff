import Foundation

/// The kinds of file the landing folder may hold.
public enum TableFormat: String, Sendable, Codable {
    case csv
    case spreadsheetML = "xml"
    case xlsx

    /// The format of a file name by its extension, or nil for files the pipeline does not read.
    public init?(fileName: String) {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "csv", "txt": self = .csv
        case "xml": self = .spreadsheetML
        case "xlsx": self = .xlsx
        default: return nil
        }
    }
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

    /// Reads a file's bytes as `format`.
    public static func read(_ bytes: [UInt8], format: TableFormat) throws(IngestError) -> TableFile {
        switch format {
        case .csv:
            let (utf8, encoding) = try TextEncoding.decodeToUTF8(bytes)
            return TableFile(format: .csv, sheets: [try CSVReader.read(utf8: utf8)], encoding: encoding)
        case .spreadsheetML:
            return TableFile(format: .spreadsheetML, sheets: try SpreadsheetMLReader.read(bytes))
        case .xlsx:
            return TableFile(format: .xlsx, sheets: try XLSXReader.read(bytes))
        }
    }
}
