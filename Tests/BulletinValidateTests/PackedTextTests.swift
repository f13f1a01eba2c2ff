import BulletinCore
import Testing

/// `PackedText` is equal for two texts exactly when their bytes are: at every length it packs (its
/// two words overlap below 16 bytes), a change to any one byte, or one byte more or less, tells them
/// apart; past 16 bytes there is no packing.
struct PackedTextTests {
    func packed(_ bytes: [UInt8]) -> PackedText? { bytes.withUnsafeBufferPointer(PackedText.init) }

    @Test func equalExactlyForTheSameBytes() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...PackedText.capacity {
            for _ in 0..<20 {
                let text = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                #expect(packed(text) != nil && packed(text) == packed(Array(text)))
                for i in text.indices {
                    var changed = text
                    changed[i] &+= UInt8.random(in: 1...255, using: &generator)
                    #expect(packed(changed) != packed(text), "length \(length), byte \(i)")
                }
                // One byte more (a zero, as padding would read) or one less.
                #expect(packed(text + [0]) != packed(text))
                if !text.isEmpty { #expect(packed(Array(text.dropLast())) != packed(text)) }
            }
        }
        #expect(packed([UInt8](repeating: 0x41, count: PackedText.capacity + 1)) == nil)
    }

    /// A cell is read in place from a sheet's bytes: the packing of a range equals that of the same bytes alone.
    @Test func aRangeOfLargerBytesPacksAsItsOwnBytes() {
        let line = Array("2020-02-26,HYS005,学生,男,在济,健康,居家观察".utf8)
        line.withUnsafeBufferPointer { p in
            for start in 0..<line.count {
                for end in start...min(line.count, start + PackedText.capacity) {
                    #expect(PackedText(UnsafeBufferPointer(rebasing: p[start..<end])) == packed(Array(line[start..<end])))
                }
            }
        }
    }
}
