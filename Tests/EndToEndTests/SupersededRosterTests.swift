import BulletinCore
import BulletinSample
import BulletinTestSupport
import Foundation
import Testing

/// Roster files whose every row is in a snapshot its institution replaced: the manifest counts their rows
/// as superseded, and a run without a store does not type them, publishing what a run that typed them
/// (from the store) publishes, byte for byte.
@Suite(.serialized)
struct SupersededRosterTests {
    /// Nine landing days in every format: rosters on the first day and again on the eighth.
    func district(seed: UInt64 = 21) throws -> (landing: URL, truth: Truth, root: URL) {
        let (root, landing, truth) = try sampleDistrict("superseded", days: 9, seed: seed, formats: [.csv, .spreadsheetML, .xlsx])
        return (landing, truth, root)
    }

    func outputs(_ folder: URL, _ date: String) throws -> [String: Data] {
        let day = folder.appendingPathComponent(date)
        return try Dictionary(uniqueKeysWithValues: FileManager.default.contentsOfDirectory(atPath: day.path).map {
            ($0, try Data(contentsOf: day.appendingPathComponent($0)))
        })
    }

    func ingestField(_ out: URL, _ name: String) throws -> Int? {
        let log = try String(contentsOf: out.appendingPathComponent("run.log"), encoding: .utf8)
        let ingest = try #require(log.split(separator: "\n").last { $0.contains("stage=ingest") })
        return ingest.split(separator: " ").first { $0.hasPrefix(name + "=") }.flatMap { Int($0.dropFirst(name.count + 1)) }
    }

    @Test func aColdDayLeavesReplacedRostersUntypedAndPublishesWhatTheStoreDoes() throws {
        let (landing, truth, root) = try district()
        let first = try #require(truth.days.keys.min()), last = truth.lastDay
        let stored = root.appendingPathComponent("stored"), cold = root.appendingPathComponent("cold")
        #expect(try runBulletin(["rerun", "--from", first, "--to", last, "--landing", landing.path, "--out", stored.path]).status == 0)
        #expect(try runBulletin(["run", "--date", last, "--no-cache", "--landing", landing.path, "--out", cold.path]).status == 0)
        // The first day's roster files (one per institution) all had a newer snapshot by the last day.
        let firstRosters = try FileManager.default.contentsOfDirectory(
            atPath: landing.appendingPathComponent(first).appendingPathComponent("花名册").path).count
        let untyped = try #require(try ingestField(cold, "untyped"))
        #expect(untyped > firstRosters / 2 && untyped <= firstRosters)
        #expect(try ingestField(stored, "untyped") == 0)
        #expect(try outputs(cold, last) == outputs(stored, last))

        // The manifest counts their rows as superseded, not accepted; the bulletin's sources line agrees.
        let manifest = try readJSON(cold.appendingPathComponent(last).appendingPathComponent("manifest.json"))
        let inputs = try #require(manifest["inputs"] as? [[String: Any]])
        let superseded = inputs.filter { $0["superseded"] as? Bool == true }
        #expect(superseded.count >= untyped)
        for input in superseded {
            #expect((input["source"] as? String)?.contains("/花名册/") == true)
            for sheet in try #require(input["sheets"] as? [[String: Any]]) {
                #expect(sheet["accepted"] as? Int == 0 && sheet["rejected"] as? Int == 0)
                #expect(sheet["skipped"] as? Int == sheet["rows_read"] as? Int && (sheet["superseded"] as? Int ?? 0) > 0)
            }
        }
        let accepted = try #require(manifest.at("rows.accepted") as? Int)
        let supersededRows = try superseded.flatMap { try #require($0["sheets"] as? [[String: Any]]) }.reduce(0) { $0 + ($1["superseded"] as? Int ?? 0) }
        #expect(manifest.at("rows.superseded") as? Int == supersededRows)
        let html = try String(contentsOf: cold.appendingPathComponent(last).appendingPathComponent("bulletin.html"), encoding: .utf8)
        #expect(html.contains("接收\(accepted)行"))

        // A range without a store whose first date still holds the first snapshot in force types it
        // (every date of the range is judged on its own, as a run of that date alone would be).
        let range = root.appendingPathComponent("range")
        let before = try #require(LocalDate(iso: last)).adding(days: -2).description
        #expect(try runBulletin(["rerun", "--from", before, "--to", last, "--no-cache", "--landing", landing.path, "--out", range.path]).status == 0)
        #expect(try ingestField(range, "untyped") == 0)
        for date in [before, last] { #expect(try outputs(range, date) == outputs(stored, date), "\(date)") }
    }

    /// When an institution's newest snapshot has no usable row, the one before it stays in force: a run
    /// without a store types it after all, and publishes what the store's run does.
    @Test func aNewestSnapshotWithNoUsableRowLeavesTheOneBeforeInForce() throws {
        let (landing, truth, root) = try district(seed: 22)
        let last = truth.lastDay
        let code = "HYS001"
        let folder = landing.appendingPathComponent(last).appendingPathComponent("其他")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A snapshot dated the last day whose every row names a person type the form does not have.
        let rows = (1...3).map { "\(last),\(code),外星人,张三\($0),女,11010519491231002X" }
        try Data(("摸排日期,机构代码,人员类别,姓名,性别,身份证号\n" + rows.joined(separator: "\n") + "\n").utf8)
            .write(to: folder.appendingPathComponent("\(code)-重报.csv"))
        let stored = root.appendingPathComponent("stored"), cold = root.appendingPathComponent("cold")
        #expect(try runBulletin(["run", "--date", last, "--landing", landing.path, "--out", stored.path]).status == 0)
        #expect(try runBulletin(["run", "--date", last, "--no-cache", "--landing", landing.path, "--out", cold.path]).status == 0)
        #expect(try outputs(cold, last) == outputs(stored, last))
        let manifest = try readJSON(cold.appendingPathComponent(last).appendingPathComponent("manifest.json"))
        let inputs = try #require(manifest["inputs"] as? [[String: Any]])
        // The institution's earlier roster file is in force (not superseded) and typed: its rows accepted.
        let earlier = try #require(inputs.first { ($0["source"] as? String)?.contains("/花名册/\(code).") == true
            && ($0["landing_day"] as? String) != truth.days.keys.min() })
        #expect(earlier["superseded"] == nil)
        let sheets = try #require(earlier["sheets"] as? [[String: Any]])
        #expect(sheets.reduce(0) { $0 + ($1["accepted"] as? Int ?? 0) } > 0)
        let rejects = try readCSV(cold.appendingPathComponent(last).appendingPathComponent("rejects.csv"))
        #expect(rejects.filter { $0["source"]?.hasSuffix("\(code)-重报.csv") == true }.count == 3)
    }
}
