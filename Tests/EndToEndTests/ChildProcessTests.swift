@testable import BulletinPipeline
import Foundation
import Testing

/// How parse workers are started: on the caller's pipes, nothing else of the caller's inherited; and
/// how they end: a child whose input is closed ends on its own.
struct ChildProcessTests {
    /// All the child writes on its standard output, until it closes it.
    func output(of child: ChildProcess) -> String {
        var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(child.fromChild, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func waitForEnd(_ child: ChildProcess) -> ChildProcess.Ending? {
        for _ in 0..<5_000 where !child.hasEnded { usleep(1_000) }
        return child.ending
    }

    @Test func theChildHasItsPipesAndStandardErrorAndNoOtherDescriptorOfTheCallers() throws {
        // A descriptor left open across exec (no close-on-exec), as a library may leave one.
        let inherited = open("/dev/null", O_RDONLY)
        defer { close(inherited) }
        #expect(inherited > 2 && fcntl(inherited, F_GETFD) & FD_CLOEXEC == 0)
        let child = try ChildProcess(path: "/bin/sh", arguments: ["sh", "-c", "echo started; ls /proc/$$/fd; echo oops >&2"])
        let seen = output(of: child).split(separator: "\n").map(String.init)
        #expect(seen == ["started", "0", "1", "2"])   // the shell's own: standard streams only, errors not on output
        #expect(waitForEnd(child) == .exited(0))
    }

    /// A forked child (as parse workers are, forked as a command begins) has the caller's pipes as its
    /// standard input and output, /dev/null as its standard error and none of the caller's other
    /// descriptors, and ends with what its work returns. Its work here makes system calls only: this
    /// process runs other threads, and a child forked from it must touch nothing one of them may hold.
    @Test func aForkedChildHasItsPipesAndNoOtherDescriptorAndEndsWithItsStatus() throws {
        let inherited = open("/dev/null", O_RDONLY)
        defer { close(inherited) }
        var null = stat()
        #expect(fstat(inherited, &null) == 0)
        let nullDevice = null.st_rdev
        let child = try ChildProcess(forking: {
            var byte: UInt8 = 0
            guard read(0, &byte, 1) == 1 else { return 9 }
            var errors = stat()
            let errorsToNull = fstat(2, &errors) == 0 && errors.st_rdev == nullDevice
            // The byte back, whether the caller's descriptor is closed here, whether errors go to /dev/null.
            var answer: (UInt8, UInt8, UInt8) = (byte, fcntl(inherited, F_GETFD) == -1 ? 1 : 0, errorsToNull ? 1 : 0)
            _ = withUnsafeBytes(of: &answer) { write(1, $0.baseAddress, 3) }
            return 5
        })
        var byte: UInt8 = 42
        #expect(write(child.toChild, &byte, 1) == 1)
        #expect(Array(output(of: child).utf8) == [42, 1, 1])
        #expect(waitForEnd(child) == .exited(5))
    }

    /// `hasOneThread` tells a process that may fork from one that must not: this one runs threads.
    @Test func aProcessRunningThreadsIsNotOneToForkFrom() {
        let release = DispatchSemaphore(value: 0), running = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            running.signal()
            release.wait()
        }
        running.wait()
        #expect(!ChildProcess.hasOneThread)
        release.signal()
    }

    @Test func anExitStatusAndAKillAreToldApart() throws {
        let failing = try ChildProcess(path: "/bin/sh", arguments: ["sh", "-c", "exit 3"])
        #expect(waitForEnd(failing) == .exited(3))
        let sleeping = try ChildProcess(path: "/bin/sleep", arguments: ["sleep", "30"])
        #expect(!sleeping.hasEnded)
        sleeping.kill()
        #expect(waitForEnd(sleeping) == .signalled(SIGKILL))
        #expect(throws: ChildProcess.CannotStart.self) { try ChildProcess(path: "/nonexistent/program", arguments: ["x"]) }
    }

    @Test func aChildWhoseInputIsClosedEndsOnItsOwn() throws {
        let reader = try ChildProcess(path: "/bin/cat", arguments: ["cat"])
        #expect(!reader.hasEnded)
        reader.closeInput()
        reader.closeInput()   // once only: the descriptor is not closed twice
        #expect(reader.toChild == -1)
        #expect(waitForEnd(reader) == .exited(0))
    }
}
