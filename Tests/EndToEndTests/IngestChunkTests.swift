@testable import BulletinPipeline
import Testing

/// How a landing's files, largest first, are cut into chunks (one round trip to a parse worker each):
/// sixteen large files a chunk, small ones gathered up to a worker's batch until 256 KiB, none holding
/// more than a fourth of what each core has to read, every file in exactly one chunk, in order.
struct IngestChunkTests {
    /// The chunks' sizes in files, for two cores.
    func chunkFiles(_ sizes: [Int], cores: Int = 2) -> [Int] {
        let bounds = IngestedFile.chunkBounds(sizes: sizes, cores: cores)
        #expect(bounds.first == 0 && bounds.last == sizes.count)
        #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "no empty chunk, none out of order")
        return zip(bounds, bounds.dropFirst()).map { $1 - $0 }
    }

    @Test func largeFilesSixteenAChunkSmallOnesGatheredToABatch() {
        // A night's shape: rosters of some 300 KB, then hundreds of daily reports of a few KB.
        let rosters = [Int](repeating: 300_000, count: 120), reports = [Int](repeating: 2_000, count: 300)
        let chunks = chunkFiles(rosters + reports)
        #expect(Array(chunks.prefix(8)) == [Int](repeating: 16, count: 8))
        #expect(chunks.allSatisfy { $0 <= ParseWorkerPool.batchFiles })
        #expect(chunks.filter { $0 == ParseWorkerPool.batchFiles }.count == 4, "the reports in full batches: \(chunks)")
        #expect(chunks.count == 13, "\(chunks)")
        // Mid-sized files: a chunk ends once it holds 256 KiB and sixteen files.
        #expect(chunkFiles([Int](repeating: 10_000, count: 1_000)).prefix(3) == [27, 27, 27])
        // Fewer of them: a chunk ends at a fourth of each core's share.
        #expect(chunkFiles([Int](repeating: 10_000, count: 100)) == [25, 25, 25, 25])
        #expect(chunkFiles(Array(rosters.prefix(40)) + reports).prefix(3) == [11, 11, 11])
    }

    @Test func fewOrNoFiles() {
        #expect(chunkFiles([]) == [])
        #expect(chunkFiles([5]) == [1])
        // A few files still make a chunk for each core and more: each a fourth of the bytes at most.
        #expect(chunkFiles([Int](repeating: 1, count: 64)) == [16, 16, 16, 16])
        #expect(chunkFiles([Int](repeating: 1, count: 64), cores: 1) == [32, 32])
        // A cold night's newest day: one care roster of 116 KB and 21 daily reports of about 3 KB.
        let day = chunkFiles([116_000] + [Int](repeating: 3_400, count: 21))
        #expect(day.first == 1 && day.count >= 3, "\(day)")
    }

    /// A landing of a hundred thousand files (more than a chunk's worth a core) chunks as before: batches
    /// of 64 small files.
    @Test func manyFilesAreChunkedByBatch() {
        #expect(chunkFiles([Int](repeating: 1, count: 100_000)).prefix(3) == [64, 64, 64])
    }
}
