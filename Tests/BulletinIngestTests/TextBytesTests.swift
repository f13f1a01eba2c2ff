@testable import BulletinIngest
import Testing

struct TextBytesTests {
    /// The byte-wise definition `needsFolding` answers eight bytes at a time.
    static func needsFoldingByBytes(_ b: [UInt8]) -> Bool { b.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xEF } }

    @Test func needsFoldingAgreesWithItsDefinitionAtEveryLengthAndPosition() {
        // Bytes either side of each boundary the words are tested against, and cell text of every kind.
        let plain: [UInt8] = [0x20, 0x21, 0x30, 0x41, 0x7E, 0x80, 0x9F, 0xA0, 0xBC, 0xE4, 0xEE, 0xF0, 0xFF]
        let folding: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0xEF]
        for length in 0...24 {
            for shift in plain.indices {
                var bytes = (0..<length).map { plain[($0 + shift) % plain.count] }
                #expect(!TextBytes.needsFolding(bytes), "\(bytes)")
                for at in 0..<length {
                    for byte in folding {
                        var marked = bytes
                        marked[at] = byte
                        #expect(TextBytes.needsFolding(marked), "\(marked)")
                    }
                }
                // Bytes just above a boundary (0x20, 0x80, 0xF0) next to each other: no false alarm.
                if length > 1 { bytes[length / 2] = 0x20; bytes[length - 1] = 0x80 }
                #expect(TextBytes.needsFolding(bytes) == Self.needsFoldingByBytes(bytes), "\(bytes)")
            }
        }
        for text in ["2020-02-08", "370102199001011234", "张三", "（区）", "１２", "a\tb", "备注：无"] {
            #expect(TextBytes.needsFolding(Array(text.utf8)) == Self.needsFoldingByBytes(Array(text.utf8)), "\(text)")
        }
    }

    /// `trimmed` removes ASCII whitespace, U+3000 and U+00A0 at either end, and nothing else: cells that
    /// begin with another character of U+3000's lead byte (〇, 、) or end with another whose last byte is
    /// U+3000's (退 is E9 80 80) are kept whole.
    @Test func trimmingRemovesSpacesAtEitherEndOnly() {
        let spaces: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\u{3000}", "\u{A0}"]
        func reference(_ text: String) -> [UInt8] {
            var scalars = Array(text.unicodeScalars)
            while let f = scalars.first, spaces.contains(f) { scalars.removeFirst() }
            while let l = scalars.last, spaces.contains(l) { scalars.removeLast() }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return Array(String(view).utf8)
        }
        let ends = ["", " ", "\t", "\u{3000}", "\u{A0}", " \u{3000}\u{A0}\r\n", "\n"]
        let middles = ["", "a", "退", "〇", "、x", "8０", "张 三", "x\u{3000}y", "\u{1}", "é", "¥"]
        for head in ends {
            for middle in middles {
                for tail in ends {
                    let text = head + middle + tail
                    let trimmed = Array(text.utf8).withUnsafeBufferPointer { Array(TextBytes.trimmed($0)) }
                    #expect(trimmed == reference(text), "\(Array(text.unicodeScalars))")
                }
            }
        }
        let held: [UInt8] = Array("x".utf8)
        #expect(held.withUnsafeBufferPointer { TextBytes.trimmed(UnsafeBufferPointer(rebasing: $0[1...])).isEmpty })
    }

    /// A sheet's bytes that `mayNeedFolding` clears hold no cell `fold` would change or find a control
    /// character in: tab, LF and CR (which quoted CSV cells and workbook cells may hold) fold to themselves.
    @Test func sheetBytesClearedOfFoldingHoldOnlyCellsThatReadAsTheyStand() {
        let plain: [UInt8] = [0x09, 0x0A, 0x0D, 0x20, 0x21, 0x30, 0x41, 0x7E, 0x80, 0x9F, 0xA0, 0xBC, 0xE4, 0xEE, 0xF0, 0xFF]
        let folding: [UInt8] = [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x0E, 0x1F, 0x7F, 0xEF]
        // Lengths either side of the 64-byte blocks, each marked at every position.
        for length in 0...140 {
            for shift in plain.indices {
                let bytes = (0..<length).map { plain[($0 * 7 + shift) % plain.count] }
                #expect(!TextBytes.mayNeedFolding(bytes), "\(bytes)")
                // Every cell of them (every range) folds to itself, with no control character.
                for start in 0...length where length <= 40 {
                    for end in start...length {
                        let cell = Array(bytes[start..<end])
                        var out = [UInt8](repeating: 0, count: max(1, cell.count))
                        let (count, control) = cell.withUnsafeBufferPointer { c in out.withUnsafeMutableBufferPointer { TextBytes.fold(c, into: $0.baseAddress!) } }
                        #expect(!control && Array(out[..<count]) == cell, "\(cell)")
                    }
                }
                for at in 0..<length {
                    for byte in folding {
                        var marked = bytes
                        marked[at] = byte
                        #expect(TextBytes.mayNeedFolding(marked), "\(marked)")
                    }
                }
            }
        }
        for text in ["张三\t2020-02-08\r\n", "１２", "a\u{0}b", "备注：无\n"] {
            let bytes = Array(text.utf8)
            #expect(TextBytes.mayNeedFolding(bytes) == bytes.contains { $0 < 0x20 && ![0x09, 0x0A, 0x0D].contains($0) || $0 == 0x7F || $0 == 0xEF },
                    "\(text)")
        }
    }
}

extension TextBytes {
    /// `needsFolding` of an array, for tests.
    static func needsFolding(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { needsFolding($0) } }

    /// `mayNeedFolding` of an array, for tests.
    static func mayNeedFolding(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { mayNeedFolding($0) } }
}
