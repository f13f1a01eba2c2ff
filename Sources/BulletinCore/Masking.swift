/// Masking of personal numbers: no full ID number or phone number ever reaches an output.
public enum Masking {
    /// An ID number as first 6 + `********` + last 4 (outputs.md); short values are hidden whole.
    public static func idNumber(_ id: String) -> String {
        var id = id
        return id.withUTF8 { MaskedID(utf8: $0).description }
    }

    /// A name with all but its first character hidden (`王*`, `欧阳**`), for the work list.
    public static func name(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: name.count - 1)
    }

    /// A phone number with everything but its last 4 digits hidden (`*******5678`).
    public static func phone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count > 4 else { return String(repeating: "*", count: chars.count) }
        return String(repeating: "*", count: chars.count - 4) + String(chars.suffix(4))
    }

    /// The one scrubber for every string bulletin writes (CSV, JSON, HTML, PDF, run.log, stderr,
    /// `check`): ID numbers (15 or 18 characters) anywhere, mobile numbers with or without `+86`,
    /// spaces or hyphens (`138-0013-8000`, `138 0013 8000`), landlines with an area code
    /// (`0531-88886666`, `(0531)8888666`), and any other run of 11 or more digits are masked; control
    /// characters (a NUL, say) are dropped. Machine fields (digests) are written without it.
    public static func scrub(_ text: String) -> String {
        // Fast path, on the bytes and without allocating (this runs for every text cell and every path
        // written): nothing to mask without 10 digits in one run of digits and the separators a number
        // may hold (spaces, hyphens, parentheses, full-width ones, +), and nothing to drop without a
        // control character. A path like `2020-02-26/花名册/370102001.csv` has 18 digits but no such run.
        var contiguous = text
        if contiguous.withUTF8(Masking.isPlain) { return text }
        let scalars = Array(text.unicodeScalars)
        // Written only from the first change on: most texts here (dates with times) keep every scalar.
        var out: String.UnicodeScalarView?
        var i = 0
        while i < scalars.count {
            if isControl(scalars[i]) {
                if out == nil { out = String.UnicodeScalarView(scalars[..<i]) }
                i += 1
            } else if let (end, masked) = number(at: i, in: scalars) {
                if out == nil { out = String.UnicodeScalarView(scalars[..<i]) }
                out!.append(contentsOf: masked.unicodeScalars)
                i = end
            } else {
                out?.append(scalars[i])
                i += 1
            }
        }
        return out.map(String.init) ?? text
    }

    /// Whether `utf8` has nothing to scrub: no run of 10 digits (with the separators a number may hold)
    /// and no control character. Read through a pointer (a String's UTF-8 view costs a check per byte).
    private static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        // Fewer than 10 bytes hold no run of 10 digits: only control characters to look for (most cells
        // of a table are such: counts, codes, dates).
        if utf8.count < 10 { return !utf8.contains(where: isControl) }
        var run = 0, longest = 0, controls = false
        for b in utf8 {
            if b >= 0x30 && b <= 0x39 {
                run += 1
                longest = max(longest, run)
            } else if !Masking.mayJoinDigits(b) {
                run = 0
                if isControl(b) { controls = true }
            }
        }
        return longest < 10 && !controls
    }

    /// Whether the byte may sit between the digits of one number: an ASCII separator of `number(at:in:)`,
    /// or a byte of the UTF-8 of （ and ） (EF BC 88, EF BC 89; any such byte keeps a run going, which
    /// only ever sends more text down the careful path).
    @inline(__always)
    private static func mayJoinDigits(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x2D, 0x28, 0x29, 0x2B, 0xEF, 0xBC, 0x88, 0x89: return true
        default: return false
        }
    }

    private static func isControl(_ u: Unicode.Scalar) -> Bool { u.isASCII && isControl(UInt8(u.value)) }

    /// A control character written nowhere (tab and line breaks are text), as one byte.
    @inline(__always)
    private static func isControl(_ b: UInt8) -> Bool { b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D || b == 0x7F }

    private static func isDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 0x30 && u.value <= 0x39 }

    /// What may separate the groups of a number's digits: `-`, a space, `(`, `)`, `（`, `）` or `+`.
    private static func isGroupSeparator(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x2D, 0x20, 0x28, 0x29, 0xFF08, 0xFF09, 0x2B: return true
        default: return false
        }
    }

    /// A personal number starting at `i` (not in the middle of a longer run of digits): where it
    /// ends and its masked text.
    private static func number(at start: Int, in s: [Unicode.Scalar]) -> (Int, String)? {
        guard start == 0 || !isDigit(s[start - 1]) else { return nil }
        var i = start
        // A number starts with a digit, or with the + of +86.
        guard isDigit(s[i]) || (s[i] == "+" && i + 1 < s.count && isDigit(s[i + 1])) else { return nil }
        // Digits, allowing single spaces, hyphens and one pair of parentheses between groups: counted as
        // they come (this runs for every date with a time), the digits' text made only for a candidate.
        var count = 0, groups = 0, firstGroup = 0, lastGroup = 0, current = 0
        func closeGroup() {
            guard current > 0 else { return }
            groups += 1
            if groups == 1 { firstGroup = current }
            lastGroup = current
        }
        var end = i
        while i < s.count {
            let u = s[i]
            if isDigit(u) {
                count += 1
                current += 1
                i += 1
                end = i
            } else if (u == "X" || u == "x") && count == 17 && current > 0 {
                count += 1
                i += 1
                end = i
                break
            } else if isGroupSeparator(u), i + 1 < s.count, isDigit(s[i + 1]) || (u == ")" || u == "）") {
                closeGroup()
                current = 0
                i += 1
            } else {
                break
            }
        }
        closeGroup()
        guard count >= 10 else { return nil }
        // The digits (and a final X, as `X`) without the separators.
        var digitBytes: [UInt8] = []
        digitBytes.reserveCapacity(count)
        for u in s[start..<end] where isDigit(u) || u == "X" || u == "x" {
            digitBytes.append(isDigit(u) ? UInt8(u.value) : UInt8(ascii: "X"))
        }
        let digitText = String(decoding: digitBytes, as: UTF8.self)
        if groups == 1 {
            // One run: an ID number (15 or 18, or 17 and X), or 11+ digits of a phone.
            guard count >= 11 else { return nil }
            return (end, count >= 15 ? idNumber(digitText) : phone(digitText))
        }
        // Separated groups must look like a phone: a mobile (3-4-4, maybe after 86), or a landline
        // (area code 0 + 2–3 digits, then 7–8 digits). Dates and times never take this shape.
        let body = digitText.hasPrefix("86") && count == 13 ? String(digitText.dropFirst(2))
            : digitText.hasPrefix("0086") && count == 15 ? String(digitText.dropFirst(4)) : digitText
        let mobile = body.count == 11 && body.hasPrefix("1") && "3456789".contains(body[body.index(after: body.startIndex)])
        let landline = digitText.hasPrefix("0") && (3...4).contains(firstGroup) && (10...12).contains(count)
            && (7...8).contains(lastGroup)
        guard mobile || landline else { return nil }
        return (end, phone(digitText))
    }
}
