import BulletinCore
import BulletinIngest
import BulletinValidate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small pool of worker processes (`bulletin parse-worker`) that read untrusted files.
///
/// Each worker takes a batch of files at a time over a pipe and answers with the encoded results;
/// workers are reused across batches. A worker that dies on a file (a trap, a signal, memory exhausted) or
/// takes longer than `timeout` is killed and replaced, and that file alone is rejected with
/// what happened. Safe to use from many threads at once.
public final class ParseWorkerPool: @unchecked Sendable {
    private let executable: URL
    private let arguments: [String]
    private let timeout: Double
    private let mayFork: Bool
    private let state = NSCondition()
    private var idle: [Worker] = []
    /// Workers `start` is still starting: a batch waits for one of them rather than start its own.
    private var starting = 0
    /// Workers let go (`letIdleWorkersGo`), ending on their own; reaped with the pool.
    private var leaving: [Worker] = []
    private var forkedCount = 0, startedCount = 0

    /// How many workers the pool has forked (`fork`) and started as programs (ahead, when a batch found
    /// none, and in place of one that died on a file).
    public var counts: (forked: Int, started: Int) {
        state.lock()
        defer { state.unlock() }
        return (forkedCount, startedCount)
    }

    /// Workers run `executable arguments…` (the CLI passes itself and `parse-worker`). `mayFork`: that
    /// program is this very process's `ParseWorker.serve`, so `fork` may make workers of this process itself.
    public init(executable: URL, arguments: [String], timeout: Double = 120, mayFork: Bool = false) {
        self.executable = executable
        self.arguments = arguments
        self.timeout = timeout
        self.mayFork = mayFork
        signal(SIGPIPE, SIG_IGN)   // a worker that died must not take this process with it
    }

    deinit { for w in idle + leaving { w.stop() } }

    /// Lets every idle worker go: its input is closed and it ends on its own while the caller goes on.
    /// For when no more files are expected (a night's are read before it aggregates): stopping the
    /// workers as the pool ended, a kill and a wait each, held a cold night's last 6 ms, and they kept
    /// their memory until then. A batch sent later starts a worker again.
    public func letIdleWorkersGo() {
        state.lock()
        let going = idle
        idle = []
        leaving += going
        state.unlock()
        for worker in going { worker.closeInput() }
    }

    /// Forks `count` workers from this process, if it may (`mayFork`) and runs a single thread (a
    /// command's start; see `ChildProcess.init(forking:)`); says whether it did. A forked worker is ready at
    /// once, its program loaded and its pages shared, for a fraction of a millisecond: a started one
    /// loads the program again (5 ms of CPU), and a night that started its workers so took 1.07 of the
    /// time parsing in process took (the district's new day over a store; forked, 0.99), its cold day
    /// 1.13 (forked, 1.03). One that cannot be forked is left to the first batch to start.
    public func fork(_ count: Int) -> Bool {
        guard mayFork, ChildProcess.hasOneThread else { return false }
        let forked = (0..<count).compactMap { _ in try? Worker(forking: ParseWorker.serve) }
        state.lock()
        idle += forked
        forkedCount += forked.count
        state.unlock()
        return true
    }

    /// Starts `count` workers now, on a thread of their own, for a run sure to parse: each loads its
    /// program while the caller lists the landing, instead of when the first files are sent (and the
    /// caller goes on at once: starting them one after the other held it 7 ms). One that cannot start
    /// is left to the first batch to try again.
    public func start(_ count: Int) {
        state.lock()
        starting += count
        state.unlock()
        _ = Concurrently.start { [self] in
            for _ in 0..<count {
                let worker = try? Worker(executable: executable, arguments: arguments)
                state.lock()
                starting -= 1
                if let worker {
                    idle.append(worker)
                    startedCount += 1
                }
                state.broadcast()
                state.unlock()
            }
        }
    }

    /// Requests are sent in batches (up to `batchFiles` files and `batchBytes` bytes) to keep the
    /// round trips few. When a worker dies on a batch, its files are read again one by one, so
    /// only the file it died on is rejected.
    func parse(_ requests: [ParseRequest], pseudonyms: Pseudonymizer) -> [ParsedFile] {
        var results: [ParsedFile] = []
        results.reserveCapacity(requests.count)
        var start = 0
        while start < requests.count {
            var end = start + 1, bytes = requests[start].size
            while end < requests.count, end - start < Self.batchFiles, bytes + requests[end].size <= Self.batchBytes {
                bytes += requests[end].size
                end += 1
            }
            results += parseBatch(requests[start..<end], pseudonyms: pseudonyms)
            start = end
        }
        return results
    }

