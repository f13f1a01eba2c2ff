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
