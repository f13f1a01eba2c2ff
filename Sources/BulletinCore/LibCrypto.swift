internal import COpenSSL
import Glibc

/// SHA-256 through OpenSSL's libcrypto (SHA extensions where the CPU has them), fenced here: the
/// only file that imports it. Nothing allocates: states live in plain C structs on the stack.
public enum SHA256 {
    /// The digest of `bytes`. (Through the context functions: OpenSSL 3's one-shot
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
}

/// AES-CMAC (RFC 4493, NIST SP 800-38B) under a 256-bit key: the keyed function of the pseudonyms.
/// An 18-character ID number is two dependent AES blocks (~45 ns through OpenSSL's AES instructions,
/// against ~110 ns for the two SHA-256 compressions of HMAC-SHA-256). A key of another length than 32
/// bytes is first hashed to 32 with SHA-256. Tests hold it to OpenSSL's own CMAC and to NIST's examples.
public struct KeyedCMAC: Sendable {
    /// The AES-256 key.
    private let key: CipherKey
    /// The subkeys K1 (a last block that is whole) and K2 (a last block padded), in memory order.
    private let k1: Block
    private let k2: Block

    public init(key: [UInt8]) {
        let bytes = key.count == 32 ? key : key.withUnsafeBytes(SHA256.digest)
        self.key = bytes.withUnsafeBytes { CipherKey(words: ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                                                              $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                                                              $0.loadUnaligned(fromByteOffset: 24, as: UInt64.self))) }
        let l = ThreadCipher.encrypt(Block(), under: self.key)
        k1 = l.doubled
        k2 = k1.doubled
    }

    /// The AES-256 key (the key given when it is 32 bytes, else its SHA-256): a `KeyedCMAC` made with
    /// it gives the same MACs.
    public var keyBytes: [UInt8] { withUnsafeBytes(of: key.words) { Array($0) } }

    /// The MAC of `message` (16 bytes): the CBC-MAC of its blocks, the last one XORed with K1 when whole,
    /// else padded and XORed with K2, encrypted in one call (a call per block was half the cost of a
    /// pseudonym: OpenSSL's dispatch, not AES, is most of encrypting one block).
    public func mac(_ message: UnsafeRawBufferPointer) -> Block {
        let blocks = max(1, (message.count + 15) / 16)
        return withUnsafeTemporaryAllocation(of: Block.self, capacity: blocks) { buffer in
            // Every block but the last as it stands.
            for b in 0..<(blocks - 1) { buffer.initializeElement(at: b, to: Block(message, at: 16 * b)) }
            let at = 16 * (blocks - 1), rest = message.count - at
            buffer.initializeElement(at: blocks - 1, to: rest == 16 ? Block(message, at: at) ^ k1 : Block(padding: message, from: at) ^ k2)
            return ThreadCipher.current(for: key).pointee.cbcMAC(buffer)
        }
    }

    /// The MAC as a pseudonym: its bytes read big-endian, so pseudonyms order as the bytes do.
    public func pseudonym(of message: UnsafeRawBufferPointer) -> Pseudonym {
        let words = mac(message).words
        return Pseudonym(high: UInt64(bigEndian: words.0), low: UInt64(bigEndian: words.1))
    }

    /// The pseudonyms of many messages at once: `out[k]` is `pseudonym(of: messages[k])`. A message of one
    /// or two blocks (an ID number is 18 bytes: two) is a CBC-MAC of at most two blocks: the first blocks
    /// of all are encrypted in one call, then the last blocks, each XORed with its message's first cipher
    /// block, in another (ECB: OpenSSL keeps eight blocks in flight, where a MAC at a time waits on each
    /// block and pays the call for two). A longer message is MACed alone.
    public func pseudonyms(of messages: UnsafeBufferPointer<UnsafeRawBufferPointer>, into out: UnsafeMutableBufferPointer<Pseudonym>) {
        precondition(out.count >= messages.count)
        let n = messages.count
        withUnsafeTemporaryAllocation(of: Block.self, capacity: 2 * n) { blocks in
            let firsts = UnsafeMutableBufferPointer(rebasing: blocks[..<n]), lasts = UnsafeMutableBufferPointer(rebasing: blocks[n...])
            for (k, message) in messages.enumerated() {
                switch message.count {
                case 16: (firsts[k], lasts[k]) = (Block(message, at: 0) ^ k1, Block())
                case ..<16: (firsts[k], lasts[k]) = (Block(padding: message, from: 0) ^ k2, Block())
                case 32: (firsts[k], lasts[k]) = (Block(message, at: 0), Block(message, at: 16) ^ k1)
                case 17..<32: (firsts[k], lasts[k]) = (Block(message, at: 0), Block(padding: message, from: 16) ^ k2)
                default: (firsts[k], lasts[k]) = (Block(), Block())   // MACed alone below
                }
            }
            let cipher = ThreadCipher.current(for: key)
            cipher.pointee.ecb(firsts)
            // Every last block is chained and encrypted (a one-block message's too, unused: they are rare).
            for k in 0..<n { lasts[k] = lasts[k] ^ firsts[k] }
            cipher.pointee.ecb(lasts)
            for (k, message) in messages.enumerated() {
                let tag = message.count <= 16 ? firsts[k] : message.count <= 32 ? lasts[k] : mac(message)
                out[k] = Pseudonym(high: UInt64(bigEndian: tag.words.0), low: UInt64(bigEndian: tag.words.1))
            }
        }
    }

    /// OpenSSL's own CMAC of `message` under `key` (as `KeyedCMAC` makes it 32 bytes), for the tests.
    @_spi(Testing) public static func referenceCMAC(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let bytes = key.count == 32 ? key : key.withUnsafeBytes(SHA256.digest)
        let context = CMAC_CTX_new()
        defer { CMAC_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: 16)
        var length = 0
        _ = CMAC_Init(context, bytes, 32, EVP_aes_256_cbc(), nil)
        _ = CMAC_Update(context, message, message.count)
        _ = CMAC_Final(context, &out, &length)
        return out
    }

    /// One AES block (16 bytes in memory order, as two words).
    public struct Block: Sendable {
        public fileprivate(set) var words: (UInt64, UInt64) = (0, 0)

        init() {}

        /// The 16 bytes of `bytes` at `offset`.
        init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
            words = (bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        }

        /// The bytes of `bytes` from `offset` on (fewer than 16), then 0x80 and zeros (CMAC's padding).
        init(padding bytes: UnsafeRawBufferPointer, from offset: Int) {
            let rest = bytes.count - offset
            withUnsafeMutableBytes(of: &words) { w in
                if rest > 0 { w.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: rest) }
                w[rest] = 0x80
            }
        }

        static func ^ (a: Block, b: Block) -> Block {
            var x = Block()
            x.words = (a.words.0 ^ b.words.0, a.words.1 ^ b.words.1)
            return x
        }

        /// The block as a 128-bit big-endian number shifted left by one, reduced by x¹²⁸ + x⁷ + x² + x + 1
        /// (RFC 4493's subkey step).
        var doubled: Block {
            let high = UInt64(bigEndian: words.0), low = UInt64(bigEndian: words.1)
            var x = Block()
            x.words = ((high << 1 | low >> 63).bigEndian, (low << 1 ^ (high >> 63) * 0x87).bigEndian)
            return x
        }
    }

    /// An AES-256 key, as words (compared on every MAC, to find the thread's cipher keyed with it).
    fileprivate struct CipherKey: Sendable, Equatable {
        let words: (UInt64, UInt64, UInt64, UInt64)

        static func == (a: CipherKey, b: CipherKey) -> Bool {
            a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
        }
    }
}

