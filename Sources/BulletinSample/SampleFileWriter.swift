import BulletinCore
import BulletinIngest
import Foundation

/// Writes the generator's sheets in the formats schools send.
enum SampleFileWriter {
    /// The file's bytes; CSV holds the first sheet only.
    static func bytes(_ sheets: [SheetSpec], format: TableFormat, encoding: Int) -> [UInt8] {
        switch format {
        case .csv: return csv(sheets[0], encoding: encoding)
        case .spreadsheetML: return Array(SpreadsheetMLWriter.document(sheets).utf8)
        case .xlsx: return XLSXWriter.workbook(sheets)
        case .xls: return XLSWriter.workbook(sheets)
        }
    }

    static func csv(_ sheet: SheetSpec, encoding: Int) -> [UInt8] {
        var text = ""
        for row in sheet.allRows {
            text += row.map(csvCell).joined(separator: ",")
            text += "\r\n"
        }
        let utf8 = Array(text.utf8)
        switch encoding {
        case 1: return [0xEF, 0xBB, 0xBF] + utf8
        case 2: return (try? TextEncoding.encode(utf8, to: "GB18030")) ?? utf8
        default: return utf8
        }
    }

    static func csvCell(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func write(_ bytes: [UInt8], to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }
}
