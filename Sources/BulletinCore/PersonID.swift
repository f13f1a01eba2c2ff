/// A person's ID number as bulletin keeps it: a keyed pseudonym to match people by, the masked form
/// outputs show, and the checks the rules need, computed once when the row is read. The number itself
/// is never kept, so the store and every output are free of it (PIPL art. 51, GB/T 35273 去标识化).
public struct PersonID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// HMAC-SHA-256 of the number under the bureau's key, hex (32 characters: 128 bits).
    public let pseudonym: String
    /// First 6 + `********` + last 4 (outputs.md).
    public let masked: String
    /// Why the number fails GB 11643 at the row's date, or nil when it passes.
    public let problem: String?
    /// Whether the 17th digit says male; nil when the number is invalid.
    public let isMale: Bool?

    public init(pseudonym: String, masked: String, problem: String?, isMale: Bool?) {
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
