import BulletinCore
import Foundation
private import CFreeXL

/// Reads Excel 97–2003 workbooks (.xls, BIFF5/BIFF8 in a compound document) through FreeXL.
///
/// FreeXL opens files by path, so the bytes are handed over as an anonymous memory file
/// (`/proc/self/fd/N`), falling back to a private temporary file that is removed at once.
/// Cells come back typed: numbers are written as Excel shows them in General format, date
/// and time cells (recognised by FreeXL from the cell's format) as `YYYY-MM-DD`,
/// `HH:MM:SS` or `YYYY-MM-DD HH:MM:SS`, the same text the .xlsx reader gives.
public enum XLSReader {
    /// Reads every worksheet of an Excel 97–2003 workbook through FreeXL (run it in a parse worker: FreeXL may fault on a crafted file).
    public static func read(_ bytes: [UInt8], name: String = "xls") throws(IngestError) -> [Sheet] {
        guard CompoundDocument.isCompoundDocument(bytes) else {
            let first = bytes.prefix(1024).first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
            if first == UInt8(ascii: "<") {
                throw IngestError(.unsupported, "\(name)：这是网页（HTML）格式的表格，扩展名却是.xls；请在Excel或WPS中打开后另存为.xlsx再报送 / HTML saved as .xls")
            }
            throw IngestError(.malformedXML, "\(name)：不是有效的Excel 97–2003（.xls）文件（文件头不对，可能已损坏或被截断）；请重新保存后报送")
        }
        if CompoundDocument.isEncryptedOOXML(bytes) {
            throw IngestError(.unsupported, "\(name)：工作簿设有打开密码（已加密），无法读取；请取消密码后重新保存再报送 / workbook is password-protected")
        }
        let file = try HandedFile(bytes, name: name)
        defer { file.close() }
        var handle: UnsafeRawPointer?
        let opened = freexl_open(file.path, &handle)
        defer { if let handle { freexl_close(handle) } }
        guard opened == FREEXL_OK, let handle else { throw openError(opened, name: name) }

        var info: UInt32 = 0
        if freexl_get_info(handle, UInt16(FREEXL_BIFF_PASSWORD), &info) == FREEXL_OK, info == UInt32(FREEXL_BIFF_OBFUSCATED) {
            throw IngestError(.unsupported, "\(name)：工作簿设有密码保护，无法读取；请取消密码后重新保存再报送 / workbook is password-protected")
        }
        guard freexl_get_info(handle, UInt16(FREEXL_BIFF_SHEET_COUNT), &info) == FREEXL_OK else {
            throw IngestError(.malformedXML, "\(name)：读不出工作表列表，文件已损坏 / cannot list worksheets")
        }
        guard info <= UInt32(SheetLimits.maxSheets) else {
            throw IngestError(.tooLarge, "\(name)：工作表超过\(SheetLimits.maxSheets)个，已拒绝")
        }
        var cellsLeft = SheetLimits.cellBudget(fileBytes: bytes.count)
        var sheets: [Sheet] = []
        for index in 0..<UInt16(info) {
            sheets.append(try readSheet(handle, index: index, file: name, cellsLeft: &cellsLeft))
        }
        return sheets
    }

    private static func readSheet(_ handle: UnsafeRawPointer, index: UInt16, file: String,
                                  cellsLeft: inout Int) throws(IngestError) -> Sheet {
        var namePointer: UnsafePointer<CChar>?
        guard freexl_get_worksheet_name(handle, index, &namePointer) == FREEXL_OK,
              freexl_select_active_worksheet(handle, index) == FREEXL_OK else {
            throw IngestError(.malformedXML, "\(file)：第\(index + 1)个工作表读不出，文件已损坏 / worksheet \(index + 1) unreadable")
        }
        let sheetName = namePointer.map { String(cString: $0) } ?? "Sheet\(index + 1)"
        let part = "\(file)/\(sheetName)"
        var rows: UInt32 = 0
        var columns: UInt16 = 0
        guard freexl_worksheet_dimensions(handle, &rows, &columns) == FREEXL_OK else {
            throw IngestError(.malformedXML, "\(part)：读不出工作表的大小，文件已损坏 / no dimensions")
        }
        guard Int(rows) <= SheetLimits.maxRows else { throw SheetLimits.tooManyRows(part, row: Int(rows)) }
        guard Int(rows) * Int(columns) <= cellsLeft else { throw SheetLimits.tooManyCells(part, row: Int(rows)) }
        cellsLeft -= Int(rows) * Int(columns)

        var grid: [[String]] = []
        var lastFilledRow = -1
        for r in 0..<rows {
            var row: [String] = []
            var lastFilled = -1
            for c in 0..<columns {
                var value = FreeXL_CellValue()
                guard freexl_get_cell_value(handle, r, c, &value) == FREEXL_OK else {
                    throw IngestError(.malformedXML, "\(part)：第\(r + 1)行第\(c + 1)列的单元格读不出，文件已损坏",
                                      location: .row(Int(r) + 1))
                }
                let text = cellText(value)
                if !text.isEmpty { lastFilled = Int(c) }
                row.append(text)
            }
            row.removeLast(row.count - (lastFilled + 1))
            if lastFilled >= 0 { lastFilledRow = Int(r) }
            grid.append(row)
        }
        let sheet = SheetBuilder()
        for (r, row) in grid.prefix(lastFilledRow + 1).enumerated() {
            for cell in row { sheet.appendCell(cell) }
            sheet.endRow(number: r + 1)
        }
        return sheet.sheet(name: sheetName)
    }

