import BulletinCore
import BulletinValidate
import Testing

struct CacheCodecTests {
    @Test func aValidatedFileRoundTripsUnderItsNewName() throws {
        let csv = dailyCSV(rows: [dailyRow(), dailyRow(code: "HYS002", submitted: "上午"), "合计,,,,,,150"])
        let original = validate(csv, source: "2020-02-08/a.csv")
        let copy = try ValidatedFile(decoding: original.encoded(), source: "2020-02-09/b.csv")
        #expect(copy.dailyReports.count == 1 && copy.rejects.count == 1 && copy.totalRows.count == 1)
        #expect(copy.dailyReports[0].position.source == "2020-02-09/b.csv")
        var renamed = original.dailyReports[0]
        renamed.position.source = "2020-02-09/b.csv"
        #expect(copy.dailyReports[0] == renamed)
        #expect(copy.rejects[0].reason == original.rejects[0].reason && copy.rejects[0].date == original.rejects[0].date)
        #expect(copy.sheets == original.sheets)
    }

    @Test func rosterRowsTravelApartAndTheSnapshotIndexWithoutThem() throws {
        let csv = "摸排日期,机构代码,人员类别,姓名,身份证号,观察方式,观察开始日期\n"
            + "2020-02-08,HYS001,学生,张三,11010519491231002X,居家观察,2020-02-01\n2020-02-08,HYS002,教职工,李四,x,,\n"
        let original = validate(csv, source: "a.csv")
        var copy = try ValidatedFile(decoding: original.encoded(), source: "b.csv")
        #expect(copy.rosterEntries.isEmpty)
        #expect(copy.rosterSnapshots == original.rosterSnapshots && copy.rosterSnapshots.count == 2)
        try copy.decodeRoster(original.encodedRoster())
        #expect(copy.rosterEntries.map(\.person.pseudonym) == original.rosterEntries.map(\.person.pseudonym))
        #expect(copy.rosterEntries[0].observationStart == original.rosterEntries[0].observationStart)
        #expect(copy.rosterEntries[0].position.source == "b.csv" && copy.rosterEntries[0].position.row == 2)
    }

    @Test func aTruncatedBlobIsRefused() {
        let bytes = validate(dailyCSV(rows: [dailyRow()])).encoded()
        #expect(throws: BinaryReader.Corrupt.self) { try ValidatedFile(decoding: Array(bytes.dropLast(3)), source: "x.csv") }
    }
}
