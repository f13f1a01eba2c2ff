@_spi(Testing) import BulletinIngest
import BulletinCore
import BulletinValidate
import Foundation
import ZIPFoundation

/// The reader `FUZZ_TARGET` names: `csv` (encoding detection, the UTF-8 check both ways, CSV and validation), `xml`
/// (SpreadsheetML), `xlsx`, `xls` (Excel 97–2003 through FreeXL), `cache` (the store's decoder, each input behind a
/// valid header), `xmldiff` (SpreadsheetML read through the fast scanner and through libxml2 alone: any difference
/// in sheets or errors is a finding), or `xlsxdiff` (the same for an .xlsx's worksheet or shared strings, the
/// input being that part: the scanner with its whole rows and strings, with events alone, and libxml2).
enum FuzzTarget: String {
    case csv, xml, xlsx, xls, cache, xmldiff, xlsxdiff

    static let chosen = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "csv") ?? .csv

    func run(_ bytes: [UInt8]) {
        switch self {
        case .csv:
            validateTwice(bytes, .csv)
            tokenizeBothWays(bytes)
            // The UTF-8 check by blocks finds the first bad byte where the byte-by-byte check does.
            if TextEncoding.firstInvalidUTF8(bytes) != TextEncoding.firstInvalidUTF8Bytewise(bytes) { abort() }
        case .xml: validateTwice(bytes, .spreadsheetML)
        case .xlsx: validateTwice(bytes, .xlsx)
        case .xls: readInAWorker(bytes)
        case .xmldiff:
            if sheetsOrError(bytes, .scannerFirst) != sheetsOrError(bytes, .libxml2) { abort() }
        case .xlsxdiff:
            let book = workbook(around: bytes)
            let whole = sheetsOrError(book, .scannerFirst, read: XLSXReader.read(_:name:readers:))
            if whole != sheetsOrError(book, .scannerEvents, read: XLSXReader.read(_:name:readers:))
                || whole != sheetsOrError(book, .libxml2, read: XLSXReader.read(_:name:readers:)) { abort() }
        case .cache:
            // Behind the current header, so the fuzzer explores the body rather than the magic.
            let blob = ValidatedFile.header + bytes
            // In memory of exactly the blob's size, as the store lends its rows: AddressSanitizer then catches
            // a read past the end (an array's spare capacity would hide it).
            let exact = UnsafeMutableRawBufferPointer.allocate(byteCount: blob.count, alignment: 1)
            defer { exact.deallocate() }
            exact.copyBytes(from: blob)
            let lent = UnsafeRawBufferPointer(exact)
            if var v = try? ValidatedFile(decoding: lent, source: "fuzz") { try? v.decodeRoster(lent) }
            // And as a night reads it, passing over the dated sections no date asks for.
            _ = try? ValidatedFile(decoding: lent, source: "fuzz", keeping: .init(dailyReports: [], careAndDuty: []))
        }
    }
}

/// Validates `bytes` whole, then again knowing a newer snapshot of every institution its rows name: a
/// file read then for its snapshots alone must name the snapshots, and count the rows, that the whole
/// reading does (a run without a store judges it by them); any difference is a finding.
private func validateTwice(_ bytes: [UInt8], _ format: TableFormat) {
    guard let table = try? TableFile.read(bytes, format: format) else {
        _ = FileValidator.validate(bytes: bytes, source: "fuzz", format: format, defaultYear: 2020, pseudonyms: .testing)
        return
    }
    let whole = FileValidator.validate(table, source: "fuzz", defaultYear: 2020, pseudonyms: .testing)
    let newer = Dictionary((whole.rowSnapshots ?? []).map { ($0.code, $0.asOf.adding(days: 1)) }, uniquingKeysWith: max)
    let keys = FileValidator.validate(table, source: "fuzz", defaultYear: 2020, pseudonyms: .testing, supersededBy: newer)
    guard let untyped = keys.untypedRosterKeys else {
        if whole.isSuperseded(byNewest: newer) { abort() }   // the whole reading says it is superseded
        return
    }
    let counts = { (v: ValidatedFile) in v.sheets.map { [$0.rowsRead, $0.skipped] } }
    if untyped != whole.rowSnapshots || counts(keys) != counts(whole) || keys.warnings != whole.warnings { abort() }
}

