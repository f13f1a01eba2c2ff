/// A person's ID number as bulletin keeps it: a keyed pseudonym to match people by, the masked form
/// outputs show, and the checks the rules need, computed once when the row is read. The number itself
/// is never kept, so the store and every output are free of it (PIPL art. 51, GB/T 35273 去标识化).
public struct PersonID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// HMAC-SHA-256 of the number under the bureau's key, its first 128 bits.
    public let pseudonym: Pseudonym
    /// First 6 + `********` + last 4 (outputs.md).
    public let masked: String
    /// Why the number fails GB 11643 at the row's date, or nil when it passes.
    public let problem: String?
    /// Whether the 17th digit says male; nil when the number is invalid.
    public let isMale: Bool?

    public init(pseudonym: Pseudonym, masked: String, problem: String?, isMale: Bool?) {
        self.pseudonym = pseudonym
        self.masked = masked
        self.problem = problem
        self.isMale = isMale
    }

    public static func == (a: PersonID, b: PersonID) -> Bool { a.pseudonym == b.pseudonym }
    public func hash(into h: inout Hasher) { h.combine(pseudonym) }
    /// Masked form first, so orderings look the same as by number to a reader.
    public static func < (a: PersonID, b: PersonID) -> Bool { (a.masked, a.pseudonym) < (b.masked, b.pseudonym) }
    public var description: String { masked }
}

/// The first 128 bits of a keyed digest, as two integers: matched, hashed and stored without a String
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

    /// The first 16 bytes of `digest`, read big-endian (so the order is the digest's byte order).
    public init(digest: UnsafeRawBufferPointer) {
        precondition(digest.count >= 16, "a pseudonym needs 16 bytes of digest")
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<8 {
            high = high << 8 | UInt64(digest[i])
            low = low << 8 | UInt64(digest[8 + i])
        }
        self.init(high: high, low: low)
    }

    public static func < (a: Pseudonym, b: Pseudonym) -> Bool { (a.high, a.low) < (b.high, b.low) }

    /// Lower-case hex, 32 characters (for tests and debugging; no output shows a pseudonym).
    public var description: String {
        let hex = String(high, radix: 16), low = String(self.low, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + String(repeating: "0", count: 16 - low.count) + low
    }
}
