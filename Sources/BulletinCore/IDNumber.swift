/// Checks of a resident ID number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character.
public enum IDNumber {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Why an ID number fails, or nil when it passes every check of outputs.md.
    /// `asOf` bounds the birth date (nobody on a roster is born after the report date).
    public static func problem(_ id: String, asOf: LocalDate? = nil) -> String? {
        let chars = Array(id.utf8)
        guard chars.count == 18 else { return "长度为\(id.count)位，应为18位" }
        guard chars[0..<17].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return "前17位应全部为数字" }
        let last = chars[17]
        guard (last >= 0x30 && last <= 0x39) || last == 0x58 else { return "第18位应为数字或X" }
        let digits = chars[0..<17].map { Int($0 - 0x30) }
        let y = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
        let m = digits[10] * 10 + digits[11], d = digits[12] * 10 + digits[13]
        guard let birth = LocalDate(year: y, month: m, day: d), y >= 1900 else { return "出生日期\(y)-\(m)-\(d)不存在" }
        if let asOf, birth > asOf { return "出生日期晚于填报日期" }
        guard Character(UnicodeScalar(last)) == checkCharacter(digits) else { return "校验码错误" }
        return nil
    }

    /// The check character for the first 17 digits.
    public static func checkCharacter(_ digits: [Int]) -> Character {
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// Whether the 17th digit says male (odd) — only meaningful for a valid ID.
    public static func isMale(_ id: String) -> Bool {
        let chars = Array(id.utf8)
        return chars.count >= 17 && Int(chars[16] - 0x30) % 2 == 1
    }
}
