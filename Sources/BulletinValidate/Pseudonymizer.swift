import BulletinCore
import Crypto

/// Turns ID numbers into `PersonID`s under the bureau's key (HMAC-SHA-256), so the same person
/// matches across files and days while the number itself is never kept.
public struct Pseudonymizer: Sendable {
    /// HMAC keyed once (RFC 2104): each pseudonym copies these states instead of padding the key again.
    private let keyed: KeyedSHA256
    /// The key's own bytes, to pass to worker processes.
    public let keyBytes: [UInt8]

    /// Pseudonyms under the bureau key `key` (HMAC-SHA-256).
    public init(key: [UInt8]) {
        keyBytes = key
        keyed = KeyedSHA256(key: key)
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
        let problem = IDNumber.problem(utf8: utf8, asOf: asOf)
        return PersonID(pseudonym: keyed.pseudonym(of: UnsafeRawBufferPointer(utf8)), masked: MaskedID(utf8: utf8), problem: problem,
                        isMale: problem == nil ? IDNumber.isMale(utf8: utf8) : nil)
    }

    /// A keyed digest of any bytes (a file's path, say), for a store that must not hold them in the clear.
    public func digest(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { keyed.pseudonym(of: $0) }.description
    }

    /// A short fingerprint of the key, stored with the data it keyed: another key means rebuild.
    public var fingerprint: String {
        Hex.string(Array("bulletin key check".utf8).withUnsafeBytes { keyed.mac($0) }.prefix(8))
    }
}

/// HMAC-SHA-256 (RFC 2104) with the padded key hashed once: the inner and outer states are copied per
/// message and fed through `SHA256`'s non-generic buffer entry, so a pseudonym costs two compressions
/// and no type lookups (`HMAC.update(data:)` is generic over `DataProtocol` and not specialised here).
/// Tests hold it to `HMAC<SHA256>`.
struct KeyedSHA256: Sendable {
    nonisolated(unsafe) private let inner: SHA256   // immutable once made; copied per message
    nonisolated(unsafe) private let outer: SHA256

    init(key: [UInt8]) {
        var block = key.count > 64 ? Array(SHA256.hash(data: key)) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256(), outer = SHA256()
        block.map { $0 ^ 0x36 }.withUnsafeBytes { inner.update(bufferPointer: $0) }
        block.map { $0 ^ 0x5C }.withUnsafeBytes { outer.update(bufferPointer: $0) }
        self.inner = inner
        self.outer = outer
    }

    /// The MAC of `message`.
    func mac(_ message: UnsafeRawBufferPointer) -> SHA256.Digest {
        var i = inner, o = outer
        i.update(bufferPointer: message)
        i.finalize().withUnsafeBytes { o.update(bufferPointer: $0) }
        return o.finalize()
    }

    /// The MAC's first 128 bits.
    func pseudonym(of message: UnsafeRawBufferPointer) -> Pseudonym {
        mac(message).withUnsafeBytes { Pseudonym(digest: $0) }
    }
}
