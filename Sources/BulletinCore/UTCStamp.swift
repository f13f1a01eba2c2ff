import Foundation

/// An instant written as ISO 8601 in UTC to the second, as `ISO8601DateFormatter` writes it by default
/// ("2026-12-06T16:57:10Z"), without ICU: the date format it made for every run.log line was a
/// fiftieth of a warm night.
public enum UTCStamp {
    /// `date` (by default now) to the second: rounded to the millisecond, then the fraction dropped.
    public static func string(from date: Date = Date()) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        var seconds = time_t((milliseconds / 1000).rounded(.down)), t = tm()
        gmtime_r(&seconds, &t)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let day = "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))"
        return day + "T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))Z"
    }
}
