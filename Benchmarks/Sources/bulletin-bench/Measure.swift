import Foundation

/// Runs child processes and measures them: wall time by a monotonic clock around the child, peak
/// resident memory by /usr/bin/time.
enum Measure {
    struct Run {
        var seconds: Double
        var maxRSSKiB: Int
        /// User and system time of the child and the children it waited for (parse workers).
        var cpuSeconds: Double
        var output: Data
    }

    /// Runs `executable` with `arguments` under /usr/bin/time; standard output is kept, standard error dropped.
    /// The seconds are the monotonic clock's around the child (time's `%e` has 10 ms steps: a ratio of two
    /// runs of 0.15 and 0.20 s moved by 7 % with one step).
    static func run(_ executable: String, _ arguments: [String]) throws -> Run {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("bench-time-\(getpid())")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", "%M %U %S", "-o", report.path, executable] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        let ended = p.endSignal()
        let start = DispatchTime.now().uptimeNanoseconds
        try p.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        ended.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // The last line: time writes a line of its own before it when the child was killed by a signal.
        let line = try String(contentsOf: report, encoding: .utf8).split(separator: "\n").last ?? ""
        let fields = line.split(separator: " ").map(String.init)
        let cpu = fields.count == 3 ? (Double(fields[1]) ?? 0) + (Double(fields[2]) ?? 0) : 0
        let run = Run(seconds: seconds, maxRSSKiB: Int(fields.first ?? "") ?? 0, cpuSeconds: cpu, output: output)
        // Every run on standard error, so that a best-of figure can be read against the runs it was chosen from.
        FileHandle.standardError.write(Data(String(format: "  %.3f s wall, %.2f s CPU, %d MiB: %@ %@\n", seconds, cpu,
                                                   run.maxRSSKiB / 1024, URL(fileURLWithPath: executable).lastPathComponent,
                                                   arguments.prefix(6).joined(separator: " ")).utf8))
        return run
    }

    /// `n` rounds of the command lines taking turns (A B C A B C …): each round's runs, in the commands'
    /// order. Two runs a ratio divides are taken in the same minutes, so a busy minute of this shared
    /// machine falls on both rather than on one (measured one after the other, a ratio moved by up to a third).
    static func rounds(_ n: Int, _ executable: String, _ commands: [[String]]) throws -> [[Run]] {
        try (0..<n).map { _ in try commands.map { try run(executable, $0) } }
    }

    /// The fastest run of command `i` over `rounds`.
    static func best(_ rounds: [[Run]], _ i: Int) -> Run {
        rounds.map { $0[i] }.min { $0.seconds < $1.seconds }!
    }

    /// The median over `rounds` of command `a`'s time ÷ command `b`'s in the same round. This host's speed
    /// moves by the minute: the two fastest runs may come from different minutes (one bench's warm 30 ÷ 5
    /// days read 1.15 from them while its nine rounds gave 0.84 to 2.10, median 1.28), where a round's two
    /// runs share theirs.
    static func pairedRatio(_ rounds: [[Run]], _ a: Int, _ b: Int) -> Double {
        let ratios = rounds.map { $0[a].seconds / $0[b].seconds }.sorted()
        let n = ratios.count
        return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2
    }

    /// The fastest of `n` runs (the others are the machine's noise).
    static func best(of n: Int, _ executable: String, _ arguments: [String]) throws -> Run {
        var runs: [Run] = []
        for _ in 0..<n { runs.append(try run(executable, arguments)) }
        return runs.min { $0.seconds < $1.seconds }!
    }

    /// Seconds `tool` takes over `files`, given in as few invocations as the argument limit allows
    /// (`cat` into /dev/null, `xmllint --stream --noout`): best of `n`.
    static func tool(_ tool: String, _ options: [String], over files: [String], best n: Int = 3) throws -> Double {
        let chunks = stride(from: 0, to: files.count, by: 2_000).map { Array(files[$0..<min(files.count, $0 + 2_000)]) }
        var best = Double.infinity
        for _ in 0..<n {
            let start = Date()
            for chunk in chunks {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: tool)
                p.arguments = options + chunk
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                let ended = p.endSignal()
                try p.run()
                ended.wait()
            }
            best = min(best, Date().timeIntervalSince(start))
        }
        return best
    }

    /// Runs Benchmarks/peer.py in the project's virtual environment; its JSON, and its peak memory.
    static func peer(_ arguments: [String]) throws -> (json: [String: Any], maxRSSKiB: Int) {
        let r = try run(".venv/bin/python", ["Benchmarks/peer.py"] + arguments)
        return (try JSONSerialization.jsonObject(with: r.output) as! [String: Any], r.maxRSSKiB)
    }
}

extension Process {
    /// A semaphore signalled when the process has ended, to wait on instead of `waitUntilExit`: on Linux
    /// that polls its run loop in 50 ms slices and mostly sleeps out the whole slice after the child has
    /// ended (`/bin/true` measured 52 ms through it, 2 ms through this), which put up to 50 ms on each
    /// process the bench timed (bulletin's runs, and `cat`'s in their parts; the peers time their
    /// queries themselves). Set before `run()`.
    func endSignal() -> DispatchSemaphore {
        let ended = DispatchSemaphore(value: 0)
        terminationHandler = { _ in ended.signal() }
        return ended
    }
}
