@testable import BulletinPipeline
import BulletinCore
import BulletinTestSupport
import Foundation
import Testing

/// How a landing is listed: names in the order people read them, GBK names decoded, paths kept as on disk.
struct LandingListingTests {
    /// Makes an empty file at `components` (each a name's bytes) under `root`, folders on the way.
    func touch(_ root: URL, _ components: [[UInt8]]) throws {
        var path = Array(root.path.utf8)
        for (i, name) in components.enumerated() {
            path += [0x2F] + name
            let made = (path + [0]).withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: CChar.self) { c in
                    i == components.count - 1 ? creat(c.baseAddress!, 0o644) : (mkdir(c.baseAddress!, 0o755) == 0 || errno == EEXIST ? 0 : -1)
                }
            }
            #expect(made >= 0)
            if i == components.count - 1 { close(made) }
        }
    }

    @Test func namesAreInStringsOrderWhetherOrderedByBytesOrNot() throws {
        // Chinese, full-width and ASCII names sharing prefixes: ordered by their bytes.
        let plain = ["日报", "日报2", "a.csv", "B.csv", "b.csv", "10.csv", "9.csv", "（全角）.csv", "Ｚ.csv", "温暖在线", "、.csv", "〇.csv",
                     "a", "ab", "a b.csv", "中小学.xlsx", "中.xlsx", "㐀.csv"]
        // Names whose bytes do not order as String does: e and a combining accent (é to String, after f; before it
        // by bytes), a kana voiced mark, a CJK compatibility ideograph (豈 U+8C48 to String), a tone mark, Latin-1.
        // (No two of them are canonically equivalent: String would hold them equal, in no set order.)
        let tricky = plain + ["e\u{301}.csv", "f.csv", "か\u{3099}.csv", "き.csv", "\u{F900}.csv", "豆.csv", "x\u{302A}.csv", "x.csv", "ñ.csv"]
        for names in [plain, tricky] {
            let folder = temporaryFolder("listing")
            for name in names { try touch(folder, [Array(name.utf8)]) }
            let entries = try #require(FileName.entries(of: Array(folder.path.utf8)))
            #expect(entries.count == names.count)
            let expected = names.sorted()
            #expect(FileName.sortedAsShown(entries).map(\.shown) == expected)
            #expect(expected == entries.map(\.shown).sorted())
        }
        #expect(plain.allSatisfy { FileName.isOrderedByBytes(Array($0.utf8)) })
        #expect(["e\u{301}", "か\u{3099}", "\u{F900}", "x\u{302A}", "ñ", "😀"].allSatisfy { !FileName.isOrderedByBytes(Array($0.utf8)) })
    }

    @Test func aGBKNameIsShownDecodedAndReadByItsBytes() throws {
        let root = temporaryFolder("landing-gbk")
        let gbkFolder: [UInt8] = [0xCE, 0xC2, 0xC5, 0xAF]   // 温暖 in GBK, as a zip made on Windows leaves it
        let gbkFile: [UInt8] = [0xC8, 0xD5, 0xB1, 0xA8, 0x2E, 0x63, 0x73, 0x76]   // 日报.csv in GBK
        let day = Array("2020-02-08".utf8)
        try touch(root, [day, Array("日报".utf8), Array("b.csv".utf8)])
        try touch(root, [day, Array("日报".utf8), Array("a.csv".utf8)])
        try touch(root, [day, gbkFolder, Array("c.csv".utf8)])
        try touch(root, [day, gbkFolder, gbkFile])
        try touch(root, [day, Array("名单.bak".utf8)])
        let landing = try Landing(root: root.path)
        let date = try #require(LocalDate(iso: "2020-02-08"))
        let files = try #require(landing.days[date])
        #expect(files.map(\.relativePath) == ["2020-02-08/名单.bak", "2020-02-08/日报/a.csv", "2020-02-08/日报/b.csv",
                                              "2020-02-08/温暖/c.csv", "2020-02-08/温暖/日报.csv"])
        #expect(files[0].refusal != nil && files[1...].allSatisfy { $0.refusal == nil && $0.format == .csv })
        #expect(files[3].diskPath == day + [0x2F] + gbkFolder + Array("/c.csv".utf8))
        #expect(files[4].diskPath == day + [0x2F] + gbkFolder + [0x2F] + gbkFile)
        #expect(files[1].diskPath == Array(files[1].relativePath.utf8))
    }
}
