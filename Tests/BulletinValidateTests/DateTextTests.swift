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

    @Test func everyCalendarDayFromYear1To9999IsTheDayAfterTheOneBefore() {
        // The day number from (year, month, day) alone, anchored at 1970-01-01 = 0: each valid date is
        // one more than the date before it, and a month's day past its end is no date.
        #expect(LocalDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        var previous = LocalDate(year: 1, month: 1, day: 1)!.dayNumber - 1, misses = 0, impossible = 0
        for year in 1...9999 {
            for month in 1...12 {
                let days = LocalDate.daysIn(month: month, year: year)
                for day in 1...days {
                    let n = LocalDate(year: year, month: month, day: day)?.dayNumber ?? .min
                    if n != previous + 1 { misses += 1 }
                    previous = n
                }
                if LocalDate(year: year, month: month, day: days + 1) != nil { impossible += 1 }
            }
        }
        #expect(misses == 0 && impossible == 0)
        #expect(LocalDate(year: 2020, month: 2, day: 29) != nil && LocalDate(year: 2100, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 0, month: 1, day: 1) == nil && LocalDate(year: 2020, month: 13, day: 1) == nil
                && LocalDate(year: 2020, month: 0, day: 1) == nil && LocalDate(year: 2020, month: 1, day: 0) == nil)
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
        // Digit by digit or joined from its date's and time's texts (a year outside 1000–9999), the same text.
        var generator = SystemRandomNumberGenerator()
        for day in [-719_162, -400_000, -1, 0, 18_318, 2_932_896] + (0..<2_000).map({ _ in Int.random(in: -719_162...2_932_896, using: &generator) }) {
            let date = LocalDate(dayNumber: day), second = Int.random(in: 0..<86_400, using: &generator)
            #expect(LocalDateTime(date: date, secondOfDay: second).description
                    == date.description + " " + TimeOfDay(seconds: second).description)
        }
    }
}
