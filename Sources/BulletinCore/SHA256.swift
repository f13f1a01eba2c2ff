internal import COpenSSL

/// SHA-256 through OpenSSL's libcrypto (SHA extensions where the CPU has them), fenced here: the
/// only file that imports it. Nothing allocates: states live in plain C structs on the stack.
public enum SHA256 {
    /// The digest of `bytes`. (Through the context functions, as `KeyedSHA256`: OpenSSL 3's one-shot
    /// `SHA256()` looks the algorithm up by name for every call, 13k instructions a file, and its first
    /// call loads the default provider, 5 M instructions on every start.)
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            var context = SHA256_CTX()
            SHA256_Init(&context)
            _ = SHA256_Update(&context, bytes.baseAddress, bytes.count)
            _ = SHA256_Final(out.baseAddress, &context)
            count = 32
        }
    }

    /// The digest of `bytes` in lower-case hex, as manifests and the store name files.
    public static func hex(_ bytes: [UInt8]) -> String { Hex.string(bytes.withUnsafeBytes(digest)) }

    /// HMAC-SHA-256 as OpenSSL computes it (`HMAC()`), for tests that hold `KeyedSHA256` to it.
    @_spi(Testing) public static func referenceHMAC(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        _ = HMAC(EVP_sha256(), key, Int32(key.count), message, message.count, &out, &length)
        return out
    }
}

/// HMAC-SHA-256 (RFC 2104) with the padded key hashed once: each message starts from copies of the
/// inner and outer states (two structs copied on the stack), so a pseudonym costs two compressions,
/// two finalisations and no allocation. Tests hold it to OpenSSL's own `HMAC()`.
public struct KeyedSHA256: Sendable {
    private let inner: SHA256_CTX
    private let outer: SHA256_CTX

    public init(key: [UInt8]) {
        var block = key.count > 64 ? key.withUnsafeBytes(SHA256.digest) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256_CTX(), outer = SHA256_CTX()
        SHA256_Init(&inner)
        SHA256_Init(&outer)
        _ = block.map { $0 ^ 0x36 }.withUnsafeBytes { SHA256_Update(&inner, $0.baseAddress, 64) }
        _ = block.map { $0 ^ 0x5C }.withUnsafeBytes { SHA256_Update(&outer, $0.baseAddress, 64) }
        self.inner = inner
        self.outer = outer
    }

    /// The MAC of `message`, handed to `body` (32 bytes, valid during the call).
    public func withMAC<R>(_ message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var i = inner, o = outer
        var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &digest) { d in
            let out = d.baseAddress!.assumingMemoryBound(to: UInt8.self)
            _ = SHA256_Update(&i, message.baseAddress, message.count)
            _ = SHA256_Final(out, &i)
            _ = SHA256_Update(&o, out, 32)
            _ = SHA256_Final(out, &o)
            return body(UnsafeRawBufferPointer(d))
        }
    }

    /// The MAC's first 128 bits.
    public func pseudonym(of message: UnsafeRawBufferPointer) -> Pseudonym {
        withMAC(message) { Pseudonym(digest: $0) }
    }
}
