#if canImport(Glibc)
import Glibc
#endif

/// A program started with its standard input and output on pipes of the caller's and its standard error
/// on /dev/null, every other descriptor closed in one call. Foundation's `Process` closed them one
/// system call each, up to the descriptor limit (20,000 here): 20 ms in the child before it could
/// start, with the parent's thread held (`vfork`), for every parse worker of a cold night.
final class ChildProcess {
    /// How the child ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    let pid: pid_t
    /// The caller's ends of the child's standard input and output (closed with the process object;
    /// the input may be closed before, `closeInput`, and is then -1).
    private(set) var toChild: Int32
    let fromChild: Int32
    private(set) var ending: Ending?

    /// Starts `path` with `arguments` (the program's name first) in `environment` (`NAME=value` entries,
    /// as bytes; nil: this process's own); throws when a pipe cannot be made or the program cannot be started.
    init(path: String, arguments: [String], environment: [[UInt8]]? = nil) throws(ChildProcess.CannotStart) {
        let (input, output) = try Self.pipes()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies; every descriptor from 3 on is closed (`close_range`).
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        ChildProcess.closeFrom3(&actions)
        // The child starts with default signal handling (this process ignores SIGPIPE) and nothing blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), none = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var child: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { entries in
            entries.map { entry in entry.withUnsafeBufferPointer { bytes in
                let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                bytes.withMemoryRebound(to: CChar.self) { _ = UnsafeMutableBufferPointer(start: copy, count: bytes.count).initialize(from: $0) }
                copy[bytes.count] = 0
                return copy
            } } + [nil]
        }
        defer { envp?.forEach { $0?.deallocate() } }
        let started: Int32
        if var envp {
            started = posix_spawn(&child, path, &actions, &attributes, argv, &envp)
        } else {
            started = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        }
        close(input[0])
        close(output[1])
        guard started == 0 else {
            close(input[1]); close(output[0])
            throw CannotStart(errno: started)
        }
        pid = child
        toChild = input[1]
        fromChild = output[0]
    }

    /// Forks this process, the child running `body` with its standard input and output on pipes of the
    /// caller's, its standard error on /dev/null and every other descriptor closed, and ending with
    /// `_exit` of what `body` returns (nothing of this process's buffers or exit handlers runs twice). The
    /// child is this process as it stands: its program loaded and relocated, its pages shared until
    /// written, where starting the program again costs a worker 5 ms of CPU (the loader's relocations,
    /// the pages they touch). Only while this process has a single thread (`hasOneThread`): a fork
    /// copies the calling thread alone, and a lock another thread held would stay held in the child.
    init(forking body: () -> Int32) throws(ChildProcess.CannotStart) {
        let (input, output) = try Self.pipes()
        _ = Self.closeFromHere   // looked up here, not in the child
        let child = fork()
        if child == 0 {
            dup2(input[0], 0)
            dup2(output[1], 1)
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, 2) }
            Self.closeDescriptors(from: 3)
            signal(SIGPIPE, SIG_DFL)   // as a started program's (this process ignores it)
            var none = sigset_t()
            sigemptyset(&none)
            sigprocmask(SIG_SETMASK, &none, nil)
            _exit(body())
        }
        close(input[0])
        close(output[1])
        guard child > 0 else {
            let e = errno
            close(input[1]); close(output[0])
            throw CannotStart(errno: e)
        }
        pid = child
        toChild = input[1]
        fromChild = output[0]
    }

    /// Whether this process runs a single thread now (`/proc/self/stat`'s thread count), so that
    /// `init(forking:)` may be used.
    static var hasOneThread: Bool {
        guard let file = fopen("/proc/self/stat", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 1024)
        guard fgets(&line, Int32(line.count), file) != nil else { return false }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The fields after the command's name (in parentheses, which may hold spaces): state, then the
        // 20th field of the line, the thread count, is the 18th after it.
        guard let close = text.lastIndex(of: ")") else { return false }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 17 && fields[17] == "1"
    }

    /// Two pipes, close-on-exec: the child's input and its output.
    private static func pipes() throws(CannotStart) -> (input: [Int32], output: [Int32]) {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        guard pipe(&input) == 0 else { throw CannotStart(errno: errno) }
        guard pipe(&output) == 0 else {
            let e = errno
            close(input[0]); close(input[1])
            throw CannotStart(errno: e)
        }
        // Not inherited by any other program this process starts (the child's copies are made by dup2).
        for fd in input + output { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (input, output)
    }

    deinit {
        closeInput()
        close(fromChild)
    }

    /// Closes the child's standard input: a child that reads it to its end then ends on its own.
    func closeInput() {
        guard toChild >= 0 else { return }
        close(toChild)
        toChild = -1
    }

    /// Whether the child has ended (reaping it if so; `ending` then says how).
    var hasEnded: Bool {
        guard ending == nil else { return true }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        guard reaped == pid else { return reaped < 0 }   // an error: no such child to wait for
        // WIFSIGNALED and friends are macros Swift does not import: the low seven bits hold the signal.
        let signal = status & 0x7F
        ending = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
        return true
    }

    /// Kills the child (if it has not ended).
    func kill() {
        if !hasEnded { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// A glibc function by name, looked up once by its caller: Swift's Glibc module leaves the GNU
    /// extensions out.
    private static func glibc<F>(_ name: String, as _: F.Type) -> F? {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: F.self)
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later).
    private static let closeFrom = glibc("posix_spawn_file_actions_addclosefrom_np",
                                         as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)

    /// `closefrom` (glibc 2.34 and later).
    private static let closeFromHere = glibc("closefrom", as: (@convention(c) (Int32) -> Void).self)

    /// The descriptors of this process open now from `first` on (`/proc/self/fd`): where glibc cannot
    /// close them all in one call.
    private static func openDescriptors(from first: Int32) -> [Int32] {
        guard let folder = opendir("/proc/self/fd") else { return [] }
        defer { closedir(folder) }
        let own = dirfd(folder)
        var open: [Int32] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd >= first, fd != own { open.append(fd) }
        }
        return open
    }

    /// Closes every descriptor of this process from `first` on: in one call where glibc has it, else
    /// each open one.
    private static func closeDescriptors(from first: Int32) {
        if let closeFromHere {
            closeFromHere(first)
            return
        }
        for fd in openDescriptors(from: first) { close(fd) }
    }

    /// Adds to `actions` the closing of every descriptor from 3 on: in one call where glibc has it, else
    /// each descriptor open now (one opened meanwhile is close-on-exec if it is ours).
    private static func closeFrom3(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom, closeFrom(&actions, 3) == 0 { return }
        for fd in openDescriptors(from: 3) { posix_spawn_file_actions_addclose(&actions, fd) }
    }

    /// The child could not be started.
    struct CannotStart: Error {
        var errno: Int32
    }
}
