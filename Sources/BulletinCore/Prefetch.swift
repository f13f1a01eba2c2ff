/// LLVM's prefetch intrinsic (`PREFETCHT0` on x86-64, `PRFM` on arm64): Swift has no spelling of its own.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

/// Asks the CPU to bring the cache line at `address` into every cache level, without waiting for it.
///
/// For lookups that miss the cache by nature (a hash table larger than the caches, probed at random):
/// the line of a lookup a few rows ahead is requested while this row is worked on, so the misses
/// overlap instead of each stalling the loop. A hint only: it never faults, whatever the address.
@inline(__always)
public func prefetch(_ address: UnsafeRawPointer) {
    llvmPrefetch(address, 0, 3, 1)
}
