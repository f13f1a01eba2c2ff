import BulletinCore
import BulletinIngest
import BulletinTestSupport
@_spi(Testing) import BulletinValidate
import Testing

/// A roster whose every row a newer snapshot replaced, read for the snapshots its rows name alone
/// (`supersededBy`): what it keeps, when the file is read whole instead, and that it names what the
/// file typed whole names.
struct RosterKeysTests {
    static let header = "摸排日期,机构代码,人员类别,姓名,性别,身份证号\n"

    /// Newer snapshots of every institution the tests name, as a run would know them.
    static let newer = Dictionary(uniqueKeysWithValues: ["HYS001", "HYS002"].map { ($0, LocalDate(year: 2020, month: 3, day: 1)!) })

    func read(_ csv: String, keysOnly: Bool, newest: [String: LocalDate] = newer) throws -> ValidatedFile {
        FileValidator.validate(try TableFile.read(Array(csv.utf8), format: .csv), source: "2020-02-08/r.csv", defaultYear: 2020,
                               pseudonyms: .testing, supersededBy: keysOnly ? newest : nil)
    }

    func key(_ code: String, _ day: Int) -> RosterSnapshot { RosterSnapshot(code: code, asOf: LocalDate(year: 2020, month: 2, day: day)!) }

    @Test func rowsAreCountedNotTypedAndNameWhatTheWholeReadingNames() throws {
        // A usable row, a row rejected for its person type, a blank row, a total row, and a date typed without a year.
        let csv = Self.header + "2020-02-08,HYS001,学生,张三,女,11010519491231002X\n"
            + "2020-02-08,HYS001,外星人,李四,男,110105200002290013\n,,,,,\n合计,,,,,\n2月1日,HYS002,学生,王五,女,11010519491231002X\n"
        let keys = try read(csv, keysOnly: true), whole = try read(csv, keysOnly: false)
        #expect(keys.untypedRosterKeys == [key("HYS001", 8), key("HYS002", 1)])
        #expect(keys.rosterEntries.isEmpty && keys.rejects.isEmpty)
        let sheet = try #require(keys.sheets.first)
        #expect(sheet.form == .roster && sheet.rowsRead == 6 && sheet.accepted == 0 && sheet.rejected == 0 && sheet.skipped == 3)
        // Typed whole: two usable rows and a reject; the same snapshots, the same rows skipped.
        #expect(whole.untypedRosterKeys == nil && whole.rosterEntries.count == 2 && whole.rejects.count == 1)
        #expect(whole.rowSnapshots == keys.rowSnapshots && whole.sheets.first?.skipped == sheet.skipped)
        // And through the store's encoding (a parse worker's answer is the same bytes).
        let back = try ValidatedFile(decoding: keys.encoded(), source: "2020-02-08/r.csv")
        #expect(back.untypedRosterKeys == keys.untypedRosterKeys)
        // A row whose snapshot is the newest known (HYS002's of 2月1日 here): the file is typed whole.
        let inForce = try read(csv, keysOnly: true, newest: ["HYS001": LocalDate(year: 2020, month: 3, day: 1)!,
                                                            "HYS002": LocalDate(year: 2020, month: 2, day: 1)!])
        #expect(inForce.untypedRosterKeys == nil && inForce.rosterEntries.count == 2)
    }

    @Test func aRowNamingNoSnapshotOrAnotherFormIsReadWhole() throws {
        let undated = Self.header + "2020-02-08,HYS001,学生,张三,女,11010519491231002X\n不详,HYS001,学生,李四,男,110105200002290013\n"
        let read = try self.read(undated, keysOnly: true)
        #expect(read.untypedRosterKeys == nil && read.rosterEntries.count == 1 && read.rejects.count == 1)
        #expect(read.rowSnapshots == nil)   // a row without its date can belong to no snapshot
        let daily = try self.read(dailyCSV(rows: [dailyRow()]), keysOnly: true)
        #expect(daily.untypedRosterKeys == nil && daily.dailyReports.count == 1 && daily.rowSnapshots == nil)
    }

    @Test func aFileIsSupersededWhenEveryRowHasANewerUsableSnapshot() throws {
        let csv = Self.header + "2020-02-01,HYS001,学生,张三,女,11010519491231002X\n2020-02-01,HYS002,学生,李四,男,110105200002290013\n"
        let file = try read(csv, keysOnly: false)
        let feb = { (day: Int) in LocalDate(year: 2020, month: 2, day: day)! }
        #expect(file.isSuperseded(byNewest: ["HYS001": feb(8), "HYS002": feb(2)]))
        #expect(!file.isSuperseded(byNewest: ["HYS001": feb(8), "HYS002": feb(1)]))   // HYS002's snapshot is the newest
        #expect(!file.isSuperseded(byNewest: ["HYS001": feb(8)]))                     // HYS002 has no other
        #expect(!(try read(Self.header, keysOnly: false)).isSuperseded(byNewest: ["HYS001": feb(8)]))   // no rows
    }
}
