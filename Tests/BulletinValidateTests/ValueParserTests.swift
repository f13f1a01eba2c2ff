import BulletinCore
import Foundation
import BulletinIngest
import BulletinTestSupport
@_spi(Testing) import BulletinValidate
import Testing

/// `parse` of the text as the row loop lends it: trimmed and folded.
func parsed<R>(_ s: String, _ parse: (ValueParser.Bytes) -> R) -> R {
    Array(s.utf8).withUnsafeBufferPointer { TextBytes.withFolded($0, parse) }
}

struct ValueParserTests {
    @Test(arguments: [("12", 12), ("12.0", 12), ("１２", 12), ("1,234", 1234), (" 7 ", 7), ("0", 0), ("\u{3000}5\u{3000}", 5),
                      ("12,345,678", 12_345_678)])
    func counts(_ text: String, _ value: Int) {
        #expect(parsed(text, ValueParser.count) == value)
    }

    @Test(arguments: ["-1", "12.5", "abc", "十二", "1,23", "1.", "", "1 2", "12,34,567"])
    func notCounts(_ text: String) {
        #expect(parsed(text, ValueParser.count) == nil)
    }

    static let feb8 = LocalDate(year: 2020, month: 2, day: 8)!

    @Test(arguments: ["2020-02-08", "2020/2/8", "2020.2.8", "2020年2月8日", "20200208", "2月8日", "43869",
                      "2020-02-08T00:00:00.000", "２０２０-０２-０８", "2020-02-08 00:00:00"])
    func dates(_ text: String) {
        #expect(parsed(text) { ValueParser.date($0, referenceYear: 2020) } == Self.feb8)
    }

    /// `2020-02-08`, `2020/2/8` and `2020.2.8` alone in a cell are read through the pointer, other forms
    /// by the general reading: the two agree on every such date (real ones, day 0 or 31 of short months,
    /// month 0 or 13, year 0000, one or two digits, the separators mixed), the same text followed by a
    /// midnight time taking the general path.
    @Test func separatedDatesReadAsTheGeneralReadingDoes() {
        var state: UInt64 = 0x2020_0208
        func next(_ bound: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % bound }
        let separators = ["-", "/", "."]
        for _ in 0..<5000 {
            let year = [0, 1900, 2019, 2020, 2100, 9999][next(6)] + next(2), month = next(14), day = next(33)
            let m = next(2) == 0 ? String(format: "%02d", month) : String(month), d = next(2) == 0 ? String(format: "%02d", day) : String(day)
            let first = separators[next(3)], second = next(8) == 0 ? separators[next(3)] : first
            let text = String(format: "%04d", year) + first + m + second + d
            let alone = parsed(text) { ValueParser.date($0, referenceYear: nil) }
            let general = parsed(text + " 00:00:00") { ValueParser.date($0, referenceYear: nil) }
            #expect(alone == general, "\(text)")
            if first == second, m.count <= 2, d.count <= 2 { #expect(alone == LocalDate(year: year, month: month, day: day), "\(text)") }
        }
    }

    /// The packed 是 and 否 that yes/no compares first are the words' own packing (were they not, every
    /// such cell would take the longer way round, with the same answer).
    @Test func yesAndNoAreComparedAsPacked() {
        #expect(Array("是".utf8).withUnsafeBufferPointer(ValueParser.packed) == ValueParser.yes)
        #expect(Array("否".utf8).withUnsafeBufferPointer(ValueParser.packed) == ValueParser.no)
    }

    @Test(arguments: ["2020-02-30", "2020-13-01", "昨天", "2/8", "2020-02", "20200230"])
    func notDates(_ text: String) {
        #expect(parsed(text) { ValueParser.date($0, referenceYear: 2020) } == nil)
    }

    @Test func monthDayNeedsAReferenceYear() {
        #expect(parsed("2月8日") { ValueParser.date($0, referenceYear: nil) } == nil)
        #expect(parsed("2月29日") { ValueParser.date($0, referenceYear: 2020) } == LocalDate(year: 2020, month: 2, day: 29))
        #expect(parsed("2月29日") { ValueParser.date($0, referenceYear: 2021) } == nil)
    }

    @Test func excel1900LeapYearQuirk() {
        #expect(parsed("59") { ValueParser.date($0, referenceYear: nil) } == LocalDate(year: 1900, month: 2, day: 28))
        #expect(parsed("61") { ValueParser.date($0, referenceYear: nil) } == LocalDate(year: 1900, month: 3, day: 1))
    }

    @Test(arguments: [("2020-02-08 9:30", 34_200), ("2020/2/8 09:30:00", 34_200), ("2020年2月8日 9时30分", 34_200),
                      ("2020-02-08T09:30:00.000", 34_200), ("2020-02-08 12:00:00", 43_200), ("43869.5", 43_200),
                      ("2020年2月8日 9时30分15秒", 34_215), ("2月8日 9:30", 34_200), ("2020年2月8日9时30分", 34_200),
                      ("2月8日9:30", 34_200)])
    func dateTimes(_ text: String, _ second: Int) {
        #expect(parsed(text) { ValueParser.dateTime($0, referenceYear: 2020) } == LocalDateTime(date: Self.feb8, secondOfDay: second))
    }

    @Test(arguments: ["2020-02-08", "2020-02-08 25:00", "上午", "2020-02-08 9:60"])
    func notDateTimes(_ text: String) {
        #expect(parsed(text) { ValueParser.dateTime($0, referenceYear: 2020) } == nil)
    }

    @Test(arguments: [("是", true), ("否", false), ("Y", true), ("n", false), ("Yes", true), ("NO", false),
                      ("true", true), ("FALSE", false), ("1", true), ("0", false), ("√", true), ("×", false)])
    func yesNo(_ text: String, _ value: Bool) {
        #expect(parsed(text, ValueParser.yesNo) == value)
    }

    @Test func notYesNo() {
        #expect(parsed("可能", ValueParser.yesNo) == nil)
        #expect(parsed("有", ValueParser.yesNo) == nil && parsed("是的", ValueParser.yesNo) == nil)   // three bytes, not 是 or 否; six
    }
}
