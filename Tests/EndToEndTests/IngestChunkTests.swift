@testable import BulletinPipeline
import Testing

/// How a landing's files, largest first, are cut into chunks (one round trip to a parse worker each):
/// sixteen large files a chunk, small ones gathered up to a worker's batch until 256 KiB, every file in
/// exactly one chunk, in order.
struct IngestChunkTests {
    /// The chunks' sizes in files.
    func chunkFiles(_ sizes: [Int]) -> [Int] {
        let bounds = IngestedFile.chunkBounds(sizes: sizes)
        #expect(bounds.first == 0 && bounds.last == sizes.count)
        #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "no empty chunk, none out of order")
        return zip(bounds, bounds.dropFirst()).map { $1 - $0 }
    }

    @Test func largeFilesSixteenAChunkSmallOnesGatheredToABatch() {
        // A night's shape: rosters of some 300 KB, then thousands of daily reports of a few KB.
        let rosters = [Int](repeating: 300_000, count: 40), reports = [Int](repeating: 2_000, count: 300)
        let chunks = chunkFiles(rosters + reports)
        #expect(Array(chunks.prefix(2)) == [16, 16])
        #expect(chunks.allSatisfy { $0 <= ParseWorkerPool.batchFiles })
        #expect(chunks.filter { $0 == ParseWorkerPool.batchFiles }.count == 4, "the reports in full batches: \(chunks)")
        #expect(chunks.count == 8, "\(chunks)")
        // Mid-sized files: a chunk ends once it holds 256 KiB and sixteen files.
        #expect(chunkFiles([Int](repeating: 10_000, count: 100)) == [27, 27, 27, 19])
    }

    @Test func fewOrNoFiles() {
        #expect(chunkFiles([]) == [])
        #expect(chunkFiles([5]) == [1])
        #expect(chunkFiles([Int](repeating: 1, count: 64)) == [64])
        #expect(chunkFiles([Int](repeating: 1, count: 65)) == [64, 1])
    }
}