/// Each thread's AES-256 encryption context (OpenSSL's EVP, which uses the CPU's AES instructions),
/// keyed with the last key it served: a context is changed by every call, so threads never share one,
/// and a context made per MAC would cost more than the MAC. Held as plain memory in a thread-specific
/// slot (no reference counting per MAC), freed when the thread ends.
private struct ThreadCipher {
    private let context: OpaquePointer
    /// The same key in ECB mode, for blocks of many messages at once (`KeyedCMAC.pseudonyms`).
    private let ecbContext: OpaquePointer
    private var key: KeyedCMAC.CipherKey
    /// The last block the context put out. It encrypts in CBC mode from a zero IV and goes on chaining
    /// from call to call: each call's first block is handed over XORed with this one, which undoes the
    /// chaining, so every call is a CBC-MAC from a zero IV (resetting the IV was a call of its own).
    private var chained = KeyedCMAC.Block()

    /// This thread's cipher, keyed with `key`.
    static func current(for key: KeyedCMAC.CipherKey) -> UnsafeMutablePointer<ThreadCipher> {
        if let stored = pthread_getspecific(slot) {
            let cipher = stored.assumingMemoryBound(to: ThreadCipher.self)
            if cipher.pointee.key != key { cipher.pointee.rekey(key) }
            return cipher
        }
        guard let context = EVP_CIPHER_CTX_new(), let ecbContext = EVP_CIPHER_CTX_new() else {
            fatalError("OpenSSL: no memory for a cipher context")
        }
        let cipher = UnsafeMutablePointer<ThreadCipher>.allocate(capacity: 1)
        cipher.initialize(to: ThreadCipher(context: context, ecbContext: ecbContext, key: key))
        cipher.pointee.rekey(key)
        pthread_setspecific(slot, cipher)
        return cipher
    }

