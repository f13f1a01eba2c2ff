#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// UTF-8 checked sixty-four bytes at a time (SSE2, which every x86-64 processor has), position by
/// position from the three bytes before each: a byte is a continuation (0x80–0xBF) exactly when one of
/// those bytes leads a sequence that reaches it (a lead 0xC0+ one byte before, 0xE0+ two before, 0xF0+
/// three before); no byte is 0xC0, 0xC1 or 0xF5+; and the byte after 0xE0, 0xED, 0xF0 or 0xF4 is in the
/// narrower range Unicode's table 3-7 gives it (no overlong forms, surrogates or code points past
/// U+10FFFF). Text whose every position keeps these rules, from a character boundary and up to one, is
/// UTF-8 (`TextEncoding.firstInvalidUTF8` finds the exact offset of a break byte by byte).
enum UTF8Blocks {
    /// Whether some position of the 64 bytes at `p + offset` breaks the rules; the three bytes before
    /// them (`offset ≥ 3`) and the 64 must be readable.
    @inline(__always)
    static func breaks(_ p: UnsafeRawPointer, _ offset: Int) -> Bool {
        #if arch(x86_64)
        // Signed views (byte ^ 0x80): ASCII is -128…-1, continuations 0…63, 0xC0… 64…, 0xE0… 96…, 0xF0… 112….
        let bias = _mm_set1_epi8(-128), minusOne = _mm_set1_epi8(-1)
        var errors = _mm_setzero_si128(), leads = _mm_setzero_si128()
        for k in 0..<4 {
            let at = offset &+ 16 &* k
            let s = _mm_xor_si128(_mm_loadu_si128((p + at).assumingMemoryBound(to: __m128i.self)), bias)
            let s1 = _mm_xor_si128(_mm_loadu_si128((p + (at &- 1)).assumingMemoryBound(to: __m128i.self)), bias)
            let s2 = _mm_xor_si128(_mm_loadu_si128((p + (at &- 2)).assumingMemoryBound(to: __m128i.self)), bias)
            let s3 = _mm_xor_si128(_mm_loadu_si128((p + (at &- 3)).assumingMemoryBound(to: __m128i.self)), bias)
            let continuation = _mm_and_si128(_mm_cmpgt_epi8(s, minusOne), _mm_cmplt_epi8(s, _mm_set1_epi8(64)))
            let required = _mm_or_si128(_mm_or_si128(_mm_cmpgt_epi8(s1, _mm_set1_epi8(63)), _mm_cmpgt_epi8(s2, _mm_set1_epi8(95))),
                                        _mm_cmpgt_epi8(s3, _mm_set1_epi8(111)))
            let bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(s, _mm_set1_epi8(64)), _mm_cmpeq_epi8(s, _mm_set1_epi8(65))),
                                   _mm_cmpgt_epi8(s, _mm_set1_epi8(116)))
            errors = _mm_or_si128(errors, _mm_or_si128(_mm_xor_si128(continuation, required), bad))
            // Leads with a narrower second byte: 0xE0 (96), 0xED (109), 0xF0 and past (112…).
            leads = _mm_or_si128(leads, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(s1, _mm_set1_epi8(96)),
                                                                   _mm_cmpeq_epi8(s1, _mm_set1_epi8(109))),
                                                     _mm_cmpgt_epi8(s1, _mm_set1_epi8(111))))
        }
        if _mm_movemask_epi8(errors) != 0 { return true }
        guard _mm_movemask_epi8(leads) != 0 else { return false }
        for k in 0..<4 {
            let at = offset &+ 16 &* k
            let s = _mm_xor_si128(_mm_loadu_si128((p + at).assumingMemoryBound(to: __m128i.self)), bias)
            let s1 = _mm_xor_si128(_mm_loadu_si128((p + (at &- 1)).assumingMemoryBound(to: __m128i.self)), bias)
            let narrow = _mm_or_si128(
                _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(s1, _mm_set1_epi8(96)), _mm_cmplt_epi8(s, _mm_set1_epi8(32))),    // E0: A0…BF
                             _mm_and_si128(_mm_cmpeq_epi8(s1, _mm_set1_epi8(109)), _mm_cmpgt_epi8(s, _mm_set1_epi8(31)))),  // ED: 80…9F
                _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(s1, _mm_set1_epi8(112)), _mm_cmplt_epi8(s, _mm_set1_epi8(16))),   // F0: 90…BF
                             _mm_and_si128(_mm_cmpeq_epi8(s1, _mm_set1_epi8(116)), _mm_cmpgt_epi8(s, _mm_set1_epi8(15)))))  // F4: 80…8F
            if _mm_movemask_epi8(narrow) != 0 { return true }
        }
        return false
        #else
        return true   // elsewhere every block is checked byte by byte
        #endif
    }
}
