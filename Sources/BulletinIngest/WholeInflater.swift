private import CLibDeflate
#if canImport(Glibc)
import Glibc
#endif

/// Inflates a zip member's raw DEFLATE data in one call (libdeflate: two to three times zlib's speed
/// on spreadsheet XML), into a buffer of the size the zip's directory declares.
enum WholeInflater {
    enum Outcome {
        /// The member's bytes.
        case inflated([UInt8])
        /// The data inflate to more than `capacity` bytes.
        case tooLarge
        /// The data are not DEFLATE (damaged, or cut short), or no decompressor could be made.
        case damaged
    }

    /// Inflates `compressed` into at most `capacity` bytes.
    static func inflate(_ compressed: UnsafeBufferPointer<UInt8>, capacity: Int) -> Outcome {
        guard let decompressor = threadDecompressor() else { return .damaged }
        var produced = 0
        var result = LIBDEFLATE_BAD_DATA
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            result = libdeflate_deflate_decompress(decompressor, compressed.baseAddress, compressed.count,
                                                   buffer.baseAddress, capacity, &produced)
            count = result == LIBDEFLATE_SUCCESS ? produced : 0
        }
        switch result {
        case LIBDEFLATE_SUCCESS: return .inflated(out)
        case LIBDEFLATE_INSUFFICIENT_SPACE: return .tooLarge
        default: return .damaged
        }
    }

    /// This thread's decompressor, made on its first member. A decompressor keeps nothing from one
    /// member to the next, but making one allocates and zeroes some 11 KiB: five times per .xlsx file
    /// (a fortieth of a workbook day's instructions under callgrind).
    private static func threadDecompressor() -> OpaquePointer? {
        if let stored = pthread_getspecific(slot) { return OpaquePointer(stored) }
        guard let made = libdeflate_alloc_decompressor() else { return nil }
        pthread_setspecific(slot, UnsafeMutableRawPointer(made))
        return made
    }

    /// The thread-specific slot of each thread's decompressor, freed when the thread ends.
    private static let slot: pthread_key_t = {
        var slot = pthread_key_t()
        pthread_key_create(&slot) { stored in
            if let stored { libdeflate_free_decompressor(OpaquePointer(stored)) }
        }
        return slot
    }()
}
