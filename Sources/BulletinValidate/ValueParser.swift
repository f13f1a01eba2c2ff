import BulletinCore
import BulletinIngest

/// Reads the typed values of forms.md from a cell's bytes.
///
/// Each function takes trimmed, full-width-folded bytes (see `TextBytes.fold`), read in place
/// (the sheet's own bytes when a cell needs no folding), and returns nil when the text is not a value
/// of that type.
public enum ValueParser {
    /// A cell's bytes, lent.
    public typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The largest count accepted: no institution counts a billion people, and with counts this
    /// small no sum over any landing can overflow (10⁹ × 10⁹ rows < `Int.max`).
    public static let maxCount = 999_999_999

    /// A whole number from 0 to `maxCount`: `12`, `12.0`, `1,234` (full-width digits folded before).
    public static func count(_ b: Bytes) -> Int? {
        var value = 0
        var i = 0
        var digits = 0
        var sawComma = false
        var groupDigits = 0
        while i < b.count {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                value = value &* 10 &+ Int(c - 0x30)
                digits += 1
                groupDigits += 1
                if value > maxCount { return nil }
            } else if c == 0x2C {  // ','
                if digits == 0 || (sawComma && groupDigits != 3) || (!sawComma && groupDigits > 3) { return nil }
                sawComma = true
                groupDigits = 0
            } else if c == 0x2E {  // '.', only zeros may follow
                var j = i + 1
                guard j < b.count else { return nil }
                while j < b.count { if b[j] != 0x30 { return nil }; j += 1 }
                break
            } else {
                return nil
            }
            i += 1
        }
        if digits == 0 || (sawComma && groupDigits != 3) { return nil }
        return value
    }

    /// A yes/no: 是/否, Y/N, yes/no, true/false, 1/0, √/×.
    public static func yesNo(_ b: Bytes) -> Bool? {
        // 是 and 否 by their three bytes, before packing: most cells hold one of them.
        if b.count == 3, let p = b.baseAddress {
            let three = UInt64(p[0]) | UInt64(p[1]) << 8 | UInt64(p[2]) << 16 | 3 << 56
            if three == yes { return true }
            if three == no { return false }
        }
        guard let word = packed(b) else { return nil }
        if yesWords.contains(word) { return true }
        if noWords.contains(word) { return false }
        return nil
    }

    // The words packed into integers: matched per cell without walking arrays of byte arrays
    // (which retained every word it compared, three yes/no columns in every roster row).
    private static let yesWords = ["是", "y", "yes", "true", "1", "√", "✓", "1.0"].map(packedWord)
    private static let noWords = ["否", "n", "no", "false", "0", "×", "✗", "x", "0.0"].map(packedWord)
    private static func packedWord(_ word: String) -> UInt64 { Array(word.utf8).withUnsafeBufferPointer { packed($0)! } }
    /// 是 and 否 packed (three bytes each: 是 is E6 98 AF, 否 E5 90 A6), as literals: no lazy global per
    /// cell. A test holds them to `packed` of the words.
    @_spi(Testing) public static let yes: UInt64 = 3 << 56 | 0xAF_98_E6, no: UInt64 = 3 << 56 | 0xA6_90_E5

    /// Up to seven bytes, ASCII letters lower-cased, and their count, as one integer; nil when longer.
    @_spi(Testing) public static func packed(_ b: Bytes) -> UInt64? {
        guard b.count <= 7 else { return nil }
        var v = UInt64(b.count) << 56
        for k in 0..<b.count { v |= UInt64(b[k] >= 0x41 && b[k] <= 0x5A ? b[k] | 0x20 : b[k]) << (8 * UInt64(k)) }
        return v
    }

    /// A date in any form of forms.md; `referenceYear` completes `2月8日`.
    public static func date(_ b: Bytes, referenceYear: Int?) -> LocalDate? {
        guard let (date, rest) = datePrefix(b, referenceYear: referenceYear) else { return nil }
        // A date cell may carry a midnight time, as Excel writes date cells (`2020-02-08T00:00:00.000`).
        if rest.isEmpty { return date }
        return timeOfDay(rest) != nil ? date : nil
    }

    /// A date-time: a date, then a time (`9:30`, `09:30:00`, `9时30分`), or an Excel serial with a fraction.
    public static func dateTime(_ b: Bytes, referenceYear: Int?) -> LocalDateTime? {
        if let serial = excelSerial(b) { return ExcelDate.dateTime(serial: serial) }
        guard let (date, rest) = datePrefix(b, referenceYear: referenceYear), !rest.isEmpty,
              let t = timeOfDay(rest) else { return nil }
        return LocalDateTime(date: date, secondOfDay: t)
    }

    /// A time alone (`22:00`, `6时`), in seconds after midnight.
    public static func time(_ b: Bytes) -> Int? { timeOfDay(b[...]) }

    // MARK: - Pieces

    /// A plain number between 1 and 2958465 with at most one decimal point: an Excel serial.
    static func excelSerial(_ b: Bytes) -> Double? {
        guard !b.isEmpty, b.count <= 20 else { return nil }
        var dots = 0
        var intDigits = 0
        for c in b {
            if c == 0x2E { dots += 1 } else if c >= 0x30 && c <= 0x39 { if dots == 0 { intDigits += 1 } } else { return nil }
        }
        guard dots <= 1, (1...7).contains(intDigits) else { return nil }
        guard let v = Double(String(decoding: b, as: UTF8.self)), v >= 1, v < 2_958_466 else { return nil }
        return v
    }

    private static let year = Array("年".utf8), month = Array("月".utf8), day = Array("日".utf8)
    private static let hourMark = Array("时".utf8), hourMark2 = Array("點".utf8), minuteMark = Array("分".utf8),
                       secondMark = Array("秒".utf8), hourMark3 = Array("点".utf8)

    /// Reads digits at `i`, returning the number and how many digits there were.
    private static func digits(_ b: Slice<Bytes>, _ i: inout Int) -> (Int, Int) {
        var v = 0, n = 0
        while i < b.endIndex, b[i] >= 0x30, b[i] <= 0x39, n < 9 { v = v * 10 + Int(b[i] - 0x30); i += 1; n += 1 }
        return (v, n)
    }

    private static func hasPrefix(_ b: Slice<Bytes>, _ i: Int, _ p: [UInt8]) -> Bool {
        guard b.endIndex - i >= p.count else { return false }
        for k in 0..<p.count where b[i + k] != p[k] { return false }
        return true
    }

    /// Parses a leading date; returns it with the rest of the text after separating spaces or `T`.
    static func datePrefix(_ whole: Bytes, referenceYear: Int?) -> (LocalDate, Slice<Bytes>)? {
        // The forms most cells hold alone (`2020-02-08`, `2020/2/8`, `2020.2.8`), read through the pointer:
        // what the general reading below makes of them, at a fraction of the cost. Anything else goes on.
        if (8...10).contains(whole.count), let p = whole.baseAddress, p[4] == 0x2D || p[4] == 0x2F || p[4] == 0x2E {
            let n = whole.count, separator = p[4]
            @inline(__always) func digit(_ k: Int) -> Int? {
                let c = p[k] &- 0x30
                return c <= 9 ? Int(c) : nil
            }
            if let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3), var month = digit(5) {
                var k = 6
                if let m1 = digit(k) { month = month * 10 + m1; k += 1 }
                if k + 1 < n, p[k] == separator, var day = digit(k + 1) {
                    k += 2
                    if k < n, let d1 = digit(k) { day = day * 10 + d1; k += 1 }
                    if k == n {
                        return LocalDate(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: month, day: day)
                            .map { ($0, whole[whole.endIndex...]) }
                    }
                }
            }
        }
        let b = whole[...]
        var i = b.startIndex
        // An Excel serial (date cell written as a number, possibly with a time fraction).
        if let serial = excelSerial(whole) {
            return (ExcelDate.day(serial: Int(serial.rounded(.down))), whole[whole.endIndex...])
        }
        let (first, firstLen) = digits(b, &i)
        guard firstLen > 0 else { return nil }
        var y = 0, m = 0, d = 0
        if firstLen == 8 && (i == b.endIndex || b[i] == 0x20 || b[i] == 0x54) {
            y = first / 10000; m = first / 100 % 100; d = first % 100           // 20200208
        } else if firstLen == 4, i < b.endIndex, b[i] == 0x2D || b[i] == 0x2F || b[i] == 0x2E {  // 2020-02-08, 2020/2/8, 2020.2.8
            let sep = b[i]; i += 1
            let (mm, ml) = digits(b, &i)
            guard ml >= 1, ml <= 2, i < b.endIndex, b[i] == sep else { return nil }
            i += 1
            let (dd, dl) = digits(b, &i)
            guard dl >= 1, dl <= 2 else { return nil }
            y = first; m = mm; d = dd
        } else if firstLen == 4, hasPrefix(b, i, year) {                      // 2020年2月8日
            i += year.count
            let (mm, ml) = digits(b, &i)
            guard ml >= 1, ml <= 2, hasPrefix(b, i, month) else { return nil }
            i += month.count
            let (dd, dl) = digits(b, &i)
            guard dl >= 1, dl <= 2 else { return nil }
            if hasPrefix(b, i, day) { i += day.count }
            y = first; m = mm; d = dd
        } else if firstLen <= 2, hasPrefix(b, i, month) {                     // 2月8日
            guard let ry = referenceYear else { return nil }
            i += month.count
            let (dd, dl) = digits(b, &i)
            guard dl >= 1, dl <= 2 else { return nil }
            if hasPrefix(b, i, day) { i += day.count }
            y = ry; m = first; d = dd
        } else {
            return nil
        }
        guard let date = LocalDate(year: y, month: m, day: d) else { return nil }
        // Separator before a time: spaces or ISO's `T`; after `日` none is needed (`2020年2月8日9时30分`).
        var rest = b[i...]
        let endsWithDay = i >= day.count && hasPrefix(b, i - day.count, day)
        if let f = rest.first, f == 0x54 { rest = rest.dropFirst() }
        else {
            guard rest.isEmpty || rest.first == 0x20 || endsWithDay else { return nil }
            while let f = rest.first, f == 0x20 { rest = rest.dropFirst() }
        }
        return (date, rest)
    }

    /// `9:30`, `09:30:00`, `09:30:00.000`, `9时30分`, `9时30分15秒`, `9点30分`.
    static func timeOfDay(_ b: Slice<Bytes>) -> Int? {
        var i = b.startIndex
        let (h, hl) = digits(b, &i)
        guard hl >= 1, hl <= 2, h <= 23 else { return nil }
        var m = 0, s = 0
        if i < b.endIndex, b[i] == 0x3A {
            i += 1
            let (mm, ml) = digits(b, &i)
            guard ml == 2 || ml == 1, mm <= 59 else { return nil }
            m = mm
            if i < b.endIndex, b[i] == 0x3A {
                i += 1
                let (ss, sl) = digits(b, &i)
                guard sl == 2 || sl == 1, ss <= 59 else { return nil }
                s = ss
                if i < b.endIndex, b[i] == 0x2E {     // fractional seconds
                    i += 1
                    let (_, fl) = digits(b, &i)
                    guard fl > 0 else { return nil }
                }
            }
        } else if hasPrefix(b, i, hourMark) || hasPrefix(b, i, hourMark3) || hasPrefix(b, i, hourMark2) {
            i += hourMark.count
            let (mm, ml) = digits(b, &i)
            if ml > 0 {
                guard ml <= 2, mm <= 59, hasPrefix(b, i, minuteMark) else { return nil }
                i += minuteMark.count
                m = mm
                let (ss, sl) = digits(b, &i)
                if sl > 0 {
                    guard sl <= 2, ss <= 59, hasPrefix(b, i, secondMark) else { return nil }
                    i += secondMark.count
                    s = ss
                }
            }
        } else {
            return nil
        }
        guard i == b.endIndex else { return nil }
        return h * 3600 + m * 60 + s
    }
}
