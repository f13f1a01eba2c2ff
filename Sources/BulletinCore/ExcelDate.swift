/// Excel's serial dates: the 1900 system (with its fictitious 1900-02-29, serial 60) and the 1904 system.
public enum ExcelDate {
    /// The day of a whole serial number.
    public static func day(serial: Int, date1904: Bool = false) -> LocalDate {
        if date1904 { return LocalDate(year: 1904, month: 1, day: 1)!.adding(days: serial) }
        // Serial 1 is 1900-01-01; serials from 61 on skip the day Excel invented.
        return LocalDate(year: 1899, month: 12, day: 30)!.adding(days: serial < 61 ? serial + 1 : serial)
    }

    /// A serial with a time fraction as a local date-time, to the second.
    public static func dateTime(serial: Double, date1904: Bool = false) -> LocalDateTime {
        let whole = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(whole)) * 86_400).rounded())
        return LocalDateTime(seconds: day(serial: whole, date1904: date1904).dayNumber * 86_400 + seconds)
    }

    /// Text for a date-styled cell: `2020-02-08`, or `2020-02-08 09:30:00` when it has a time.
    public static func text(serial: Double, date1904: Bool) -> String {
        let moment = dateTime(serial: serial, date1904: date1904)
        return moment.secondOfDay == 0 ? moment.date.description : moment.description
    }
}
