import BulletinCore
import Testing

/// Dates and times are written digit by digit (manifests, tables and logs write thousands a run): the
/// text must read back as the same value, zero-padded as outputs.md writes it, over whole centuries.
struct DateTextTests {
    @Test func everyDayFrom1900To2100ReadsBackAsItself() throws {
        let first = try #require(LocalDate(iso: "1900-01-01")), last = try #require(LocalDate(iso: "2100-12-31"))
        for n in 0...last.days(since: first) {
            let day = first.adding(days: n), text = day.description
            #expect(text.utf8.count == 10 && LocalDate(iso: text) == day, "\(text)")
        }
        #expect(LocalDate(year: 2020, month: 2, day: 8)?.description == "2020-02-08")
        #expect(LocalDate(year: 999, month: 12, day: 31)?.description == "999-12-31")
    }

    @Test func everySecondOfADayReadsBackAsItself() throws {
        for second in 0..<86_400 {
            let text = TimeOfDay(seconds: second).description
            #expect(text.utf8.count == 8 && TimeOfDay(text: text)?.seconds == second, "\(text)")
        }
        let date = try #require(LocalDate(iso: "2020-02-26"))
        #expect(LocalDateTime(date: date, secondOfDay: 8 * 3600 + 5 * 60 + 7).description == "2020-02-26 08:05:07")
        #expect(LocalDateTime(date: date, secondOfDay: 86_400 + 59).description == "2020-02-27 00:00:59")
        #expect(TimeOfDay(seconds: 100 * 3600).description == "100:00:00")
    }
}
