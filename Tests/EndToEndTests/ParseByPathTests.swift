import BulletinCore
@_spi(Testing) import BulletinPipeline
import BulletinTestSupport
import BulletinValidate
import Foundation
import Testing

/// Without a store the parser reads each landing file itself: it hashes what it read, refuses a file
/// grown past the limit since the listing without reading it, and names a file it cannot open.
struct ParseByPathTests {
    let csv = Array(dailyCSV(rows: [dailyRow(), dailyRow(code: "HYS002")]).utf8)

    func parse(_ path: URL, limit: Int) -> ParsedFile {
        let request = ParseRequest(content: .path(Array(path.path.utf8), size: csv.count, limit: limit),
                                   source: "2020-02-08/日报/a.csv", format: .csv, year: 2020)
        return FileParser.inProcess.parse([request], pseudonyms: .testing)[0]
    }

    @Test func aFileReadByPathIsHashedAsRead() throws {
        let file = temporaryFolder("by-path").appendingPathComponent("a.csv")
        try Data(csv).write(to: file)
        let parsed = parse(file, limit: csv.count)
        #expect(parsed.read?.sha256 == SHA256.hex(csv))
        #expect(parsed.read?.bytes == csv.count)
        #expect(parsed.validated.dailyReports.count == 2)
    }

    @Test func aFileGrownPastTheLimitIsRefusedUnread() throws {
        let file = temporaryFolder("by-path-large").appendingPathComponent("a.csv")
        try Data(csv).write(to: file)
        let parsed = parse(file, limit: csv.count - 1)
        #expect(parsed.read == nil)
        #expect(parsed.validated.rejects.map(\.reason) == [.fileTooLarge])
    }

    @Test func aFileGoneSinceTheListingIsNamedUnreadable() {
        let parsed = parse(temporaryFolder("by-path-gone").appendingPathComponent("gone.csv"), limit: 1 << 20)
        #expect(parsed.read == nil)
        #expect(parsed.validated.rejects.map(\.reason) == [.unreadableFile])
        #expect(parsed.validated.rejects.first?.message.contains("无法打开") == true)
    }
}
