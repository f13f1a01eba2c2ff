import BulletinIngest
import BulletinValidate
import Foundation

/// The reader `FUZZ_TARGET` names: `csv` (encoding detection, CSV and validation), `xml`
/// (SpreadsheetML), `xlsx`, or `cache` (the store's decoder).
enum FuzzTarget: String {
    case csv, xml, xlsx, cache

    static let chosen = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "csv") ?? .csv

    func run(_ bytes: [UInt8]) {
        switch self {
        case .csv: _ = FileValidator.validate(bytes: bytes, source: "fuzz.csv", format: .csv, defaultYear: 2020, pseudonyms: .testing)
        case .xml: _ = FileValidator.validate(bytes: bytes, source: "fuzz.xml", format: .spreadsheetML, defaultYear: 2020, pseudonyms: .testing)
        case .xlsx: _ = FileValidator.validate(bytes: bytes, source: "fuzz.xlsx", format: .xlsx, defaultYear: 2020, pseudonyms: .testing)
        case .cache:
            if var v = try? ValidatedFile(decoding: bytes, source: "fuzz") { try? v.decodeRoster(bytes) }
        }
    }
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
