#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Sixty-four bytes at a time (SSE2, which every x86-64 processor has): whether any is a byte
/// `TextBytes.mayNeedFolding` looks for, a control character other than tab, LF and CR, DEL, or 0xEF
/// (the lead byte of full-width forms). Swift's portable SIMD compares took two instructions a byte.
enum FoldingBlocks {
    /// Whether the 64 bytes at `p + offset` hold such a byte; they must be readable.
    @inline(__always)
    static func hold(_ p: UnsafeRawPointer, _ offset: Int) -> Bool {
        #if arch(x86_64)
        let controlMax = _mm_set1_epi8(0x1F), tab = _mm_set1_epi8(0x09), lf = _mm_set1_epi8(0x0A), cr = _mm_set1_epi8(0x0D)
        let del = _mm_set1_epi8(0x7F), ef = _mm_set1_epi8(Int8(bitPattern: 0xEF))
        var found = _mm_setzero_si128()
        for k in 0..<4 {
            let v = _mm_loadu_si128((p + (offset &+ 16 &* k)).assumingMemoryBound(to: __m128i.self))
            let control = _mm_cmpeq_epi8(_mm_min_epu8(v, controlMax), v)   // v ≤ 0x1F, unsigned
            let spacing = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr))
            found = _mm_or_si128(found, _mm_or_si128(_mm_andnot_si128(spacing, control),
                                                     _mm_or_si128(_mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(v, ef))))
        }
        return _mm_movemask_epi8(found) != 0
        #else
        return UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self) + offset, count: 64).contains(where: TextBytes.mayNeedFolding)
        #endif
    }
}
