import BulletinCore
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

    /// Numbers and date-times written as cells are the bytes their texts would be, scrubbed and
    /// neutralised as text is: whatever the number (negative, eleven digits and more: masked) and whatever
    /// the year (a date-time of 1391 or 0531 runs its digits as a phone or landline would).
    @Test func numberAndDateTimeCellsWriteWhatTheirTextsWould() {
        var generator = SystemRandomNumberGenerator()
        var numbers: [Int?] = [nil, 0, 7, 10, 9_999_999_999, 10_000_000_000, 13_800_138_000, 370_102_199_001_011_234,
                               -1, -13_800_138_000, Int.max, Int.min]
        numbers += (0..<300).map { _ in Int.random(in: 0..<10_000_000_000, using: &generator) }
        let years = [1, 10, 531, 999, 1000, 1391, 1999, 2000, 2020, 2026, 9999] + (0..<40).map { _ in Int.random(in: 1...9999, using: &generator) }
        var times: [LocalDateTime] = []
        for year in years {
            for _ in 0..<20 {
                let date = LocalDate(year: year, month: Int.random(in: 1...12, using: &generator), day: Int.random(in: 1...28, using: &generator))!
                times.append(LocalDateTime(date: date, secondOfDay: Int.random(in: 0..<86_400, using: &generator)))
            }
        }
        var cells = CSVWriter(header: ["n"]), texts = CSVWriter(header: ["n"])
        for (k, n) in numbers.enumerated() {
            let t = times[k % times.count]
            cells.append(cells: [.number(n), .dateTime(t), .text("甲,乙")])
            texts.append([n.map(String.init) ?? "", t.description, "甲,乙"])
        }
        for t in times {
            cells.append(cells: [.dateTime(t)])
            texts.append([t.description])
        }
        #expect(cells.bytes == texts.bytes)
        #expect(String(decoding: cells.bytes, as: UTF8.self).contains("'-1,"), "a negative number is neutralised as its text is")
    }
}
