@_spi(Testing) import BulletinCore
import BulletinValidate
import Testing

/// The pseudonymizer's own HMAC (padded key hashed once, states copied per message) against
/// OpenSSL's one-call `HMAC()`.
struct PseudonymizerTests {
    static func reference(_ message: [UInt8], key: [UInt8]) -> String {
        SHA256.referenceHMAC(key: key, message: message).prefix(16)
            .map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test(arguments: [0, 1, 32, 63, 64, 65, 200])
    func digestsEqualHMACSHA256ForKeysOfEveryLength(keyLength: Int) {
        let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let pseudonyms = Pseudonymizer(key: key)
        for message in [[], Array("11010519491231002X".utf8), Array(repeating: 0xA5, count: 64), Array(repeating: 7, count: 300)] {
            #expect(pseudonyms.digest(message) == Self.reference(message, key: key))
        }
    }

    @Test func theKeyFingerprintIsTheHMACOfAFixedMessageSoStoresMadeBeforeStillMatch() {
        let key = Pseudonymizer.testing.keyBytes
        let reference = SHA256.referenceHMAC(key: key, message: Array("bulletin key check".utf8))
        #expect(Pseudonymizer.testing.fingerprint == Hex.string(reference.prefix(8)))
        #expect(Pseudonymizer(key: Array("another key".utf8)).fingerprint != Pseudonymizer.testing.fingerprint)
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

    @Test func aPersonIsKeyedByTheHMACOfTheirNumberAndOrderedByItsBytes() {
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
