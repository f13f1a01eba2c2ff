/// Checks of a resident ID number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character.
public enum IDNumber {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Why an ID number fails, or nil when it passes every check of outputs.md.
    /// `asOf` bounds the birth date (nobody on a roster is born after the report date).
    public static func problem(_ id: String, asOf: LocalDate? = nil) -> String? {
        var utf8 = id
        return utf8.withUTF8 { problem(utf8: $0, asOf: asOf) }
    }

    /// `problem(_:asOf:)` on the number's UTF-8 bytes.
    public static func problem(utf8 chars: UnsafeBufferPointer<UInt8>, asOf: LocalDate?) -> String? {
        guard chars.count == 18, let base = chars.baseAddress else { return "长度为\(String(decoding: chars, as: UTF8.self).count)位，应为18位" }
        // The first sixteen bytes as two words, checked as digits together (every roster row passes here).
        let raw = UnsafeRawPointer(base)
        let low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard areDigits(low), areDigits(high), chars[16] &- 0x30 <= 9 else { return "前17位应全部为数字" }
        // Σ digit × 2^(17−i), the weights' sum (weight i is 2^(17−i) mod 11) by Horner's rule: no table per digit.
        var sum = 0
        @inline(__always) func add(_ word: UInt64) {
            for k in 0..<8 { sum = (sum &+ Int(truncatingIfNeeded: word >> (8 &* UInt64(k)) & 0x0F)) &* 2 }
        }
        add(low)
        add(high)
        sum = (sum &+ Int(chars[16] &- 0x30)) &* 2
        let last = chars[17]
        guard (last >= 0x30 && last <= 0x39) || last == 0x58 else { return "第18位应为数字或X" }
        func digit(_ i: Int) -> Int { Int(chars[i] - 0x30) }
        let y = digit(6) * 1000 + digit(7) * 100 + digit(8) * 10 + digit(9)
        let m = digit(10) * 10 + digit(11), d = digit(12) * 10 + digit(13)
        guard let birth = LocalDate(year: y, month: m, day: d), y >= 1900 else { return "出生日期\(y)-\(m)-\(d)不存在" }
        if let asOf, birth > asOf { return "出生日期晚于填报日期" }
        let check = (12 - sum % 11) % 11   // ISO 7064 MOD 11-2: 10 is written X
        guard last == (check == 10 ? 0x58 : 0x30 + UInt8(check)) else { return "校验码错误" }
        return nil
    }

    /// Whether each of the eight bytes of `word` is an ASCII digit: its high nibble 3, its low one at most
    /// 9 (adding 6 to a nibble of 0–9 stays below 16; the sum never carries into the next byte).
    @inline(__always)
    static func areDigits(_ word: UInt64) -> Bool {
        let nibbles: UInt64 = 0x0F0F_0F0F_0F0F_0F0F
        return word & ~nibbles == 0x3030_3030_3030_3030 && (word & nibbles &+ 0x0606_0606_0606_0606) & ~nibbles == 0
    }

    /// The check character for the first 17 digits.
    public static func checkCharacter(_ digits: [Int]) -> Character {
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// Whether the 17th digit says male (odd) — only meaningful for a valid ID.
    public static func isMale(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { isMale(utf8: $0) }
    }

    /// `isMale(_:)` on the number's UTF-8 bytes.
    public static func isMale(utf8 chars: UnsafeBufferPointer<UInt8>) -> Bool {
        chars.count >= 17 && chars[16] >= 0x30 && Int(chars[16] - 0x30) % 2 == 1
    }
}
