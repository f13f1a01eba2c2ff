#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Where a CSV file's delimiters and line ends are, sixty-four bytes at a time: bit k of a block's
/// mask is set when byte k of the block is the delimiter, CR or LF. The tokenizer of files without a
/// quote walks these bits (a cell is a few instructions, not one compare per byte).
@_spi(Testing) public enum SeparatorMask {
    /// The mask of the 64 bytes at `p + offset`, all of which must be readable.
    @inline(__always)
    @_spi(Testing) public static func block(_ p: UnsafeRawPointer, _ offset: Int, delimiter: UInt8) -> UInt64 {
        #if arch(x86_64)
        let d = _mm_set1_epi8(CChar(bitPattern: delimiter)), cr = _mm_set1_epi8(0x0D), lf = _mm_set1_epi8(0x0A)
        var mask: UInt64 = 0
        for k in 0..<4 {
            let v = _mm_loadu_si128((p + offset + 16 * k).assumingMemoryBound(to: __m128i.self))
            let hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, lf))
            mask |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(hit))) << (16 * k)
        }
        return mask
        #else
        return bytes(UnsafeBufferPointer(start: (p + offset).assumingMemoryBound(to: UInt8.self), count: 64), delimiter: delimiter)
        #endif
    }

    /// The mask of up to 64 bytes, byte by byte (a file's last partial block).
    @_spi(Testing) public static func bytes(_ b: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> UInt64 {
        var mask: UInt64 = 0
        for (k, c) in b.prefix(64).enumerated() where c == delimiter || c == 0x0D || c == 0x0A { mask |= 1 << UInt64(k) }
        return mask
    }
}
