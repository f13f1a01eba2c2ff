import Foundation

/// Writes Excel 97–2003 workbooks (.xls) as Excel and WPS save them: a BIFF8 `Workbook`
/// stream (shared strings, numbers as numbers, time and date-time cells under their
/// formats, a merged title row) in an OLE2 compound document of 512-byte sectors.
enum XLSWriter {
    /// The workbook; `password` plants the FILEPASS record of a password-protected file.
    static func workbook(_ sheets: [SheetSpec], password: Bool = false) -> [UInt8] {
        compoundDocument(stream: BIFF8.workbook(sheets, password: password))
    }

    // MARK: - Compound document

    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    private static let free: UInt32 = 0xFFFF_FFFF
    private static let fatSector: UInt32 = 0xFFFF_FFFD

    /// One stream named `Workbook` in a version-3 compound document. Streams under 4,096
    /// bytes belong in the mini stream, so the workbook is padded past that size instead.
    static func compoundDocument(stream: [UInt8]) -> [UInt8] {
        var data = stream
        if data.count < 4096 { data += [UInt8](repeating: 0, count: 4096 - data.count) }
        let dataSectors = (data.count + 511) / 512
        let fatSectors = (dataSectors + 1 + 126) / 127
        precondition(fatSectors <= 109, "sample workbooks stay under 7 MB")
        let directorySector = dataSectors
        var fat = [UInt32](repeating: free, count: fatSectors * 128)
        for s in 0..<dataSectors { fat[s] = s == dataSectors - 1 ? endOfChain : UInt32(s + 1) }
        fat[directorySector] = endOfChain
        for f in 0..<fatSectors { fat[directorySector + 1 + f] = fatSector }

        var out = Bytes()
        out.raw([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        out.raw([UInt8](repeating: 0, count: 16))
        out.u16(0x003E); out.u16(0x0003); out.u16(0xFFFE); out.u16(9); out.u16(6)
        out.raw([UInt8](repeating: 0, count: 6))
        out.u32(0); out.u32(UInt32(fatSectors)); out.u32(UInt32(directorySector)); out.u32(0)
        out.u32(4096); out.u32(endOfChain); out.u32(0); out.u32(endOfChain); out.u32(0)
        for i in 0..<109 { out.u32(i < fatSectors ? UInt32(directorySector + 1 + i) : free) }

        out.raw(data)
        out.raw([UInt8](repeating: 0, count: dataSectors * 512 - data.count))
        out.raw(directoryEntry("Root Entry", type: 5, child: 1, start: endOfChain, size: 0))
        out.raw(directoryEntry("Workbook", type: 2, child: free, start: 0, size: UInt32(data.count)))
        out.raw(directoryEntry("", type: 0, child: free, start: 0, size: 0))
        out.raw(directoryEntry("", type: 0, child: free, start: 0, size: 0))
        for entry in fat { out.u32(entry) }
        return out.bytes
    }

    private static func directoryEntry(_ name: String, type: UInt8, child: UInt32, start: UInt32, size: UInt32) -> [UInt8] {
        var e = Bytes()
        let units = Array(name.utf16)
        for u in units { e.u16(u) }
        e.raw([UInt8](repeating: 0, count: 64 - 2 * units.count))
        e.u16(name.isEmpty ? 0 : UInt16(2 * units.count + 2))
        e.raw([type, 1])
        e.u32(free); e.u32(free); e.u32(child)
        e.raw([UInt8](repeating: 0, count: 16 + 4 + 16))
        e.u32(start); e.u32(size); e.u32(0)
        return e.bytes
    }
}

/// The BIFF8 records of a workbook stream.
private enum BIFF8 {
    static func workbook(_ sheets: [SheetSpec], password: Bool) -> [UInt8] {
        var strings: [String] = []
        var stringIndex: [String: Int] = [:]
        var sheetStreams: [[UInt8]] = []
        for sheet in sheets {
            sheetStreams.append(worksheet(sheet) { s in
                if let i = stringIndex[s] { return i }
                strings.append(s)
                stringIndex[s] = strings.count - 1
                return strings.count - 1
            })
        }
        var globals = Bytes()
        globals.record(0x0809, bof(kind: 0x0005))
        if password {
            // FILEPASS, RC4 encryption header: the file cannot be read without its password.
            var filePass = Bytes()
            filePass.u16(1); filePass.u16(1); filePass.u16(1)
            filePass.raw([UInt8](repeating: 0xA5, count: 48))
            globals.record(0x002F, filePass.bytes)
        }
        globals.record(0x0042, le16(1200))          // CODEPAGE: UTF-16
        globals.record(0x0022, le16(0))             // DATEMODE: 1900
        for (id, code) in [(164, "[h]:mm"), (165, "yyyy\\-mm\\-dd\\ hh:mm")] {
            var format = Bytes()
            format.u16(UInt16(id))
            format.string16(code)
            globals.record(0x041E, format.bytes)
        }
        // 15 style XFs, then the cell XFs of XLSXWriter's styles 0…7, at 15…22.
        for _ in 0..<15 { globals.record(0x00E0, xf(format: 0, style: true)) }
        for format in [0, 14, 20, 21, 46, 164, 22, 165] { globals.record(0x00E0, xf(format: UInt16(format), style: false)) }
        var boundSheetOffsets: [Int] = []
        for sheet in sheets {
            boundSheetOffsets.append(globals.count + 4)
            var entry = Bytes()
            entry.u32(0)
            entry.raw([0, 0])
            let name = Array(sheet.name.utf16)
            entry.raw([UInt8(name.count), 1])
            for u in name { entry.u16(u) }
            globals.record(0x0085, entry.bytes)
        }
        sst(strings, into: &globals)
        globals.record(0x000A, [])

        var stream = globals.bytes
        for (k, sheetStream) in sheetStreams.enumerated() {
            let offset = UInt32(stream.count)
            for b in 0..<4 { stream[boundSheetOffsets[k] + b] = UInt8(truncatingIfNeeded: offset >> (8 * UInt32(b))) }
            stream += sheetStream
        }
        return stream
    }

    static func worksheet(_ sheet: SheetSpec, shared: (String) -> Int) -> [UInt8] {
        var s = Bytes()
        s.record(0x0809, bof(kind: 0x0010))
        let rows = sheet.allRows
        var dimensions = Bytes()
        dimensions.u32(0); dimensions.u32(UInt32(rows.count))
        dimensions.u16(0); dimensions.u16(UInt16(rows.map(\.count).max() ?? 0)); dimensions.u16(0)
        s.record(0x0200, dimensions.bytes)
        let firstData = sheet.titleRows.count + 1
        for (r, row) in rows.enumerated() {
            let typed = sheet.workbookCells[r - firstData] ?? [:]
            for (c, cell) in row.enumerated() where !cell.isEmpty {
                var record = Bytes()
                record.u16(UInt16(r)); record.u16(UInt16(c))
                if let t = typed[c] {
                    let style: Int
                    if case .time = t { style = 2 + r % 4 } else { style = 6 + r % 2 }
                    record.u16(UInt16(15 + style)); record.f64(t.serial)
                    s.record(0x0203, record.bytes)
                } else if let v = Int(cell), cell.count < 10, !cell.hasPrefix("0") || cell == "0" {
                    record.u16(15); record.f64(Double(v))
                    s.record(0x0203, record.bytes)
                } else {
                    record.u16(15); record.u32(UInt32(shared(cell)))
                    s.record(0x00FD, record.bytes)
                }
            }
        }
        if !sheet.titleRows.isEmpty {
            var merge = Bytes()
            merge.u16(1); merge.u16(0); merge.u16(0); merge.u16(0); merge.u16(UInt16(max(0, sheet.header.count - 1)))
            s.record(0x00E5, merge.bytes)
        }
        s.record(0x000A, [])
        return s.bytes
    }

    /// The shared string table, continued in CONTINUE records at string boundaries.
    static func sst(_ strings: [String], into out: inout Bytes) {
        var chunks: [[UInt8]] = []
        var current = Bytes()
        current.u32(UInt32(strings.count)); current.u32(UInt32(strings.count))
        for text in strings {
            var one = Bytes()
            one.string16(text)
            if current.count + one.count > 8224 {
                chunks.append(current.bytes)
                current = Bytes()
            }
            current.raw(one.bytes)
        }
        chunks.append(current.bytes)
        for (i, chunk) in chunks.enumerated() { out.record(i == 0 ? 0x00FC : 0x003C, chunk) }
    }

    static func bof(kind: UInt16) -> [UInt8] {
        var b = Bytes()
        b.u16(0x0600); b.u16(kind); b.u16(0x0DBB); b.u16(0x07CC); b.u32(0x0001_00C1); b.u32(0x0000_0406)
        return b.bytes
    }

    static func xf(format: UInt16, style: Bool) -> [UInt8] {
        var b = Bytes()
        b.u16(0); b.u16(format); b.u16(style ? 0xFFF5 : 0x0001)
        b.raw([0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xC0, 0x20])
        return b.bytes
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
}

/// A little-endian byte builder.
private struct Bytes {
    private(set) var bytes: [UInt8] = []
    var count: Int { bytes.count }

    mutating func raw(_ b: [UInt8]) { bytes += b }
    mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    mutating func f64(_ v: Double) {
        let bits = v.bitPattern
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
    }
    /// An XLUnicodeString stored as UTF-16 (length in code units, then the high-byte flag).
    mutating func string16(_ s: String) {
        let units = Array(s.utf16)
        u16(UInt16(units.count))
        bytes.append(1)
        for u in units { u16(u) }
    }
    mutating func record(_ type: UInt16, _ data: [UInt8]) {
        u16(type); u16(UInt16(data.count)); raw(data)
    }
}
