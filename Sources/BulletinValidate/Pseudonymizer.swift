import BulletinCore

/// Turns ID numbers into `PersonID`s under the bureau's key (AES-CMAC), so the same person
/// matches across files and days while the number itself is never kept.
public struct Pseudonymizer: Sendable {
    /// CMAC under the key, its subkeys made once.
    private let keyed: KeyedCMAC
    /// The AES key the pseudonyms are made under (the bureau key when it is 32 bytes, else its SHA-256),
    /// sent to worker processes, which make the same pseudonyms with it. (Computed: a stored array was
    /// retained each time a row handed the pseudonymizer on.)
    public var keyBytes: [UInt8] { keyed.keyBytes }

    /// Pseudonyms under the bureau key `key` (AES-256-CMAC; a key of another length than 32 bytes is
    /// hashed to 32 with SHA-256 first).
    public init(key: [UInt8]) {
        keyed = KeyedCMAC(key: key)
    }

    /// A fixed key for tests and the benchmark (never for the bureau's data).
    public static let testing = Pseudonymizer(key: Array("bulletin-testing-key-not-for-data".utf8))

    /// The number's pseudonym, masked form and checks; `asOf` bounds its birth date.
    public func person(_ id: String, asOf: LocalDate?) -> PersonID {
        var id = id
        return id.withUTF8 { person(utf8: $0, asOf: asOf) }
    }

    /// The pseudonym, masked form and checks of the number whose UTF-8 is `utf8`.
    public func person(utf8: UnsafeBufferPointer<UInt8>, asOf: LocalDate?) -> PersonID {
        var person = personAwaitingPseudonym(utf8: utf8, asOf: asOf)
        person.pseudonym = keyed.pseudonym(of: UnsafeRawBufferPointer(utf8))
        return person
    }

    /// `person(utf8:asOf:)` without the pseudonym (zero until it is set): for numbers whose pseudonyms
    /// are made many at once (`pseudonyms(of:into:)`).
    public func personAwaitingPseudonym(utf8: UnsafeBufferPointer<UInt8>, asOf: LocalDate?) -> PersonID {
        let problem = IDNumber.problem(utf8: utf8, asOf: asOf)
        return PersonID(pseudonym: Pseudonym(high: 0, low: 0), masked: MaskedID(utf8: utf8), problem: problem,
                        isMale: problem == nil ? IDNumber.isMale(utf8: utf8) : nil)
    }

    /// The pseudonyms of `numbers`, as `person(utf8:asOf:)` makes each, made together
    /// (`KeyedCMAC.pseudonyms(of:into:)`).
    public func pseudonyms(of numbers: UnsafeBufferPointer<UnsafeRawBufferPointer>, into out: UnsafeMutableBufferPointer<Pseudonym>) {
        keyed.pseudonyms(of: numbers, into: out)
    }

    /// A keyed digest of any bytes (a file's path, say), for a store that must not hold them in the clear.
    public func digest(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { keyed.pseudonym(of: $0) }.description
    }

    /// A short fingerprint of the key, stored with the data it keyed: another key means rebuild.
    public var fingerprint: String {
        Array("bulletin key check (AES-CMAC)".utf8).withUnsafeBytes { message in
            withUnsafeBytes(of: keyed.mac(message).words) { Hex.string($0.prefix(8)) }
        }
    }
}
