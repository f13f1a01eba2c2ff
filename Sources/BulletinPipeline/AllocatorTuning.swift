#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator set for a process that builds one night's data and exits. By default it maps
/// large blocks on their own and unmaps them when freed, gives freed memory back to the kernel, and
/// grows each thread's heap 128 KiB at a time: a warm night made 739 `mprotect` calls and faulted
/// the same memory in again after giving it back (page faults are a fifth of its CPU time).
///
/// Public so that every process that runs the stages sets it alike: the command (and its parse
/// workers) and the benchmark, whose in-process rows measure the stages as the command runs them.
public enum AllocatorTuning {
    private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32

    /// Call first thing in the process. (`mallopt` is looked up: Swift's Glibc module leaves malloc.h out.)
    public static func forOneBatch() {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        // Each setting is checked in debug builds (the tests' binary): glibc ignores a value out of its range
        // and says so only by returning 0. (A threshold of 64 MiB was refused that way from the seventeenth session to the nineteenth, which
        // left every block of 128 KiB or more mapped on its own: the dynamic threshold is off once any of
        // these is set.)
        let accepted = [
            mallopt(-3, 32 << 20),   // M_MMAP_THRESHOLD: blocks under 32 MiB (glibc's most) come from the heap, reused once freed
            mallopt(-1, 256 << 20),  // M_TRIM_THRESHOLD: freed memory is kept unless 256 MiB lie free at the top
            mallopt(-2, 16 << 20),   // M_TOP_PAD: heaps grow 16 MiB at a time
        ]
        assert(accepted.allSatisfy { $0 == 1 }, "glibc refused an allocator setting: \(accepted)")
        #endif
    }
}
