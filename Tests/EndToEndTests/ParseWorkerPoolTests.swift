@testable import BulletinPipeline
import BulletinTestSupport
import BulletinValidate
import Foundation
import Testing

/// A night's parse workers: started ahead on a thread of their own (a batch sent meanwhile waits for
/// one), with glibc's huge pages asked for, let go once the landing is read (each ends on its own), and
/// started again should a batch come after all.
struct ParseWorkerPoolTests {
    /// The pids of this process's children running `bulletin parse-worker`, not yet ended.
    func liveWorkers() -> Set<Int32> {
        let me = getpid()
        var found: Set<Int32> = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { continue }
            // After the command's closing parenthesis: the state, then the parent's pid.
            let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", Int32(fields[1]) == me,
                  String(decoding: command, as: UTF8.self).contains("parse-worker") else { continue }
            found.insert(pid)
        }
        return found
    }

    /// How many workers there are once there are `count`, or after five seconds.
    func workers(settlingAt count: Int) -> Int {
        var live = liveWorkers().count
        for _ in 0..<500 where live != count {
            usleep(10_000)
            live = liveWorkers().count
        }
        return live
    }

    @Test func workersStartAheadEndWhenLetGoAndStartAgainForALaterBatch() throws {
        let pool = ParseWorkerPool(executable: bulletinBinary, arguments: ["parse-worker"])
        pool.start(2)
        let csv = dailyCSV(rows: [dailyRow()])
        let request = ParseRequest(bytes: Array(csv.utf8), source: "2020-02-08/日报/a.csv", format: .csv, year: 2020)
        let parser = FileParser.workers(pool)
        let first = parser.parse([request], pseudonyms: .testing)
        #expect(first.count == 1 && first[0].validated.dailyReports.count == 1)
        // The batch took one of those started ahead, none of its own (the other may still be starting).
        #expect(workers(settlingAt: 2) == 2)
        // Each started in this process's environment with huge pages asked for.
        #expect(ParseWorkerPool.workerEnvironment.contains { String(decoding: $0, as: UTF8.self).contains("glibc.malloc.hugetlb=") })
        for pid in liveWorkers() {
            let environment = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ")).split(separator: 0).map(Array.init)
            #expect(environment == ParseWorkerPool.workerEnvironment)
        }

        #expect(pool.counts == (forked: 0, started: 2))

        pool.letIdleWorkersGo()
        #expect(workers(settlingAt: 0) == 0)

        let again = parser.parse([request], pseudonyms: .testing)
        #expect(again[0].validated.dailyReports == first[0].validated.dailyReports)
        #expect(liveWorkers().count == 1)
    }

    /// A pool forks workers only from a process running one thread (a command's start): in this one, which
    /// runs threads, it refuses, and its first batch starts a worker as a program.
    @Test func aPoolForksOnlyFromAProcessOfOneThread() {
        let release = DispatchSemaphore(value: 0), running = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            running.signal()
            release.wait()
        }
        running.wait()
        defer { release.signal() }
        let pool = ParseWorkerPool(executable: bulletinBinary, arguments: ["parse-worker"], mayFork: true)
        #expect(!pool.fork(2))
        #expect(pool.counts == (forked: 0, started: 0))
        let csv = dailyCSV(rows: [dailyRow()])
        let request = ParseRequest(bytes: Array(csv.utf8), source: "2020-02-08/日报/a.csv", format: .csv, year: 2020)
        #expect(FileParser.workers(pool).parse([request], pseudonyms: .testing)[0].validated.dailyReports.count == 1)
        #expect(pool.counts == (forked: 0, started: 1))
    }

    @Test func hugePagesAreAddedToWhatTheEnvironmentAsksOfGlibcUnlessItSaysOtherwise() {
        func bytes(_ entries: [String]) -> [[UInt8]] { entries.map { Array($0.utf8) } }
        let gbkName: [UInt8] = Array("LANDING=".utf8) + [0xC8, 0xD5, 0xB1, 0xA8]   // 日报 in GBK, not UTF-8
        #expect(ParseWorkerPool.withHugePages(bytes(["PATH=/bin"]) + [gbkName])
                == bytes(["PATH=/bin"]) + [gbkName] + bytes(["GLIBC_TUNABLES=glibc.malloc.hugetlb=1"]))
        #expect(ParseWorkerPool.withHugePages(bytes(["GLIBC_TUNABLES=glibc.malloc.arena_max=2", "HOME=/root"]))
                == bytes(["GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1", "HOME=/root"]))
        #expect(ParseWorkerPool.withHugePages(bytes(["GLIBC_TUNABLES="])) == bytes(["GLIBC_TUNABLES=glibc.malloc.hugetlb=1"]))
        for said in ["GLIBC_TUNABLES=glibc.malloc.hugetlb=0", "GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"] {
            #expect(ParseWorkerPool.withHugePages(bytes([said])) == bytes([said]))
        }
    }
}
