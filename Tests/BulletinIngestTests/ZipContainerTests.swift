@testable import BulletinIngest
import BulletinTestSupport
import Foundation
import Testing

/// Where the record with signature `signature` (a local header, 0x04034B50, or a directory record,
/// 0x02014B50) of member `path` starts in `zip`; its name is at `nameAt` bytes into it.
private func record(_ signature: UInt32, of path: String, in zip: [UInt8]) -> Int? {
    let name = Array(path.utf8), nameAt = signature == 0x0403_4B50 ? 30 : 46
    return zip.indices.dropLast(nameAt + name.count).first { i in
        zip[i] == UInt8(signature & 0xFF) && zip[i + 1] == UInt8(signature >> 8 & 0xFF) && zip[i + 2] == UInt8(signature >> 16 & 0xFF)
            && zip[i + 3] == UInt8(signature >> 24) && zip[(i + nameAt)..<(i + nameAt + name.count)].elementsEqual(name)
    }
}

/// Writes `value` as four little-endian bytes at `offset`.
private func put(_ value: Int, at offset: Int, in zip: inout [UInt8]) {
    for k in 0..<4 { zip[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
}

private func read(_ zip: [UInt8], _ path: String, wholeUpTo: Int) -> Result<[UInt8], IngestError> {
    Result { () throws(IngestError) in try ZipContainer(zip, name: "book.xlsx", inflatingWholeUpTo: wholeUpTo).read(path) }
}

struct ZipContainerTests {
    /// Every member of the sample generator's workbooks reads the same inflated whole and streamed.
    @Test func everyGeneratedMemberInflatesWholeAsItStreams() throws {
        let district = try sampleDistrict("zip-members", days: 1, seed: 3, formats: [.xlsx])
        let books = (FileManager.default.enumerator(atPath: district.landing.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".xlsx") }
        #expect(books.count > 5)
        let parts = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"]
        var members = 0
        for book in books {
            let zip = [UInt8](try Data(contentsOf: district.landing.appendingPathComponent(book)))
            for part in parts where try ZipContainer(zip, name: book).has(part) {
                let whole = try read(zip, part, wholeUpTo: ZipContainer.wholeMemberBytes).get()
                let streamed = try read(zip, part, wholeUpTo: 0).get()
                #expect(!whole.isEmpty && whole == streamed, "\(book) \(part)")
                members += 1
            }
        }
        #expect(members == parts.count * books.count)
    }

    /// A member that inflates to more than its directory declares is a zip bomb, read whole or streamed.
    @Test func aMemberLargerThanDeclaredIsRefusedEitherWay() throws {
        let sheet = (1...400).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        var zip = try xlsx(basicParts(sheet: sheet))
        let path = "xl/worksheets/data.xml"
        let local = try #require(record(0x0403_4B50, of: path, in: zip)), entry = try #require(record(0x0201_4B50, of: path, in: zip))
        put(1000, at: local + 22, in: &zip)
        put(1000, at: entry + 24, in: &zip)
        for wholeUpTo in [ZipContainer.wholeMemberBytes, 0] {
            guard case .failure(let error) = read(zip, path, wholeUpTo: wholeUpTo) else { Issue.record("read \(wholeUpTo)"); continue }
            #expect(error.kind == .unsafe && error.message.contains("超过声明的大小"), "\(wholeUpTo)")
        }
    }

    /// Deflated data that are not DEFLATE (a reserved block type) are a damaged file, named as such.
    @Test func damagedDeflateDataAreRefused() throws {
        var zip = try xlsx(basicParts(sheet: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"))
        let path = "xl/worksheets/data.xml"
        let local = try #require(record(0x0403_4B50, of: path, in: zip))
        let data = local + 30 + Int(zip[local + 26]) + Int(zip[local + 27]) << 8 + Int(zip[local + 28]) + Int(zip[local + 29]) << 8
        zip[data] = 0xFF   // the final block, of type 3
        guard case .failure(let error) = read(zip, path, wholeUpTo: ZipContainer.wholeMemberBytes) else { Issue.record("read"); return }
        #expect(error.kind == .malformedZip && error.message.contains("damaged deflate data"))
        #expect(failure { _ = try XLSXReader.read(zip) }?.kind == .malformedZip)
    }
}
