import BulletinIngest
import BulletinTestSupport
import BulletinValidate
import Foundation
import Testing

/// Replays every file under Regressions/<target>/ (crafted cases and whatever `make fuzz` found)
/// through the reader it broke: each must be read or refused with a reason, never trap.
struct RegressionCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")

    static func files(_ target: String) -> [URL] {
        let folder = root.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

        /// Regressions/xls/ is replayed by `bulletin check`, whose workers FreeXL runs in (EndToEndTests).
    @Test(arguments: [("csv", TableFormat.csv), ("xml", .spreadsheetML), ("xlsx", .xlsx)])
    func everyRegressionFileIsReadOrRefused(_ target: String, _ format: TableFormat) throws {
        for file in Self.files(target) {
            let v = FileValidator.validate(bytes: [UInt8](try Data(contentsOf: file)), source: file.lastPathComponent,
                                           format: format, defaultYear: 2020, pseudonyms: .testing)
            #expect(!v.sheets.isEmpty || v.fileRejected, "\(file.lastPathComponent)")
        }
    }

    @Test func corruptStoreBlobsAreRefused() throws {
        let blobs = Self.files("cache")
        #expect(!blobs.isEmpty)
        for file in blobs {
            // As the fuzz target feeds them: behind a valid header, so the body decoder meets them.
            let blob = ValidatedFile.header + [UInt8](try Data(contentsOf: file))
            #expect(throws: (any Error).self) { _ = try ValidatedFile(decoding: blob, source: "x") }
            #expect(throws: (any Error).self) {
                var v = ValidatedFile(source: "x")
                try v.decodeRoster(blob)
            }
        }
    }
}
