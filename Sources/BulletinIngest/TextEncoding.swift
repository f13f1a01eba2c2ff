#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Detects a CSV file's encoding and turns it into UTF-8.
///
/// Order (engineering notes): UTF-16 (by its BOM, or by the NUL bytes of its ASCII), UTF-8
/// (with or without BOM), then GB18030, then CP936 (glibc's GB18030 rejects byte 0x80, which
/// CP936 maps to €). Byte-order marks anywhere in the text (doubled, or left mid-file by
/// joining files) are removed: no one means an invisible U+FEFF in a cell.
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 (BOM)"
    case gb18030 = "GB18030"
    case cp936 = "CP936"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"

    /// The file's bytes as UTF-8 without BOMs, and the encoding they were in.
    public static func decodeToUTF8(_ bytes: [UInt8]) throws(IngestError) -> (utf8: [UInt8], encoding: TextEncoding) {
        let (utf8, encoding) = try decode(bytes)
        return (withoutBOMs(utf8), encoding)
    }

    private static func decode(_ bytes: [UInt8]) throws(IngestError) -> (utf8: [UInt8], encoding: TextEncoding) {
        if let utf16 = utf16(bytes) {
            let body = Array(bytes[(utf16.bom ? 2 : 0)...])
            do {
                return (try transcode(body, from: utf16.encoding.rawValue), utf16.encoding)
            } catch {
                throw IngestError(.undecodable, "文件看起来是\(utf16.encoding.rawValue)（Excel的“Unicode文本”），但含有无效字节",
                                  location: error.location)
            }
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            let rest = Array(bytes[3...])
            if let bad = firstInvalidUTF8(rest) {
                throw IngestError(.undecodable, "文件以UTF-8标记开头，但含有无效的UTF-8字节", location: .byte(bad + 3))
            }
            return (rest, .utf8BOM)
        }
        guard firstInvalidUTF8(bytes) != nil else { return (bytes, .utf8) }
        if let utf8 = GB18030Decoder.decode(bytes) { return (utf8, .gb18030) }
        do {
            return (try transcode(bytes, from: "GB18030"), .gb18030)
        } catch let gbError {
            guard let cp936 = try? transcode(bytes, from: "CP936") else {
                throw IngestError(.undecodable, "文件既不是UTF-8，也不是GB18030/GBK编码", location: gbError.location)
            }
            return (cp936, .cp936)
        }
    }

    /// UTF-16 by its byte-order mark, or, without one, by NUL bytes falling mostly on one side of
    /// each pair (ASCII digits, commas, tabs and newlines are half NUL in UTF-16).
    static func utf16(_ b: [UInt8]) -> (encoding: TextEncoding, bom: Bool)? {
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return (.utf16LE, true) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return (.utf16BE, true) }
        // No NUL in the sample, no UTF-16 (nearly every file: one memchr, where counting the NULs byte by
        // byte took 5.7 M instructions over a CSV district day).
        let hasNUL = b.withUnsafeBufferPointer { p in p.baseAddress.map { memchr($0, 0, min(p.count, 4096)) != nil } ?? false }
        guard hasNUL else { return nil }
        let sample = b.prefix(4096)
        guard sample.count >= 4, sample.count % 2 == 0 || b.count > sample.count else { return nil }
        var evenNUL = 0, oddNUL = 0
        for (i, c) in sample.enumerated() where c == 0 { if i % 2 == 0 { evenNUL += 1 } else { oddNUL += 1 } }
        let pairs = sample.count / 2
        if oddNUL * 4 >= pairs, evenNUL * 20 < oddNUL { return (.utf16LE, false) }
        if evenNUL * 4 >= pairs, oddNUL * 20 < evenNUL { return (.utf16BE, false) }
        return nil
    }

    /// UTF-8 without any U+FEFF (EF BB BF); the bytes themselves when there is none.
    static func withoutBOMs(_ b: [UInt8]) -> [UInt8] {
        var first = -1
        b.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            var i = 0
            // memchr to each EF byte (rare in text: full-width forms and BOMs), then look at the next two.
            while i + 2 < p.count, let hit = memchr(base + i, 0xEF, p.count - 2 - i) {
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if p[i + 1] == 0xBB, p[i + 2] == 0xBF { first = i; return }
                i += 1
            }
        }
        guard first >= 0 else { return b }
        var out = Array(b[..<first])
        out.reserveCapacity(b.count)
        var i = first
        while i < b.count {
            if i + 2 < b.count, b[i] == 0xEF, b[i + 1] == 0xBB, b[i + 2] == 0xBF { i += 3; continue }
            out.append(b[i])
            i += 1
        }
        return out
    }

    /// Offset of the first byte that breaks UTF-8, or nil when all is valid.
    public static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        b.withUnsafeBufferPointer(firstInvalidUTF8)
    }

    /// Offset of the first byte of `p` that breaks UTF-8, or nil when all is valid: byte by byte to a
    /// character boundary three bytes in, then sixty-four bytes at a time (`UTF8Blocks`) while every
    /// position keeps UTF-8's rules, then byte by byte again from the character the first block that
    /// breaks them (or the rest of the text) begins in, which finds the exact offset.
    static func firstInvalidUTF8(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = p.baseAddress else { return nil }
        let n = p.count
        let (bad, boundary) = bytewise(p, from: 0, until: 3)
        if let bad { return bad }
        var i = boundary
        while i &+ 64 <= n, !UTF8Blocks.breaks(UnsafeRawPointer(base), i) { i &+= 64 }
        // The last character starting before `i` (a valid text's starts are its bytes that are not
        // continuations, at most three back): it may run on into the block that breaks.
        var start = i
        if i > boundary {
            var lead = i &- 1
            while base[lead] & 0xC0 == 0x80 { lead &-= 1 }
            let c = base[lead], length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4
            if lead &+ length > i { start = lead }
        }
        return bytewise(p, from: start, until: n).invalid
    }

    /// The first invalid byte's offset, checked byte by byte alone (what the tests hold the blocks to).
    @_spi(Testing) public static func firstInvalidUTF8Bytewise(_ b: [UInt8]) -> Int? {
        b.withUnsafeBufferPointer { bytewise($0, from: 0, until: $0.count).invalid }
    }

    /// Checks `p` byte by byte from the character boundary `start` to the first boundary at or past
    /// `until`: the offset of the first byte that breaks UTF-8, or that boundary.
    private static func bytewise(_ p: UnsafeBufferPointer<UInt8>, from start: Int, until: Int) -> (invalid: Int?, end: Int) {
        guard let base = p.baseAddress else { return (nil, 0) }
        let raw = UnsafeRawPointer(base)
        // start ≤ i ≤ n throughout: the arithmetic is unchecked (every byte of every UTF-8 file passes here).
        var i = start
        let n = p.count
        while i < min(until, n) {
            let c = p[i]
            if c < 0x80 {
                // ASCII 32 bytes at a time, then eight (dates, codes and digits are most of a roster's
                // bytes), then to the word's first non-ASCII byte directly.
                i &+= 1
                while i &+ 32 <= n {
                    let words = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)
                        | raw.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self)
                    guard words & 0x8080_8080_8080_8080 == 0 else { break }
                    i &+= 32
                }
                while i &+ 8 <= n {
                    let high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & 0x8080_8080_8080_8080
                    if high != 0 { i &+= high.trailingZeroBitCount >> 3; break }
                    i &+= 8
                }
                continue
            }
            // A sequence by its lead byte, its second byte's range ruling out overlong forms, surrogates
            // and code points past U+10FFFF (Unicode's table 3-7). The next lead byte is read at once, with
            // no word test between characters: Chinese runs of three-byte characters are most of the rest.
            @inline(__always) func continues(_ k: Int) -> Bool { p[i &+ k] & 0xC0 == 0x80 }
            switch c {
            case 0xC2...0xDF:
                guard i &+ 1 < n, continues(1) else { return (i, i) }
                i &+= 2
            case 0xE0...0xEF:
                guard i &+ 2 < n else { return (i, i) }
                let second = p[i &+ 1]
                let low: UInt8 = c == 0xE0 ? 0xA0 : 0x80, high: UInt8 = c == 0xED ? 0x9F : 0xBF
                guard second >= low, second <= high, continues(2) else { return (i, i) }
                i &+= 3
            case 0xF0...0xF4:
                guard i &+ 3 < n else { return (i, i) }
                let second = p[i &+ 1]
                let low: UInt8 = c == 0xF0 ? 0x90 : 0x80, high: UInt8 = c == 0xF4 ? 0x8F : 0xBF
                guard second >= low, second <= high, continues(2), continues(3) else { return (i, i) }
                i &+= 4
            default:
                return (i, i)
            }
        }
        return (nil, i)
    }

    /// Transcodes `bytes` from `encoding` to UTF-8 with glibc's iconv.
    public static func transcode(_ bytes: [UInt8], from encoding: String) throws(IngestError) -> [UInt8] {
        try transcode(bytes, from: encoding, to: "UTF-8")
    }

    /// Transcodes from UTF-8 to `encoding` (the sample generator writes GB18030 files this way).
    public static func encode(_ utf8: [UInt8], to encoding: String) throws(IngestError) -> [UInt8] {
        try transcode(utf8, from: "UTF-8", to: encoding)
    }

    private static func transcode(_ bytes: [UInt8], from: String, to: String) throws(IngestError) -> [UInt8] {
        if bytes.isEmpty { return [] }
        let cd = iconv_open(to, from)
        if cd == iconv_t(bitPattern: -1) {
            throw IngestError(.undecodable, "iconv cannot convert \(from) to \(to)")
        }
        defer { iconv_close(cd) }
        // Straight into the result, uninitialised: none of these encodings grows by more than half going
        // either way (a zeroed 2 MiB staging buffer per file was most of a small GB18030 file's cost).
        var capacity = bytes.count + bytes.count / 2 + 16
        while true {
            var rc = 0, error: Int32 = 0, consumed = 0
            let output = bytes.withUnsafeBufferPointer { input in
                [UInt8](unsafeUninitializedCapacity: capacity) { out, initialized in
                    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: UnsafeRawPointer(input.baseAddress!)
                        .assumingMemoryBound(to: CChar.self))
                    var inLeft = input.count
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = out.count
                    rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    error = errno
                    consumed = input.count - inLeft
                    initialized = out.count - outLeft
                }
            }
            if rc != -1 { return output }
            if error == E2BIG {
                capacity *= 2
                _ = iconv(cd, nil, nil, nil, nil)   // back to the initial state, and again from the start
                continue
            }
            let why = error == EILSEQ ? "非法字节序列" : "字节序列不完整"
            throw IngestError(.undecodable, "无法按\(from)解码：\(why)", location: .byte(consumed))
        }
    }
}
