import Foundation

/// This process's own executable, found without Foundation's `Bundle.main`, which lists the folder the
/// executable sits in: 4 ms of every command's start where the binary lay among four thousand files.
enum ThisExecutable {
    /// Linux's name for the executable of the process that opens it.
    private static let procSelf = "/proc/self/exe"

    /// Its path, symbolic links resolved (else as the command line gave it).
    static var path: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: procSelf))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }

    /// What to start to run this very executable again: `/proc/self/exe`, which a new process opens as
    /// the binary it was started from even if the file was replaced since (a reinstall during a night
    /// never mixes versions); else the path.
    static var launchable: URL {
        FileManager.default.fileExists(atPath: procSelf) ? URL(fileURLWithPath: procSelf) : URL(fileURLWithPath: path)
    }
}