    static let batchFiles = 64
    static let batchBytes = 4 << 20

    private func parseBatch(_ batch: ArraySlice<ParseRequest>, pseudonyms: Pseudonymizer) -> [ParsedFile] {
        let worker: Worker
        do { worker = try take() } catch {
            // No worker could be started: read here rather than lose the files.
            return FileParser.inProcess.parse(Array(batch), pseudonyms: pseudonyms)
        }
        let failure: String
        switch worker.exchange(ParseWorker.request(batch, key: pseudonyms.keyBytes), timeout: timeout) {
        case .answer(let payload):
            if let results = ParseWorker.decodeAnswer(payload, for: batch) {
                give(worker)
                return results
            }
            worker.stop()
            failure = "返回了无法解析的结果"
        case .died(let why):
            failure = "在处理此文件时\(why)，文件已被拒绝（其他文件不受影响）；请用Excel或WPS打开后另存为.xlsx再报送"
        }
        if batch.count > 1 { return batch.flatMap { parseBatch([$0], pseudonyms: pseudonyms) } }
        // A file given by path is hashed here, so that the manifest names what the worker died on.
        let file = batch.first!
        return [ParsedFile(validated: ValidatedFile.rejectedWhole(source: file.source, reason: .unreadableFile,
                                                                  message: "文件无法读取：读取程序\(failure)"),
                           read: file.contents()?.read)]
    }

    /// The environment a worker starts with: this process's, asking glibc for huge pages for the
    /// worker's heaps (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`) unless it says something of them already.
    /// A worker faults in a whole batch's memory: with 2 MiB pages a cold day took 0.96–0.98 of its time.
    /// (A process cannot ask for them once started: the night's own process gets them from its
    /// environment, as `Deploy/`'s units set it.)
    static let workerEnvironment: [[UInt8]] = {
        var entries: [[UInt8]] = []
        var entry = environ
        while let text = entry.pointee {
            entries.append(Array(UnsafeRawBufferPointer(start: text, count: strlen(text))))
            entry += 1
        }
        return withHugePages(entries)
    }()

    /// `environment` with `glibc.malloc.hugetlb=1` added to its `GLIBC_TUNABLES` (made when absent),
    /// unless that already names the tunable.
    static func withHugePages(_ environment: [[UInt8]]) -> [[UInt8]] {
        let name = Array("GLIBC_TUNABLES=".utf8), tunable = Array("glibc.malloc.hugetlb".utf8)
        var environment = environment
        guard let i = environment.firstIndex(where: { $0.starts(with: name) }) else {
            return environment + [name + tunable + Array("=1".utf8)]
        }
        let value = environment[i].dropFirst(name.count)
        if value.split(separator: UInt8(ascii: ":")).contains(where: { $0.starts(with: tunable + [UInt8(ascii: "=")]) }) {
            return environment
        }
        environment[i] += (value.isEmpty ? [] : [UInt8(ascii: ":")]) + tunable + Array("=1".utf8)
        return environment
    }

    private func take() throws -> Worker {
        state.lock()
        while idle.isEmpty && starting > 0 { state.wait() }
        let reused = idle.popLast()
        state.unlock()
        if let reused { return reused }
        let worker = try Worker(executable: executable, arguments: arguments)
        state.lock()
        startedCount += 1
        state.unlock()
        return worker
    }

    private func give(_ worker: Worker) {
        state.lock()
        idle.append(worker)
        state.unlock()
    }
}

/// One worker process and its two pipes; frames are an 8-byte little-endian length and a payload.
private final class Worker {
    enum Outcome {
        case answer([UInt8])
        case died(String)
    }

    private let process: ChildProcess
    private var toWorker: Int32 { process.toChild }
    private var fromWorker: Int32 { process.fromChild }

    init(executable: URL, arguments: [String]) throws {
        process = try ChildProcess(path: executable.path, arguments: [executable.path] + arguments,
                                   environment: ParseWorkerPool.workerEnvironment)
        widenPipes()
    }

    /// A worker forked from this process, running `serve`.
    init(forking serve: () -> Int32) throws {
        process = try ChildProcess(forking: serve)
        widenPipes()
    }

