@testable import BulletinPipeline
import BulletinCore
import BulletinTestSupport
import BulletinValidate
import Foundation
import Testing

/// The store's record of the files last read: a row per folder, each file by its stamp.
struct StoreDigestsTests {
    func stamp(_ inode: UInt64, modified: Int = 1_580_515_200_123_456_789, size: Int = 2048) -> FileName.Stamp {
        FileName.Stamp(size: size, modified: modified, changed: modified, inode: inode, device: 2049)
    }

    /// The folders of the files at `paths`, each once, as the survey asks for them.
    func folders(_ paths: [UInt8]...) -> [[UInt8]] { Array(Set(paths.map(IngestCache.folder(of:)))) }

    @Test func aFolderKeepsItsFilesAndAFileChangedInPlaceReplacesItsEntry() throws {
        let cache = try IngestCache(path: temporaryFolder("digests").appendingPathComponent("store.sqlite"), pseudonyms: .testing)
        let a = Array("/landing/2020-02-08/日报/a.csv".utf8), b = Array("/landing/2020-02-08/日报/b.csv".utf8)
        let c = Array("/landing/2020-02-09/日报/c.csv".utf8)
        try cache.store([], seen: [(a, stamp(1), "sha-a"), (b, stamp(2), "sha-b"), (c, stamp(3), "sha-c")], known: nil)
        let first = cache.digests(forFolders: folders(a, b))
        #expect(first.byFolder.count == 1)
        #expect(first.sha256(stamp: stamp(1)) == "sha-a" && first.sha256(stamp: stamp(2)) == "sha-b")
        #expect(first.sha256(stamp: stamp(3)) == nil)   // another folder, not asked for
        #expect(first.sha256(stamp: stamp(1, size: 2049)) == nil && first.sha256(stamp: stamp(1, modified: 1)) == nil)

        // a.csv written again (same inode, new times): its new entry replaces the old; b.csv, unread, stays.
        let rewritten = stamp(1, modified: 1_580_601_600_000_000_000)
        try cache.store([], seen: [(a, rewritten, "sha-a2"), (b, stamp(2), "sha-b")], known: first)
        let second = cache.digests(forFolders: folders(a, c))
        #expect(second.byFolder.count == 2 && second.byFolder.values.map(\.count).sorted() == [1, 2])
        #expect(second.sha256(stamp: rewritten) == "sha-a2" && second.sha256(stamp: stamp(1)) == nil)
        #expect(second.sha256(stamp: stamp(2)) == "sha-b" && second.sha256(stamp: stamp(3)) == "sha-c")
    }

    /// A store made under another key (or another pseudonym function, which changes the fingerprint the
    /// same way) is emptied, and the night hears why it reads every file again; a new store and a store
    /// reopened under its own key are not.
    @Test func aStoreMadeUnderAnotherKeyIsEmptiedAndTheNightHearsIt() throws {
        let path = temporaryFolder("rekey").appendingPathComponent("store.sqlite")
        let a = Array("/landing/2020-02-08/日报/a.csv".utf8)
        var heard: [String] = []
        let made = try #require(IngestCache.openOrRebuild(path: path, pseudonyms: .testing) { heard.append($0) })
        try made.store([], seen: [(a, stamp(1), "sha-a")], known: nil)
        let reopened = try #require(IngestCache.openOrRebuild(path: path, pseudonyms: .testing) { heard.append($0) })
        #expect(!made.emptiedForAnotherKey && !reopened.emptiedForAnotherKey && heard.isEmpty)
        #expect(reopened.digests(forFolders: folders(a)).sha256(stamp: stamp(1)) == "sha-a")

        let other = Pseudonymizer(key: Array(repeating: 0x5A, count: 32))
        let rekeyed = try #require(IngestCache.openOrRebuild(path: path, pseudonyms: other) { heard.append($0) })
        #expect(rekeyed.emptiedForAnotherKey)
        #expect(heard.count == 1 && heard.first?.contains("another key or pseudonym function") == true)
        // Emptied, not merely unreadable under the new key: back under the first key, nothing is left either.
        let back = try #require(IngestCache.openOrRebuild(path: path, pseudonyms: .testing) { heard.append($0) })
        #expect(back.emptiedForAnotherKey && back.digests(forFolders: folders(a)).sha256(stamp: stamp(1)) == nil)
        withExtendedLifetime((made, reopened, rekeyed)) {}
    }

    /// A command leaves its store open to its exit, so no close deletes the WAL: after a write longer than
    /// 4 MiB (a cold season's is the store's size) SQLite cuts it back when it starts it over.
    @Test func theWALIsCutBackTo4MiBWhenSQLiteStartsItOver() throws {
        let path = temporaryFolder("wal").appendingPathComponent("store.sqlite")
        let cache = try IngestCache(path: path, pseudonyms: .testing)
        func walBytes() throws -> Int {
            try FileManager.default.attributesOfItem(atPath: path.path + "-wal")[.size] as! Int
        }
        // 200 folders of 300 files each, a digest apiece: some 8 MB of rows in one transaction.
        let seen = (0..<60_000).map { i in
            (Array("/landing/2020-02-\(10 + i % 200)/日报/第\(i / 200)号学校的每日报告.csv".utf8), stamp(UInt64(i)),
             String(repeating: String(i % 10), count: 64))
        }
        try cache.store([], seen: seen, known: nil)
        #expect(try walBytes() > 4 << 20)
        try cache.store([], seen: [(Array("/landing/2020-03-01/日报/a.csv".utf8), stamp(1), "sha-a")], known: nil)
        #expect(try walBytes() <= 4 << 20)
        withExtendedLifetime(cache) {}   // still open, as a command leaves it
    }

    @Test func everyStampComesBackAsWrittenAndADamagedRowIsUnknown() {
        let entries = [FileName.Stamp(size: 0, modified: 0, changed: 0, inode: 0, device: 0): "x",
                       FileName.Stamp(size: .max, modified: .min, changed: -1, inode: .max, device: .max): "y"]
        let bytes = IngestCache.Digests.encoded(entries)
        #expect(IngestCache.Digests.decoded(bytes) == entries)
        for cut in 0..<bytes.count { #expect(IngestCache.Digests.decoded(Array(bytes[..<cut])) == nil) }
        #expect(IngestCache.Digests.decoded(bytes + [0]) == nil)
    }

    @Test func aFilesKeyIsItsDigestAtTheYearOfItsLandingDay() throws {
        let sha = String(repeating: "0123456789abcdef", count: 4)
        for iso in ["0001-01-01", "0009-12-31", "0010-01-01", "0099-06-30", "0100-01-01", "0999-12-31", "1000-01-01", "2020-02-08", "9999-12-31"] {
            let day = try #require(LocalDate(iso: iso))
            #expect(IngestedFile.cacheKey(sha256: sha, day: day) == sha + "@" + String(day.year))
        }
        #expect(IngestedFile.cacheKey(sha256: "", day: try #require(LocalDate(iso: "2020-02-08"))) == "@2020")
    }
}
