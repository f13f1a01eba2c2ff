#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GB18030 text of ASCII and two-byte codes (all of GBK: what Excel and WPS write for Chinese)
/// turned into UTF-8 by table, several times faster than iconv, which was a tenth of a GB18030
/// file's reading.
///
/// The table is iconv's own answer for every two-byte code, asked once per process, so the two
/// agree by construction. Anything else (a four-byte sequence, a byte no code starts with, a code
/// cut off by the end of the file) makes `decode` answer nil, and the caller asks iconv, which also
/// says where the text breaks.
@_spi(Testing) public enum GB18030Decoder {
    /// Lead bytes 0x81…0xFE, trail bytes 0x40…0xFE (0x7F is no trail byte).
    private static let leads = 0x81...0xFE, trails = 0x40...0xFE

    /// For every pair of bytes, indexed by the two as one little-endian word (the trail byte high), the
    /// UTF-8 of the two-byte code they make, first byte lowest: two or three bytes with the length in the
    /// fourth, or four (glibc maps a few codes, 0xFE51 say, beyond the BMP), whose last is a continuation
    /// byte, 0x80 or more; 0 when the pair is no code iconv takes. Indexed by the pair itself, a code is
    /// one load and one check: no range checks of its bytes and no length worked out from its first byte
    /// (a third of the decoder's instructions, which are most of what a GB18030 file costs beyond a UTF-8
    /// one). 256 KiB, of which a file touches the lines of its characters.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 1 << 16)
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { return table }
        defer { iconv_close(cd) }
        let code = UnsafeMutablePointer<CChar>.allocate(capacity: 2), out = UnsafeMutablePointer<CChar>.allocate(capacity: 4)
        defer { code.deallocate(); out.deallocate() }
        for lead in leads {
            for trail in trails where trail != 0x7F {
                code[0] = CChar(bitPattern: UInt8(lead))
                code[1] = CChar(bitPattern: UInt8(trail))
                var inPtr: UnsafeMutablePointer<CChar>? = code, outPtr: UnsafeMutablePointer<CChar>? = out
                var inLeft = 2, outLeft = 4
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0, (2...4).contains(4 - outLeft),
                      utf8Length(UInt8(bitPattern: out[0])) == 4 - outLeft else {
                    _ = iconv(cd, nil, nil, nil, nil)
                    continue
                }
                var entry = outLeft > 0 ? UInt32(4 - outLeft) << 24 : 0
                for k in 0..<(4 - outLeft) { entry |= UInt32(UInt8(bitPattern: out[k])) << (8 * UInt32(k)) }
                table[trail << 8 | lead] = entry
            }
        }
        return table
    }()

    /// The length of the UTF-8 sequence that `first` begins.
    @inline(__always)
    private static func utf8Length(_ first: UInt8) -> Int { first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : 4 }

    /// `bytes` as UTF-8, when they are ASCII and two-byte codes only; nil otherwise (ask iconv).
    public static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        var complete = false
        let utf8 = table.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { p in
                // A two-byte code becomes at most four bytes; each code's entry is stored whole, four bytes,
                // the next overwriting the rest (o ≤ 2i, so the room of 2n + 2 holds it and an ASCII word).
                [UInt8](unsafeUninitializedCapacity: 2 * p.count + 2) { out, written in
                    let n = p.count
                    var i = 0, o = 0
                    defer { written = o }
                    let input = UnsafeRawPointer(p.baseAddress), output = UnsafeMutableRawPointer(out.baseAddress)
                    // Offsets within the input and its room of twice as many bytes: the arithmetic is unchecked.
                    while i < n {
                        // Eight bytes at a time, copied whole: all of them when they are ASCII (digits, dates
                        // and codes are most of a roster), else those before the first that is not (the
                        // rest of the word is written over). The room holds eight more bytes: o ≤ 2i.
                        if i &+ 8 <= n {
                            let word = input!.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                            output!.storeBytes(of: word, toByteOffset: o, as: UInt64.self)
                            let high = UInt64(littleEndian: word) & 0x8080_8080_8080_8080
                            let ascii = high == 0 ? 8 : high.trailingZeroBitCount &>> 3
                            i &+= ascii
                            o &+= ascii
                            if ascii == 8 { continue }
                        } else if p[i] < 0x80 {
                            out[o] = p[i]
                            o &+= 1
                            i &+= 1
                            continue
                        }
                        // Two-byte codes, one after another while they last (Chinese comes in runs).
                        repeat {
                            guard i &+ 1 < n else { return }
                            let pair = UInt16(littleEndian: input!.loadUnaligned(fromByteOffset: i, as: UInt16.self))
                            let entry = table[Int(pair)]
                            guard entry != 0 else { return }
                            output!.storeBytes(of: entry.littleEndian, toByteOffset: o, as: UInt32.self)
                            let top = Int(truncatingIfNeeded: entry &>> 24)
                            o &+= top < 0x80 ? top : 4   // a length, or the last of four bytes
                            i &+= 2
                        } while i < n && p[i] >= 0x80
                    }
                    complete = true
                }
            }
        }
        return complete ? utf8 : nil
    }
}
