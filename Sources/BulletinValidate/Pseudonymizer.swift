import BulletinCore
import Crypto

/// Turns ID numbers into `PersonID`s under the bureau's key (HMAC-SHA-256), so the same person
/// matches across files and days while the number itself is never kept.
public struct Pseudonymizer: Sendable {
    nonisolated(unsafe) private let key: SymmetricKey   // immutable once made
    /// HMAC keyed once: each pseudonym copies it (copy-on-write) instead of padding the key again.
    nonisolated(unsafe) private let keyed: HMAC<SHA256>
    /// The key's own bytes, to pass to worker processes.
    public let keyBytes: [UInt8]

    /// Pseudonyms under the bureau key `key` (HMAC-SHA-256).
    public init(key: [UInt8]) {
        keyBytes = key
        self.key = SymmetricKey(data: key)
        keyed = HMAC<SHA256>(key: self.key)
    }

    /// A fixed key for tests and the benchmark (never for the bureau's data).
    public static let testing = Pseudonymizer(key: Array("bulletin-testing-key-not-for-data".utf8))

    /// The number's pseudonym, masked form and checks; `asOf` bounds its birth date.
    public func person(_ id: String, asOf: LocalDate?) -> PersonID {
        var hmac = keyed
        hmac.update(data: Array(id.utf8))
        let mac = hmac.finalize()
        let problem = IDNumber.problem(id, asOf: asOf)
        return PersonID(pseudonym: Hex.string(mac.prefix(16)), masked: Masking.idNumber(id), problem: problem,
                        isMale: problem == nil ? IDNumber.isMale(id) : nil)
    }

    /// A keyed digest of any bytes (a file's path, say), for a store that must not hold them in the clear.
    public func digest(_ bytes: [UInt8]) -> String {
        var hmac = keyed
        hmac.update(data: bytes)
        return Hex.string(hmac.finalize().prefix(16))
    }

    /// A short fingerprint of the key, stored with the data it keyed: another key means rebuild.
    public var fingerprint: String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Array("bulletin key check".utf8), using: key).prefix(8))
    }
}

/// Lower-case hex without `String(format:)` (which is slow).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