    /// A cell's text, as the .xlsx reader would give the same cell.
    private static func cellText(_ value: FreeXL_CellValue) -> String {
        switch Int32(value.type) {
        case FREEXL_CELL_INT: return String(value.value.int_value)
        case FREEXL_CELL_DOUBLE: return GeneralNumber.text(value.value.double_value)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_DATE:
            return value.value.text_value.map { String(cString: $0) } ?? ""
        case FREEXL_CELL_TIME:
            let text = value.value.text_value.map { String(cString: $0) } ?? ""
            return TimeOfDay(text: text)?.description ?? text
        case FREEXL_CELL_DATETIME:
            let text = value.value.text_value.map { String(cString: $0) } ?? ""
            // Day zero of the 1900 system (a time typed under a date-time format) reads as the time alone.
            for dayZero in ["1899-12-30 ", "1899-12-31 ", "1900-01-00 "] where text.hasPrefix(dayZero) {
                return String(text.dropFirst(dayZero.count))
            }
            return text
        default: return ""
        }
    }

    private static func openError(_ code: Int32, name: String) -> IngestError {
        switch code {
        case FREEXL_INSUFFICIENT_MEMORY:
            return IngestError(.tooLarge, "\(name)：工作簿声明的大小超出可用内存，已拒绝 / workbook too large")
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
            return IngestError(.unsupported, "\(name)：这是复合文档，但其中没有Excel工作簿（可能是Word文件或加密的工作簿）；请另存为.xlsx后报送")
        case FREEXL_UNSUPPORTED_CHARSET, FREEXL_INVALID_CHARACTER:
            return IngestError(.undecodable, "\(name)：工作簿的字符集无法识别；请用Excel或WPS另存为.xlsx后报送 / unsupported charset")
        default:
            return IngestError(.malformedXML, "\(name)：不是有效的Excel 97–2003（.xls）文件或文件已损坏（FreeXL错误\(code)）；请重新保存后报送",
                               code: Int(code))
        }
    }
}

/// Text of a number as Excel's General format shows it for the values schools type:
/// whole numbers without a decimal point, others in the shortest form that reads back.
enum GeneralNumber {
    static func text(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// An OLE2 compound document, the container of .xls files and of encrypted .xlsx files.
enum CompoundDocument {
    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    static func isCompoundDocument(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    /// Office encrypts an .xlsx into a compound document with an `EncryptedPackage` stream.
    static func isEncryptedOOXML(_ bytes: [UInt8]) -> Bool {
        guard isCompoundDocument(bytes) else { return false }
        let needle = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        return bytes.withUnsafeBufferPointer { b in
            guard b.count >= needle.count else { return false }
            var i = 0
            while i <= b.count - needle.count {
                if b[i] == needle[0], memcmp(b.baseAddress! + i, needle, needle.count) == 0 { return true }
                i += 1
            }
            return false
        }
    }
}

/// The bytes of a file as a path FreeXL can open, for as long as the reader needs it.
private struct HandedFile {
    let path: String
    private let descriptor: Int32
    private let temporary: String?

    init(_ bytes: [UInt8], name: String) throws(IngestError) {
        var fd = bulletin_memory_file()
        var temporary: String?
        if fd < 0 {
            let template = NSTemporaryDirectory() + "bulletin-xls-XXXXXX"
            var chars = Array(template.utf8CString)
            fd = mkstemp(&chars)
            temporary = chars.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
        guard fd >= 0 else { throw IngestError(.unsupported, "\(name)：无法为读取.xls准备临时文件 / cannot stage the file") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else {
                Foundation.close(fd)
                if let temporary { unlink(temporary) }
                throw IngestError(.unsupported, "\(name)：无法为读取.xls准备临时文件 / cannot stage the file")
            }
            written += n
        }
        descriptor = fd
        self.temporary = temporary
        path = temporary ?? "/proc/self/fd/\(fd)"
    }

    func close() {
        Foundation.close(descriptor)
        if let temporary { unlink(temporary) }
    }
}
