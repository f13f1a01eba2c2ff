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
/// cut off by the end of the file) makes `decode` answer nil, and the caller asks iconv, which
/// also says where the text breaks.
@_spi(Testing) public enum GB18030Decoder {
    /// Lead bytes 0x81…0xFE, trail bytes 0x40…0xFE (0x7F is no trail byte, but keeps the index simple).
    private static let leads = 0x81...0xFE, trails = 0x40...0xFE

    /// For each two-byte code, its UTF-8, first byte lowest (up to four: glibc maps a few codes, 0xFE51
    /// say, beyond the BMP); 0 when iconv does not take the code. The first byte gives the length.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: leads.count * trails.count)
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
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0, outLeft < 4,
                      utf8Length(UInt8(bitPattern: out[0])) == 4 - outLeft else {
                    _ = iconv(cd, nil, nil, nil, nil)
                    continue
                }
                var entry: UInt32 = 0
                for k in 0..<(4 - outLeft) { entry |= UInt32(UInt8(bitPattern: out[k])) << (8 * UInt32(k)) }
                table[(lead - leads.lowerBound) * trails.count + trail - trails.lowerBound] = entry
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
                // A two-byte code becomes at most four bytes (each code's four are stored, then the next overwrites the rest).
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
                            let c = p[i], t = p[i &+ 1 < n ? i &+ 1 : i]
                            // A lead byte 0x81…0xFE and a trail byte 0x40…0xFE, each compared once.
                            guard i &+ 1 < n, c &- 0x81 < 0x7E, t &- 0x40 < 0xBF else { return }
                            let entry = table[Int(c &- 0x81) &* trails.count &+ Int(t &- 0x40)]
                            guard entry != 0 else { return }
                            output!.storeBytes(of: entry.littleEndian, toByteOffset: o, as: UInt32.self)
                            o &+= utf8Length(UInt8(truncatingIfNeeded: entry))
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