    /// `block` encrypted under `key` on this thread.
    static func encrypt(_ block: KeyedCMAC.Block, under key: KeyedCMAC.CipherKey) -> KeyedCMAC.Block {
        var one = block
        return withUnsafeMutablePointer(to: &one) { current(for: key).pointee.cbcMAC(UnsafeMutableBufferPointer(start: $0, count: 1)) }
    }

    private mutating func rekey(_ key: KeyedCMAC.CipherKey) {
        self.key = key
        chained = KeyedCMAC.Block()
        let zero = [UInt8](repeating: 0, count: 16)
        let ready = withUnsafeBytes(of: key.words) { k in
            EVP_EncryptInit_ex(context, EVP_aes_256_cbc(), nil, k.baseAddress!.assumingMemoryBound(to: UInt8.self), zero) == 1
                && EVP_CIPHER_CTX_set_padding(context, 0) == 1
                && EVP_EncryptInit_ex(ecbContext, EVP_aes_256_ecb(), nil, k.baseAddress!.assumingMemoryBound(to: UInt8.self), nil) == 1
                && EVP_CIPHER_CTX_set_padding(ecbContext, 0) == 1
        }
        precondition(ready, "OpenSSL cannot encrypt with AES-256 on this machine")
    }

    /// The last block of `blocks` encrypted in CBC mode from a zero IV, in one call (`blocks` is
    /// overwritten with the cipher text).
    mutating func cbcMAC(_ blocks: UnsafeMutableBufferPointer<KeyedCMAC.Block>) -> KeyedCMAC.Block {
        blocks[0] = blocks[0] ^ chained
        var length: Int32 = 0
        let bytes = UnsafeMutableRawBufferPointer(blocks)
        let text = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        // With padding off, a whole number of blocks is encrypted whole: the context's chaining block is then
        // the last one put out, as `chained` assumes (a partial call would make every later pseudonym wrong).
        let done = EVP_EncryptUpdate(context, text, &length, text, Int32(bytes.count))
        precondition(done == 1 && Int(length) == bytes.count, "OpenSSL did not encrypt every block")
        chained = blocks[blocks.count - 1]
        return chained
    }

    /// Each of `blocks` encrypted on its own (ECB), in place, in one call.
    func ecb(_ blocks: UnsafeMutableBufferPointer<KeyedCMAC.Block>) {
        guard !blocks.isEmpty else { return }
        let bytes = UnsafeMutableRawBufferPointer(blocks)
        precondition(bytes.count <= Int(Int32.max), "too many blocks for one call")
        let text = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var length: Int32 = 0
        let done = EVP_EncryptUpdate(ecbContext, text, &length, text, Int32(bytes.count))
        precondition(done == 1 && Int(length) == bytes.count, "OpenSSL did not encrypt every block")
    }

    /// The thread-specific slot of each thread's cipher, freed with its context when the thread ends.
    private static let slot: pthread_key_t = {
        var slot = pthread_key_t()
        pthread_key_create(&slot) { stored in
            guard let cipher = stored?.assumingMemoryBound(to: ThreadCipher.self) else { return }
            EVP_CIPHER_CTX_free(cipher.pointee.context)
            EVP_CIPHER_CTX_free(cipher.pointee.ecbContext)
            cipher.deinitialize(count: 1)
            cipher.deallocate()
        }
        return slot
    }()
}
