import BulletinPipeline
import Foundation
import Testing

/// Huge pages are asked for on glibc's heaps, and on nothing else of the process.
struct AllocatorTuningTests {
    /// A mapping of `/proc/self/smaps`: its first line and whether its flags hold `hg` (MADV_HUGEPAGE).
    struct Mapping {
        var start: Int, writable: Bool, path: String, hugePages: Bool
    }

    func mappings() throws -> [Mapping] {
        let smaps = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var all: [Mapping] = []
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), fields.count >= 5, let start = Int(range.prefix { $0 != "-" }, radix: 16) {
                all.append(Mapping(start: start, writable: fields[1].dropFirst().first == "w",
                                   path: fields.count >= 6 ? fields[5...].joined(separator: " ") : "", hugePages: false))
            } else if fields.first == "VmFlags:", !all.isEmpty {
                all[all.count - 1].hugePages = fields.contains("hg")
            }
        }
        return all
    }

    @Test func theHeapsAreAskedForHugePagesAndNothingElseIs() throws {
        #if os(Linux)
        // Threads allocating side by side: glibc gives some of them arenas of their own.
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let blocks = (0..<1_000).map { _ in malloc(1_000) }
            blocks.forEach { free($0) }
        }
        AllocatorTuning.adviseHugePages()
        let all = try mappings()
        let heap = try #require(all.first { $0.path == "[heap]" })
        #expect(heap.hugePages)
        let arenas = all.filter { $0.path.isEmpty && $0.writable && $0.start % (64 << 20) == 0 }
        let arenasAdvised = arenas.allSatisfy { $0.hugePages }
        #expect(arenasAdvised)
        // Files, the stack, the vDSO: as they were.
        let others = all.filter { !$0.path.isEmpty && $0.path != "[heap]" }
        #expect(!others.isEmpty)
        let advised = others.filter { $0.hugePages }.map { $0.path }
        #expect(advised.isEmpty)
        #endif
    }
}
