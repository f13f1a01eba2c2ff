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

    @Test func rosterSnapshotsAreIndexedAfterDecoding() throws {
        let csv = "摸排日期,机构代码,人员类别,姓名,身份证号\n2020-02-08,HYS001,学生,张三,11010519491231002X\n"
        let original = validate(csv)
        let copy = try ValidatedFile(decoding: original.encoded(), source: "x.csv")
        #expect(copy.rosterSnapshots == original.rosterSnapshots)
        #expect(copy.rosterSnapshots.count == 1)
    }

    @Test func aTruncatedBlobIsRefused() {
        let bytes = validate(dailyCSV(rows: [dailyRow()])).encoded()
        #expect(throws: BinaryReader.Corrupt.self) { try ValidatedFile(decoding: Array(bytes.dropLast(3)), source: "x.csv") }
    }
}