    private func widenPipes() {
        _ = fcntl(toWorker, Self.setPipeSize, Self.pipeBytes)
        _ = fcntl(fromWorker, Self.setPipeSize, Self.pipeBytes)
    }

    /// `F_SETPIPE_SZ` (Linux): pipes of 1 MiB, the unprivileged maximum, rather than 64 KiB, so a
    /// batch crosses in a few wake-ups instead of one per 64 KiB.
    private static let setPipeSize: Int32 = 1031
    private static let pipeBytes: Int32 = 1 << 20

    /// Closes the worker's input: it ends once it has read to the end (`ParseWorker.serve`).
    func closeInput() { process.closeInput() }

    func exchange(_ payload: [[UInt8]], timeout: Double) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        guard Frame.write(payload, to: toWorker), let answer = Frame.read(from: fromWorker, until: deadline) else {
            return .died(stopAndExplain(timedOut: Date() >= deadline))
        }
        return .answer(answer)
    }

    /// Kills the worker and says how it ended.
    private func stopAndExplain(timedOut: Bool) -> String {
        if timedOut {
            stop()
            return "超时（可能是文件结构异常导致读取无法结束）"
        }
        guard reaped() else {
            stop()
            return "异常退出"
        }
        switch process.ending {
        case .signalled(let signal): return "异常退出（信号\(signal)）"
        case .exited(let status): return "异常退出（退出码\(status)）"
        case nil: return "异常退出"
        }
    }

    func stop() {
        process.kill()
        _ = reaped()
    }

    /// Waits a bounded time for the process to be reaped (never forever: the night must go on).
    private func reaped() -> Bool {
        for _ in 0..<5_000 where !process.hasEnded { usleep(1_000) }
        return process.hasEnded
    }
}

/// Length-prefixed frames over pipes, with a deadline on reading.
enum Frame {
    /// One frame whose payload is `parts`, one after another, written with as few system calls as
    /// the pipe allows (`writev`: a write per part woke the reader once per part).
    static func write(_ parts: [[UInt8]], to fd: Int32) -> Bool {
        var length = UInt64(parts.reduce(0) { $0 + $1.count }).littleEndian
        let header = withUnsafeBytes(of: &length) { Array($0) }
        return writeAll([header] + parts, fd)
    }

    /// At most 1,024 vectors a call (Linux's `UIO_MAXIOV`).
    private static func writeAll(_ parts: [[UInt8]], _ fd: Int32) -> Bool {
        // The parts stay alive (and unmoved) for the whole call: `parts` holds them.
        var vectors = parts.filter { !$0.isEmpty }.map { part in
            part.withUnsafeBytes { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress!), iov_len: $0.count) }
        }
        return withExtendedLifetime(parts) {
            var first = 0
            while first < vectors.count {
                let n = vectors.withUnsafeMutableBufferPointer { v in
                    writev(fd, v.baseAddress! + first, Int32(min(v.count - first, 1024)))
                }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                // Skip what was written: whole vectors, then into the first one left.
                var left = n
                while first < vectors.count, left >= vectors[first].iov_len {
                    left -= vectors[first].iov_len
                    first += 1
                }
                if left > 0 {
                    vectors[first].iov_base += left
                    vectors[first].iov_len -= left
                }
            }
            return true
        }
    }

    /// The next frame, or nil at end of stream, on error, or past `deadline` (nil: no deadline).
    static func read(from fd: Int32, until deadline: Date?) -> [UInt8]? {
        guard let header = readExactly(8, fd, deadline) else { return nil }
        let length = header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        // No request or answer comes near 4 GiB (files are capped by max_file_mb): a larger length is a broken peer.
        guard length <= 1 << 32 else { return nil }
        return readExactly(Int(length), fd, deadline)
    }

    private static func readExactly(_ count: Int, _ fd: Int32, _ deadline: Date?) -> [UInt8]? {
        var complete = false
        // Uninitialised: a frame is a whole batch of files, and zeroing it first was a pass over all of it.
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            defer { initialized = done }
            while done < count {
                if let deadline {
                    let left = deadline.timeIntervalSinceNow
                    guard left > 0 else { return }
                    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&p, 1, Int32(min(left * 1000, 60_000)))
                    if ready < 0 && errno == EINTR { continue }
                    if ready <= 0 { if ready == 0 { continue } else { return } }
                }
                let n = Glibc.read(fd, buffer.baseAddress! + done, count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                done += n
            }
            complete = true
        }
        return complete ? out : nil
    }
}
