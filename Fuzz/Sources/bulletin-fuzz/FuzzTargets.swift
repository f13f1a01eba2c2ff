@_spi(Testing) import BulletinIngest
import BulletinCore
import BulletinValidate
import Foundation

/// The reader `FUZZ_TARGET` names: `csv` (encoding detection, CSV and validation), `xml`
/// (SpreadsheetML), `xlsx`, `xls` (Excel 97–2003 through FreeXL), `cache` (the store's decoder, each input behind a
/// valid header), or `xmldiff` (SpreadsheetML read through the fast scanner and through libxml2 alone: any difference
/// in sheets or errors is a finding).
enum FuzzTarget: String {
    case csv, xml, xlsx, xls, cache, xmldiff

    static let chosen = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "csv") ?? .csv

    func run(_ bytes: [UInt8]) {
        switch self {
        case .csv:
            validateTwice(bytes, .csv)
            tokenizeBothWays(bytes)
        case .xml: validateTwice(bytes, .spreadsheetML)
        case .xlsx: validateTwice(bytes, .xlsx)
        case .xls: readInAWorker(bytes)
        case .xmldiff:
            if sheetsOrError(bytes, .scannerFirst) != sheetsOrError(bytes, .libxml2) { abort() }
        case .cache:
            // Behind the current header, so the fuzzer explores the body rather than the magic.
            let blob = ValidatedFile.header + bytes
            if var v = try? ValidatedFile(decoding: blob, source: "fuzz") { try? v.decodeRoster(blob) }
            // And as a night reads it, passing over the dated sections no date asks for.
            _ = try? ValidatedFile(decoding: blob, source: "fuzz", keeping: .init(dailyReports: [], careAndDuty: []))
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

/// What SpreadsheetML reading through `readers` made of `bytes`: every sheet's name, row numbers and cells, or the error.
private func sheetsOrError(_ bytes: [UInt8], _ readers: XMLReaders) -> String {
    do {
        return try SpreadsheetMLReader.read(bytes, part: "fuzz.xml", readers: readers).map { sheet in
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
