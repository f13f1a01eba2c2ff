/// A person's ID number as bulletin keeps it: a keyed pseudonym to match people by, the masked form
/// outputs show, and the checks the rules need, computed once when the row is read. The number itself
/// is never kept, so the store and every output are free of it (PIPL art. 51, GB/T 35273 去标识化).
public struct PersonID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// AES-256-CMAC of the number under the bureau's key (128 bits); set after the rest when made with
    /// many others' (`Pseudonymizer.personAwaitingPseudonym`).
    public var pseudonym: Pseudonym
    /// First 6 + `********` + last 4 (outputs.md), kept as its visible characters.
    public let maskedID: MaskedID
    /// The masked form as outputs show it.
    public var masked: String { maskedID.description }
    /// Why the number fails GB 11643 at the row's date, or nil when it passes.
    public let problem: String?
    /// Whether the 17th digit says male; nil when the number is invalid.
    public let isMale: Bool?

    public init(pseudonym: Pseudonym, masked: MaskedID, problem: String?, isMale: Bool?) {
        self.pseudonym = pseudonym
        self.maskedID = masked
        self.problem = problem
        self.isMale = isMale
    }

    public static func == (a: PersonID, b: PersonID) -> Bool { a.pseudonym == b.pseudonym }
    public func hash(into h: inout Hasher) { h.combine(pseudonym) }
    /// Masked form first, so orderings look the same as by number to a reader.
    public static func < (a: PersonID, b: PersonID) -> Bool { (a.maskedID, a.pseudonym) < (b.maskedID, b.pseudonym) }
    public var description: String { masked }
}

/// A keyed digest's 128 bits (a CMAC), as two integers: matched, hashed and stored without a String
/// (people are joined by it across files and days, so it is compared millions of times a night).
public struct Pseudonym: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The digest's first eight bytes, big-endian.
    public let high: UInt64
    /// The digest's next eight bytes, big-endian.
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static func < (a: Pseudonym, b: Pseudonym) -> Bool { (a.high, a.low) < (b.high, b.low) }

    /// A pseudonym's bits are already uniform, and keyed by the bureau's secret (no one can make two
    /// collide without it): a table takes them as the hash as they are, mixed with its seed, instead of
    /// running SipHash over them per lookup (that was most of the roster rules' time in hashing).
    public func _rawHashValue(seed: Int) -> Int { Int(truncatingIfNeeded: low) ^ seed }

    /// Within a larger key (a rule's listed person), the pseudonym's low word.
    public func hash(into hasher: inout Hasher) { hasher.combine(low) }

    /// Lower-case hex, 32 characters (for tests and debugging; no output shows a pseudonym).
    public var description: String {
        Hex.string((0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? high : low) >> (8 * UInt64(7 - $0 % 8))) })
    }
}

/// An ID number masked as outputs.md says (first 6 + `********` + last 4; a value of fewer than 10
/// characters hidden whole). A typed number is ASCII: its 10 visible bytes are kept as two integers,
/// so a person costs no String until one is shown; anything else keeps its masked String.
public struct MaskedID: Hashable, Comparable, Sendable, CustomStringConvertible {
    private enum Form: Hashable, Sendable {
        /// The first six bytes (big-endian in the low 48 bits) and the last four.
        case ascii(head: UInt64, tail: UInt32)
        case other(String)
    }
    private let form: Form

    /// The masked form of the number whose UTF-8 bytes are `utf8`.
    public init(utf8: UnsafeBufferPointer<UInt8>) {
        guard MaskedID.isASCII(utf8) else {
            let chars = Array(String(decoding: utf8, as: UTF8.self))
            form = .other(chars.count < 10 ? String(repeating: "*", count: chars.count)
                                           : String(chars.prefix(6)) + "********" + String(chars.suffix(4)))
            return
        }
        guard utf8.count >= 10, let base = utf8.baseAddress else { form = .other(String(repeating: "*", count: utf8.count)); return }
        // The first six bytes and the last four, big-endian, each read as one word.
        let raw = UnsafeRawPointer(base)
        form = .ascii(head: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)) >> 16,
                      tail: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: utf8.count - 4, as: UInt32.self)))
    }

    /// Whether every byte is ASCII, eight at a time (every roster row's number passes here).
    private static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var seen: UInt64 = 0, i = 0
        while i &+ 8 <= b.count {
            seen |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        while i < b.count {
            seen |= UInt64(base[i])
            i &+= 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }

    /// The visible bytes as `visible` returns them: a store's copy (bytes outside ASCII are a corrupt store).
    public init?(head: UInt64, tail: UInt32) {
        guard head >> 48 == 0, (0..<6).allSatisfy({ head >> (8 * UInt64($0)) & 0x80 == 0 }),
              (0..<4).allSatisfy({ tail >> (8 * UInt32($0)) & 0x80 == 0 }) else { return nil }
        form = .ascii(head: head, tail: tail)
    }

    /// A masked form kept as text (not an ASCII number of 10 or more characters).
    public init(text: String) { form = .other(text) }

    /// The visible bytes of an ASCII number, or its masked text.
    public var visible: (head: UInt64, tail: UInt32)? {
        if case .ascii(let head, let tail) = form { return (head, tail) }
        return nil
    }

    public var description: String {
        switch form {
        case .other(let text): return text
        case .ascii(let head, let tail):
            return String(unsafeUninitializedCapacity: 18) { out in
                for i in 0..<6 { out[i] = UInt8(truncatingIfNeeded: head >> (8 * UInt64(5 - i))) }
                for i in 6..<14 { out[i] = UInt8(ascii: "*") }
                for i in 0..<4 { out[14 + i] = UInt8(truncatingIfNeeded: tail >> (8 * UInt32(3 - i))) }
                return 18
            }
        }
    }

    /// The order of the masked text (ASCII forms compare on their bytes, which is the same order).
    public static func < (a: MaskedID, b: MaskedID) -> Bool {
        if case .ascii(let ah, let at) = a.form, case .ascii(let bh, let bt) = b.form { return (ah, at) < (bh, bt) }
        return a.description < b.description
    }
}
