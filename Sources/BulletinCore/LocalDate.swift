/// A calendar day with no time zone: the bureau's forms speak in local dates.
///
/// Stored as days since 1970-01-01 (proleptic Gregorian), so ordering and
/// arithmetic are plain integer operations.
///
///     let d = LocalDate(year: 2020, month: 2, day: 8)!
///     d.adding(days: -13).description   // "2020-01-26"
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// A validated date, or nil for an impossible one (2月30日, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        dayNumber = era * 146097 + doe - 719468
    }

    /// Parses the canonical `YYYY-MM-DD` form used in folder names and options.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Whether `year` has a 29 February (Gregorian).
    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// The number of days of `month` (1–12) in `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// (year, month, day) of this date.
    public var components: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var year: Int { components.year }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// Days from `other` to `self` (positive when self is later).
    public func days(since other: LocalDate) -> Int { dayNumber - other.dayNumber }

    /// `2020-02-08`. Written digit by digit for four-digit years (string interpolation took 3,000
    /// instructions, and a run writes a date for every file of every date it publishes).
    public var description: String {
        let c = components
        guard (1000...9999).contains(c.year) else {
            return "\(c.year)-\(c.month < 10 ? "0" : "")\(c.month)-\(c.day < 10 ? "0" : "")\(c.day)"
        }
        return String(unsafeUninitializedCapacity: 10) { text in
            Digits.writeDate(c, into: text, at: 0)
            return 10
        }
    }

    /// `2020年2月8日`, as the bulletin prints dates.
    public var chinese: String {
        let c = components
        return "\(c.year)年\(c.month)月\(c.day)日"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }
}

/// A local wall-clock moment (Asia/Shanghai by the forms' rule), to the second.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01 00:00:00 local time.
    public let seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// `secondOfDay` seconds after midnight of `date` (may pass into the next days).
    public init(date: LocalDate, secondOfDay: Int) {
        seconds = date.dayNumber * 86_400 + secondOfDay
    }

    public var date: LocalDate { LocalDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400) }
    public var secondOfDay: Int { seconds - date.dayNumber * 86_400 }

    /// `2020-02-26 08:05:00`; digit by digit for the years 1000–9999 (as `LocalDate.description`: joined
    /// from the date's and the time's, it took 1,400 instructions, 455 times in every date's reports.csv).
    public var description: String {
        let c = date.components, s = secondOfDay
        guard (1000...9999).contains(c.year) else { return date.description + " " + TimeOfDay(seconds: s).description }
        return String(unsafeUninitializedCapacity: 19) { text in
            Digits.writeDate(c, into: text, at: 0)
            text[10] = UInt8(ascii: " ")
            Digits.writeTime(s, into: text, at: 11)
            return 19
        }
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.seconds < b.seconds }
}

/// A time of day, to the second (`12:00:00`).
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// Parses `H:MM` or `HH:MM:SS`.
    public init?(text: String) {
        let parts = text.split(separator: ":").map { Int($0) }
        guard (2...3).contains(parts.count), !parts.contains(where: { $0 == nil }) else { return nil }
        let h = parts[0]!, m = parts[1]!, s = parts.count == 3 ? parts[2]! : 0
        guard (0...23).contains(h), (0...59).contains(m), (0...59).contains(s) else { return nil }
        seconds = h * 3600 + m * 60 + s
    }

    /// `08:05:00`; digit by digit within a day (as `LocalDate.description`).
    public var description: String {
        guard (0..<86_400).contains(seconds) else {
            func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        }
        return String(unsafeUninitializedCapacity: 8) { text in
            Digits.writeTime(seconds, into: text, at: 0)
            return 8
        }
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.seconds < b.seconds }
}

#if canImport(Foundation)
import Foundation

extension LocalDate {
    /// Today's date in the time zone `identifier` (the pipeline's `time_zone`), or UTC if unknown.
    public static func today(in identifier: String) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
#endif

/// Decimal digits written into a buffer.
public enum Digits {
    /// The digits of `n` at `out`, which has room for 20 bytes; returns how many it wrote.
    public static func decimal(_ n: UInt, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var rest = n, count = 0
        repeat {
            count += 1
            rest /= 10
        } while rest > 0
        rest = n
        for k in stride(from: count - 1, through: 0, by: -1) {
            out[k] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        return count
    }

    /// `value` (not negative, under 10^width) as `width` digits, zero-padded, at `offset`.
    static func write(_ value: Int, width: Int, into text: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var rest = value
        for k in stride(from: offset + width - 1, through: offset, by: -1) {
            text[k] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// `YYYY-MM-DD` of `c` (a year of 1000–9999), ten bytes at `offset`.
    static func writeDate(_ c: (year: Int, month: Int, day: Int), into text: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        write(c.year, width: 4, into: text, at: offset)
        text[offset + 4] = UInt8(ascii: "-")
        write(c.month, width: 2, into: text, at: offset + 5)
        text[offset + 7] = UInt8(ascii: "-")
        write(c.day, width: 2, into: text, at: offset + 8)
    }

    /// `HH:MM:SS` of `seconds` (within a day), eight bytes at `offset`.
    static func writeTime(_ seconds: Int, into text: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        write(seconds / 3600, width: 2, into: text, at: offset)
        text[offset + 2] = UInt8(ascii: ":")
        write(seconds / 60 % 60, width: 2, into: text, at: offset + 3)
        text[offset + 5] = UInt8(ascii: ":")
        write(seconds % 60, width: 2, into: text, at: offset + 6)
    }
}
