import BulletinPipeline
import BulletinTestSupport
import BulletinValidate
import Foundation
import Testing

/// `IngestedFile.ingestAll` reads the largest files first, yet each result stays in its file's place
/// and is what reading that file alone gives: on a generated landing in every format, with files from
/// a few hundred bytes to whole rosters.
struct IngestOrderTests {
    @Test func eachResultStaysInItsFilesPlaceWhateverTheOrderOfReading() throws {
        let root = try sampleDistrict("ingest-order", days: 2, seed: 11, formats: [.csv, .spreadsheetML, .xlsx, .xls]).landing
        let landing = try Landing(root: root.path)
        let files = landing.days.values.flatMap { $0 } + landing.registries.values.flatMap { $0 }
        let sizes = try files.map { try #require(FileManager.default.attributesOfItem(atPath: root.appendingPathComponent($0.relativePath).path)[.size] as? Int) }
        // The listing is not by size, and more than one batch of files (sixteen) is read.
        #expect(sizes != sizes.sorted(by: >) && files.count > 64)
        #expect(sizes.max()! > 20 * sizes.min()!)

        let reading = IngestedFile.Reading(pseudonyms: .testing)
        let together = try IngestedFile.ingestAll(files, root: landing.root, reading: reading)
        let alone = files.map { IngestedFile.ingest($0, root: landing.root, reading: reading) }
        #expect(together.map(\.file.relativePath) == files.map(\.relativePath))
        #expect(together.map(\.bytes) == sizes)
        #expect(together.map(\.sha256) == alone.map(\.sha256))
        #expect(together.map { $0.validated.encoded() + $0.validated.encodedRoster() }
                == alone.map { $0.validated.encoded() + $0.validated.encodedRoster() })
    }
}
