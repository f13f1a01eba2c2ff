/// A byte-level RFC 4180 reader: quotes, doubled quotes, CRLF/LF/CR record ends,
/// newlines inside quotes. Works on UTF-8 bytes and fills a `Sheet`; no `String` per cell.
///
/// Record numbers count every record, blank ones included, as a person counting
/// rows in Excel would. A quote that opens and never closes is an error, not a
/// silent swallowing of the rest of the file.
public enum CSVReader {
    public static func read(utf8 bytes: [UInt8]) throws(IngestError) -> Sheet {
        var sheet = Sheet(name: nil)
        var record = 0
        var unterminatedAt: Int?
        bytes.withUnsafeBufferPointer { p in
            let n = p.count
            var i = 0
            var cellsInRow = 0
            let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
            func endRecord() {
                record += 1
                sheet.endRow(number: record)
                cellsInRow = 0
            }
            while i < n {
                // Start of a cell.
                if p[i] == quote {
                    let openedAt = record + 1
                    i += 1
                    var closed = false
                    while i < n {
                        let c = p[i]
                        if c == quote {
                            if i + 1 < n && p[i + 1] == quote { sheet.appendByte(quote); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        // Copy a run of ordinary bytes at once.
                        var j = i + 1
                        while j < n && p[j] != quote { j += 1 }
                        sheet.appendBytes(UnsafeBufferPointer(rebasing: p[i..<j]))
                        i = j
                    }
                    if !closed { unterminatedAt = openedAt; return }
                    // Anything between the closing quote and the delimiter is kept as typed.
                    while i < n && p[i] != comma && p[i] != cr && p[i] != lf { sheet.appendByte(p[i]); i += 1 }
                } else {
                    var j = i
                    while j < n {
                        let c = p[j]
                        if c == comma || c == cr || c == lf { break }
                        j += 1
                    }
                    if j > i { sheet.appendBytes(UnsafeBufferPointer(rebasing: p[i..<j])) }
                    i = j
                }
                sheet.endCell()
                cellsInRow += 1
                if i >= n { endRecord(); break }
                let c = p[i]
                i += 1
                if c == comma {
                    if i >= n { sheet.endCell(); endRecord() }
                    continue
                }
                if c == cr && i < n && p[i] == lf { i += 1 }
                endRecord()
            }
        }
        if let at = unterminatedAt {
            throw IngestError(.malformedCSV, "引号未闭合：从此记录开始的带引号字段直到文件末尾都没有结束", location: "record \(at)")
        }
        return sheet
    }
}
