@_spi(Testing) import BulletinCore
import BulletinValidate
import Testing

/// The pseudonymizer's own CMAC (OpenSSL's AES-256 in CBC mode, a message a call, a cipher context per thread)
/// against OpenSSL's `CMAC_*` and NIST's examples.
struct PseudonymizerTests {
    static func reference(_ message: [UInt8], key: [UInt8]) -> String {
        Hex.string(KeyedCMAC.referenceCMAC(key: key, message: message))
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    @Test(arguments: [1, 16, 31, 32, 33, 64, 200])
    func digestsEqualOpenSSLsCMACForKeysAndMessagesOfEveryLength(keyLength: Int) {
        let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let pseudonyms = Pseudonymizer(key: key)
        for length in [0, 1, 2, 15, 16, 17, 18, 31, 32, 33, 48, 64, 300] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 101 &+ 3) }
            #expect(pseudonyms.digest(message) == Self.reference(message, key: key), "message of \(length) bytes")
        }
    }

    /// Many numbers at once (two calls of ECB over every message's blocks) give each message its own
    /// CMAC: every length from none to three blocks and past, mixed, under two keys; and no message at all.
    @Test func manyMessagesAtOnceGiveEachItsOwnCMAC() {
        let lengths = Array(0...50) + [64, 300] + [18, 18, 15, 33, 0, 16, 32]
        let messages = lengths.enumerated().map { k, length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ k &* 7 &+ 1) } }
        for key in [Pseudonymizer.testing, Pseudonymizer(key: Array(repeating: 0xA5, count: 32))] {
            let made = messages.withUnsafeBufferPointers { buffers in
                [Pseudonym](unsafeUninitializedCapacity: buffers.count) { out, count in
                    key.pseudonyms(of: buffers, into: out)
                    count = buffers.count
                }
            }
            #expect(made.map(\.description) == messages.map { Self.reference($0, key: key.keyBytes) })
        }
        var none: [Pseudonym] = []
        [UnsafeRawBufferPointer]().withUnsafeBufferPointer { messages in none.withUnsafeMutableBufferPointer { Pseudonymizer.testing.pseudonyms(of: messages, into: $0) } }
        #expect(none.isEmpty)
    }

    @Test func nistsAES256ExamplesGiveTheirTags() {
        // NIST SP 800-38B, the AES-256 examples (also `openssl mac -cipher AES-256-CBC CMAC`).
        let key = Self.bytes(hex: "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
        let m = Self.bytes(hex: "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52ef"
                             + "f69f2445df4f9b17ad2b417be66c3710")
        let tags = [(0, "028962f61b7bf89efc6b551f4667d983"), (16, "28a7023f452e8f82bd4bf28d8c37c35c"),
                    (40, "aaf3d8f1de5640c232f5b169b9c911e6"), (64, "e1992190549f6ed5696a2c056c315410")]
        for (length, tag) in tags {
            #expect(Pseudonymizer(key: key).digest(Array(m.prefix(length))) == tag, "example of \(length) bytes")
        }
    }

    @Test func theKeyFingerprintIsTheCMACOfAFixedMessageNamingTheFunction() {
        let key = Pseudonymizer.testing.keyBytes
        let reference = KeyedCMAC.referenceCMAC(key: key, message: Array("bulletin key check (AES-CMAC)".utf8))
        #expect(Pseudonymizer.testing.fingerprint == Hex.string(reference.prefix(8)))
        #expect(Pseudonymizer(key: Array("another key".utf8)).fingerprint != Pseudonymizer.testing.fingerprint)
    }

    @Test func threadsAndKeysTakingTurnsGiveEachKeysOwnPseudonyms() async {
        // Each thread keeps a cipher keyed with the last key it served: two keys alternating on many
        // threads must still give every number its key's pseudonym.
        let keys = [Pseudonymizer.testing, Pseudonymizer(key: Array(repeating: 0x5A, count: 32))]
        let ids = (0..<200).map { "110105194912" + String(100_000 + $0) }
        let expected = keys.map { k in ids.map { Self.reference(Array($0.utf8), key: k.keyBytes) } }
        let results = await withTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask {
                    (0..<ids.count).allSatisfy { i in
                        let k = (i + t) % 2
                        return keys[k].person(ids[i], asOf: nil).pseudonym.description == expected[k][i]
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test func fileDigestsAreSHA256() {
        // FIPS 180-2's examples.
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func pseudonymsThatShareTheirHashedWordAreStillTwoKeys() {
        let a = Pseudonym(high: 1, low: 7), b = Pseudonym(high: 2, low: 7)
        #expect(Set([a, b, a]).count == 2)
        #expect([a: "a", b: "b"][b] == "b")
    }

    @Test func aPersonIsKeyedByTheCMACOfTheirNumberAndOrderedByItsBytes() {
        let ids = ["11010519491231002X", "370102200511112329", "37130220070918336X"]
        let people = ids.map { Pseudonymizer.testing.person($0, asOf: nil) }
        for (id, p) in zip(ids, people) {
            #expect(p.pseudonym.description == Self.reference(Array(id.utf8), key: Pseudonymizer.testing.keyBytes))
            #expect(p == Pseudonymizer.testing.person(id, asOf: nil))
        }
        #expect(Set(people.map(\.pseudonym)).count == 3)
        #expect(people.map(\.pseudonym).sorted().map(\.description) == people.map(\.pseudonym.description).sorted())
        #expect(Pseudonymizer(key: Array("another key".utf8)).person(ids[0], asOf: nil) != people[0])
    }
}

extension Array where Element == [UInt8] {
    /// `body` of a buffer of every message's bytes, each valid during the call.
    func withUnsafeBufferPointers<R>(_ body: (UnsafeBufferPointer<UnsafeRawBufferPointer>) -> R) -> R {
        // One buffer holding every message, so that each message's bytes stay put for the call.
        let joined = flatMap { $0 }
        return joined.withUnsafeBytes { all in
            var start = 0
            let buffers = map { m -> UnsafeRawBufferPointer in
                defer { start += m.count }
                return UnsafeRawBufferPointer(rebasing: all[start..<start + m.count])
            }
            return buffers.withUnsafeBufferPointer(body)
        }
    }
}
