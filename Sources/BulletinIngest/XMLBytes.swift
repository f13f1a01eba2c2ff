#if canImport(Glibc)
import Glibc
#endif

/// What `XMLScanner` reads bytes by, with no state of its own: the byte classes of names, text and
/// attribute values, the XML declaration it accepts, the predefined entities and character references,
/// the packed keys names are looked up by, and short searches.
enum XMLBytes {
    /// The end of an XML declaration of version 1.0 in UTF-8 starting at `start`: nil when incomplete,
    /// 0 when it is one to leave to libxml2.
    static func declarationEnd(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int? {
        var j = start + 5
        while j + 1 < count, !(base[j] == 0x3F && base[j + 1] == 0x3E) {
            guard j - start < 200 else { return 0 }
            j += 1
        }
        guard j + 1 < count else { return nil }
        let text = Array(UnsafeBufferPointer(start: base + start + 5, count: j - start - 5))
        // Pseudo-attributes in their order: version, then encoding, then standalone.
        var pairs: [([UInt8], [UInt8])] = []
        var k = 0
        while k < text.count {
            guard isSpace(text[k]) else { return 0 }
            while k < text.count, isSpace(text[k]) { k += 1 }
            if k == text.count { break }
            var name: [UInt8] = []
            while k < text.count, text[k] >= 0x61 && text[k] <= 0x7A { name.append(text[k]); k += 1 }
            guard k + 1 < text.count, text[k] == 0x3D, text[k + 1] == 0x22 || text[k + 1] == 0x27 else { return 0 }
            let quote = text[k + 1]
            k += 2
            var value: [UInt8] = []
            while k < text.count, text[k] != quote { value.append(text[k]); k += 1 }
            guard k < text.count else { return 0 }
            k += 1
            pairs.append((name, value))
        }
        let order: [[UInt8]] = [Array("version".utf8), Array("encoding".utf8), Array("standalone".utf8)]
        guard let first = pairs.first, first.0 == order[0], first.1 == Array("1.0".utf8) else { return 0 }
        var at = 1
        for (name, value) in pairs.dropFirst() {
            guard let place = order.firstIndex(of: name), place > at - 1 else { return 0 }
            switch place {
            // Letters compared without case, and nothing else: OR-ing 0x20 into every byte read "UTF\r8"
            // (CR is 0x0D) as "utf-8", a name libxml2 refuses.
            case 1: guard value.map({ (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }) == Array("utf-8".utf8) else { return 0 }
            case 2: guard value == Array("yes".utf8) || value == Array("no".utf8) else { return 0 }
            default: return 0
            }
            at = place + 1
        }
        return j + 2
    }

    /// Whether bytes are XML characters as written: no control character but tab, LF and CR, no U+FFFE or U+FFFF.
    static func plainText(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var j = start
        while j < end {
            let c = base[j]
            if c < 0x20, c != 0x09, c != 0x0A, c != 0x0D { return false }
            if c == 0xEF, j + 2 < end, base[j + 1] == 0xBF, base[j + 2] >= 0xBE { return false }
            j += 1
        }
        return true
    }

    /// The character of an entity reference between '&' and ';': the five predefined ones and
    /// character references to XML characters.
    static func entity(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Unicode.Scalar? {
        let length = end - start
        guard length >= 2 else { return nil }
        if base[start] == 0x23 {   // #
            var value: UInt32 = 0
            var k = start + 1
            let hex = base[k] == 0x78
            if hex { k += 1 }
            guard k < end, end - k <= 6 else { return nil }
            while k < end {
                let c = base[k]
                let digit: UInt32
                switch c {
                case 0x30...0x39: digit = UInt32(c - 0x30)
                case 0x61...0x66 where hex: digit = UInt32(c - 0x61 + 10)
                case 0x41...0x46 where hex: digit = UInt32(c - 0x41 + 10)
                default: return nil
                }
                value = value * (hex ? 16 : 10) + digit
                k += 1
            }
            let isChar = value == 0x9 || value == 0xA || (value >= 0x20 && value <= 0xD7FF)
                || (value >= 0xE000 && value <= 0xFFFD) || (value >= 0x10000 && value <= 0x10FFFF)
            // A character reference to CR stands for itself (no line-end rewriting), as libxml2 keeps it.
            guard isChar || value == 0xD else { return nil }
            return Unicode.Scalar(value)
        }
        for (name, scalar) in Self.predefined where name.count == length {
            if name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base + start, length) == 0 }) { return scalar }
        }
        return nil
    }

    private static let predefined: [([UInt8], Unicode.Scalar)] = [
        (Array("lt".utf8), "<"), (Array("gt".utf8), ">"), (Array("amp".utf8), "&"),
        (Array("quot".utf8), "\""), (Array("apos".utf8), "'"),
    ]

    /// Bytes text stops at: '&', ']', 0xEF, and control characters other than tab and LF.
    static let textClasses: [UInt8] = (0..<256).map { b in
        (b < 0x20 && b != 0x09 && b != 0x0A) || b == 0x26 || b == 0x5D || b == 0xEF ? 1 : 0
    }

    /// Bytes an attribute value stops at: both quotes, '<', '&', 0xEF and every control character.
    static let valueClasses: [UInt8] = (0..<256).map { b in
        b < 0x20 || b == 0x22 || b == 0x27 || b == 0x3C || b == 0x26 || b == 0xEF ? 1 : 0
    }

    /// 2: may start a name (letters, '_'); 1: may follow (digits, '.', '-'); 3: ':'.
    static let nameClasses: [UInt8] = (0..<256).map { b in
        switch UInt8(b) {
        case 0x41...0x5A, 0x61...0x7A, 0x5F: return 2
        case 0x30...0x39, 0x2E, 0x2D: return 1
        case 0x3A: return 3
        default: return 0
        }
    }

    /// A name's length and its first seven bytes in one word (the eighth folded in): equal keys mean
    /// equal names up to seven bytes.
    @inline(__always)
    static func key(_ name: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var word: UInt64 = 0
        for k in 0..<min(length, 8) { word |= UInt64(name[k]) << (8 * k) }
        return key(word: word, length)
    }

    /// The same key from the name's first eight bytes read as one little-endian word (where eight bytes
    /// can be read: a name is followed by the rest of its tag); bytes past the name are masked off.
    @inline(__always)
    static func key(word: UInt64, _ length: Int) -> UInt64 {
        let word = UInt64(littleEndian: word)
        let first7 = length >= 7 ? word & 0x00FF_FFFF_FFFF_FFFF : word & ((1 << (8 * UInt64(length))) - 1)
        let eighth = length >= 8 ? (word >> 56) << 48 : 0
        return (UInt64(truncatingIfNeeded: length) << 56) | (first7 ^ eighth)
    }

    /// Byte-wise equality of two short runs (a call to memcmp costs more than the names it compares).
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        for k in 0..<length where a[k] != b[k] { return false }
        return true
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D }

    static func isWhiteSpace(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        (start..<end).allSatisfy { isSpace(base[$0]) }
    }

    /// Where `byte` first stands in `start..<end`: looked for a byte at a time over the first sixteen
    /// (a cell's value or attribute is shorter than a call to memchr costs), then by memchr.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var j = start
        let near = min(end, start + 16)
        while j < near {
            if base[j] == byte { return j }
            j += 1
        }
        guard end > j, let found = memchr(base + j, Int32(byte), end - j) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    static func lastIndex(of byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var j = end
        while j > start {
            j -= 1
            if base[j] == byte { return j }
        }
        return nil
    }
}