/// A file without a quote is tokenized from its separator masks, one with a quote byte by byte: read
/// alone, and with a quoted record after it (down the other path), it must give the same rows before
/// that record, or the same error; any difference is a finding.
private func tokenizeBothWays(_ bytes: [UInt8]) {
    guard !bytes.contains(0x22) else { return }
    func outcome(_ file: [UInt8]) -> (rows: [[String]], error: String?) {
        do {
            return (try CSVReader.read(utf8: file).withRows { rows in
                (0..<rows.count).map { r in (0..<rows[r].count).map { c in rows[r].withCell(c) { String(decoding: $0, as: UTF8.self) } } }
            }, nil)
        } catch {
            return ([], "\(error.kind) \(error.message) \(String(describing: error.location))")
        }
    }
    let ends = bytes.last.map { $0 == 0x0A || $0 == 0x0D } ?? true
    let alone = outcome(bytes), quoted = outcome(bytes + Array((ends ? "\"x\"" : "\n\"x\"").utf8))
    if alone.error != quoted.error || (alone.error == nil && quoted.rows != alone.rows + [["x"]]) { abort() }
}

/// What reading `bytes` through `readers` made of them (SpreadsheetML unless `read` says otherwise): every sheet's
/// name, row numbers and cells, or the error.
private func sheetsOrError(_ bytes: [UInt8], _ readers: XMLReaders,
                           read: ([UInt8], String, XMLReaders) throws(IngestError) -> [Sheet] = SpreadsheetMLReader.read(_:part:readers:)) -> String {
    do {
        return try read(bytes, "fuzz", readers).map { sheet in
            sheet.withRows { rows in
                "\(sheet.name ?? "-") \(sheet.rowNumbers) " + (0..<rows.count).map { r in
                    (0..<rows[r].count).map { c in rows[r].withCell(c) { String(decoding: $0, as: UTF8.self) } }.joined(separator: "|")
                }.joined(separator: "\n")
            }
        }.joined(separator: "\n\n")
    } catch {
        return "\(error.kind) \(error.message) \(error.location.map { "\($0)" } ?? "") \(error.code ?? 0)"
    }
}

/// A stored .xlsx whose shared strings are `part` when it holds an `<si`, its worksheet otherwise (the other part
/// a small plain one).
private func workbook(around part: [UInt8]) -> [UInt8] {
    let strings = part.indices.contains { part[$0...].starts(with: Array("<si".utf8)) }
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let parts: [(String, [UInt8])] = [
        ("xl/workbook.xml", Array("<workbook xmlns=\"\(main)\" xmlns:r=\"urn:r\"><sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"r1\"/></sheets></workbook>".utf8)),
        ("xl/_rels/workbook.xml.rels", Array("<Relationships xmlns=\"urn:rels\"><Relationship Id=\"r1\" Type=\"x\" Target=\"worksheets/sheet1.xml\"/></Relationships>".utf8)),
        ("xl/worksheets/sheet1.xml", strings ? Array("<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>".utf8) : part),
        ("xl/sharedStrings.xml", strings ? part : Array("<sst xmlns=\"\(main)\"><si><t>甲</t></si><si><t xml:space=\"preserve\"> 乙 </t></si></sst>".utf8)),
    ]
    guard let archive = try? Archive(data: Data(), accessMode: .create) else { return [] }
    for (path, bytes) in parts {
        let data = Data(bytes)
        try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) {
            data.subdata(in: Int($0)..<Int($0) + $1)
        }
    }
    return archive.data.map { [UInt8]($0) } ?? []
}

/// FreeXL runs only in bulletin's parse workers, where a fault costs the one file. The target does
/// the same: each input is read in a forked child, whose SIGSEGV/SIGBUS (FreeXL faulting on a crafted
/// file, rejected as unreadable in production) is contained; anything else — an
/// AddressSanitizer report or a trap in bulletin's own code, a hang — is a finding.
private func readInAWorker(_ bytes: [UInt8]) {
    let pid = fork()
    if pid == 0 {
        signal(SIGSEGV, SIG_DFL)
        signal(SIGBUS, SIG_DFL)
        _ = FileValidator.validate(bytes: bytes, source: "fuzz.xls", format: .xls, defaultYear: 2020, pseudonyms: .testing)
        _exit(0)
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let signal = status & 0x7F, exitCode = (status >> 8) & 0xFF
    let contained = signal == SIGSEGV || signal == SIGBUS
    if !contained && (signal != 0 || exitCode != 0) { abort() }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.chosen.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`; libFuzzer's driver runs from it.
@_cdecl("bulletin_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOne)
}
