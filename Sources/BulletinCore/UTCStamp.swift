import Foundation

/// An instant written as ISO 8601 in UTC to the second, as `ISO8601DateFormatter` writes it by default
/// ("2026-12-06T16:57:10Z"), without ICU: the date format it made for every run.log line was a
/// fiftieth of a warm night.
public enum UTCStamp {
    /// `date` (by default now) to the second: rounded to the millisecond, then the fraction dropped.
    public static func string(from date: Date = Date()) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        // The seconds since 1970 in UTC, read as the day and time a `LocalDateTime` writes.
        let instant = LocalDateTime(seconds: Int((milliseconds / 1000).rounded(.down)))
        return instant.date.description + "T" + TimeOfDay(seconds: instant.secondOfDay).description + "Z"
    }
}
