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
                        // Eight ASCII bytes at a time (digits, dates and codes are most of a roster).
                        while i &+ 8 <= n {
                            let word = input!.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                            guard word & 0x8080_8080_8080_8080 == 0 else { break }
                            output!.storeBytes(of: word, toByteOffset: o, as: UInt64.self)
                            i &+= 8
                            o &+= 8
                        }
                        guard i < n else { break }
                        let c = p[i]
                        if c < 0x80 {
                            out[o] = c
                            o &+= 1
                            i &+= 1
                            continue
                        }
                        guard i &+ 1 < n, leads.contains(Int(c)), trails.contains(Int(p[i &+ 1])) else { return }
                        let entry = table[(Int(c) &- leads.lowerBound) &* trails.count &+ Int(p[i &+ 1]) &- trails.lowerBound]
                        guard entry != 0 else { return }
                        output!.storeBytes(of: entry.littleEndian, toByteOffset: o, as: UInt32.self)
                        o &+= utf8Length(UInt8(truncatingIfNeeded: entry))
                        i &+= 2
                    }
                    complete = true
                }
            }
        }
        return complete ? utf8 : nil
    }
}
