import BulletinReport
import Testing

/// The CSV outputs as Excel and the bureau's tools read them: BOM, CRLF, RFC 4180 quoting, formulas
/// neutralised, personal numbers masked, cell by cell.
struct CSVWriterTests {
    @Test func recordsAreQuotedNeutralisedAndMasked() {
        var csv = CSVWriter(header: ["日期", "说明"])
        csv.append(["2020-02-26 08:05:00", "甲,乙"])
        csv.append(["=HYPERLINK(\"x\")", "说\"明\"\n第二行"])
        csv.append(["+1", "-2"])
        csv.append(["@SUM(A1)", "\t制表"])
        csv.append(["电话13800138000", "身份证370102199001011234"])
        csv.append(["", "\r回车"])
        let expected = "\u{FEFF}日期,说明\r\n"
            + "2020-02-26 08:05:00,\"甲,乙\"\r\n"
            + "\"'=HYPERLINK(\"\"x\"\")\",\"说\"\"明\"\"\n第二行\"\r\n"
            + "'+1,'-2\r\n"
            + "'@SUM(A1),'\t制表\r\n"
            + "电话*******8000,身份证370102********1234\r\n"
            + ",\"'\r回车\"\r\n"
        #expect(String(decoding: csv.bytes, as: UTF8.self) == expected)
        #expect(csv.bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    }
}
