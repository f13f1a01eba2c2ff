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

extension AllocatorTuning {
    /// Asks the kernel for transparent huge pages (`MADV_HUGEPAGE`) on glibc's heaps as they stand: the
    /// main heap, and each thread arena's heap (glibc aligns those to 64 MiB), its part not yet in use
    /// included. What `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` makes glibc do as each heap grows, which a
    /// process cannot set for itself without starting again (11 ms a start): memory faulted in 2 MiB at
    /// a time rather than 4 KiB. A warm 30-day night took 14.5k page faults, 5.0k so (3.8k with the
    /// tunable), its median 0.254 → 0.232 s (40 rounds), its peak memory 135 → 138 MB. A heap that grows
    /// later is asked for again by the next call, so a run calls it where its heaps have grown: each grows
    /// 16 MiB ahead of its use (M_TOP_PAD). Anything else (stacks, files, what is not glibc's) is left as
    /// it is.
    public static func adviseHugePages() {
        #if os(Linux)
        guard let maps = procSelfMaps() else { return }
        let arenaAlignment = 64 << 20
        var arenaEnd = 0   // the end of the arena heap whose first part the line before began, if any
        for line in maps.split(separator: 0x0A) {
            guard let mapping = Mapping(line) else { continue }
            if mapping.path == "[heap]" {
                advise(mapping.start, mapping.end)
            } else if mapping.path.isEmpty && mapping.start % arenaAlignment == 0 && mapping.writable {
                advise(mapping.start, mapping.end)
                arenaEnd = mapping.start + arenaAlignment
                continue
            } else if mapping.path.isEmpty && !mapping.writable && mapping.end <= arenaEnd {
                advise(mapping.start, mapping.end)   // the arena heap's part not yet in use
            }
            arenaEnd = 0
        }
        #endif
    }

    /// One line of `/proc/self/maps`: its range, whether it is writable, and its path (empty: anonymous).
    private struct Mapping {
        let start: Int, end: Int, writable: Bool, path: String

        init?(_ line: ArraySlice<UInt8>) {
            let fields = line.split(separator: 0x20, maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count >= 5, let dash = fields[0].firstIndex(of: UInt8(ascii: "-")),
                  let start = Int(String(decoding: fields[0][..<dash], as: UTF8.self), radix: 16),
                  let end = Int(String(decoding: fields[0][(dash + 1)...], as: UTF8.self), radix: 16) else { return nil }
            self.start = start
            self.end = end
            writable = fields[1].dropFirst().first == UInt8(ascii: "w")
            path = fields.count == 6 ? String(decoding: fields[5].drop { $0 == 0x20 }, as: UTF8.self) : ""
        }
    }

    /// `/proc/self/maps` read to its end (its size says 0: `FileName.contents` reads nothing of it).
    private static func procSelfMaps() -> [UInt8]? {
        let fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var maps: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 64 << 10)
        while maps.count < 4 << 20 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            maps += chunk[..<n]
        }
        return maps
    }

    private static func advise(_ start: Int, _ end: Int) {
        #if os(Linux)
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
        #endif
    }
}
