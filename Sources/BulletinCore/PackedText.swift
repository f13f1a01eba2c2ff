/// Text of up to 16 bytes as its length and two words of its bytes: two texts are the same bytes when
/// their `PackedText`s are equal. The words are loaded from the text's two ends, overlapping when it is
/// shorter than 16 bytes (together they hold every byte), so no byte past the text is read and no
/// buffer is filled first (a `memcpy` into a zeroed pair stalled each load on the bytes it had stored: the
/// choice cells of a roster row, matched so, were a sixteenth of reading it).
public struct PackedText: Equatable, Sendable {
    public static let capacity = 16
    public let count: Int
    public let low: UInt64
    public let high: UInt64

    /// The packing of `bytes`; nil past 16 bytes.
    @inlinable @inline(__always)
    public init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n <= Self.capacity else { return nil }
        count = n
        guard let base = bytes.baseAddress, n > 0 else {
            (low, high) = (0, 0)
            return
        }
        let p = UnsafeRawPointer(base)
        if n >= 8 {
            low = p.loadUnaligned(as: UInt64.self)
            high = p.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 {
            low = UInt64(p.loadUnaligned(as: UInt32.self))
            high = UInt64(p.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self))
        } else {
            low = UInt64(base[0]) | UInt64(base[n >> 1]) << 8 | UInt64(base[n &- 1]) << 16
            high = 0
        }
    }
}
