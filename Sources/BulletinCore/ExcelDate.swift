/// Excel's serial dates: the 1900 system (with its fictitious 1900-02-29, serial 60) and the 1904 system.
public enum ExcelDate {
    /// What a cell's number format shows of a serial: a date, a time of day, or both.
    public enum Shown: Sendable, Equatable {
        case date, time, dateTime
    }

    /// The largest serial Excel accepts (9999-12-31) plus one.
    public static let serialLimit = 2_958_466.0

    /// The day of a whole serial number.
    public static func day(serial: Int, date1904: Bool = false) -> LocalDate {
        if date1904 { return LocalDate(year: 1904, month: 1, day: 1)!.adding(days: serial) }
        // Serial 1 is 1900-01-01; serials from 61 on skip the day Excel invented.
        return LocalDate(year: 1899, month: 12, day: 30)!.adding(days: serial < 61 ? serial + 1 : serial)
    }

    /// A serial with a time fraction as a local date-time, to the second.
    /// The serial must be finite and within `0 ..< serialLimit` (see `isInRange`).
    public static func dateTime(serial: Double, date1904: Bool = false) -> LocalDateTime {
        let whole = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(whole)) * 86_400).rounded())
        return LocalDateTime(seconds: day(serial: whole, date1904: date1904).dayNumber * 86_400 + seconds)
    }

    /// Whether `serial` is a moment Excel can show (finite, from 0 up to 9999-12-31).
    public static func isInRange(_ serial: Double) -> Bool { serial.isFinite && serial >= 0 && serial < serialLimit }

    /// Text for a date- or time-styled cell, as a person reads it: `2020-02-08` for a date,
    /// `09:30:00` for a time of day (a time format, or a serial below 1, which no one means as
    /// 1899-12-31), `2020-02-08 09:30:00` for a date with a time (midnight included when the
    /// format shows a time). Nil when the serial is out of range: the cell then reads as typed.
    public static func text(serial: Double, date1904: Bool, shown: Shown) -> String? {
        guard isInRange(serial) else { return nil }
        let moment = dateTime(serial: serial, date1904: date1904)
        // Rounding to the second may carry a time of 23:59:59.6 into the next day.
        let secondOfDay = serial < 1 ? Int((serial * 86_400).rounded()) % 86_400 : moment.secondOfDay
        if shown == .time || serial < 1 { return TimeOfDay(seconds: secondOfDay).description }
        if shown == .date && moment.secondOfDay == 0 { return moment.date.description }
        return moment.description
    }
}
