import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Faults the tests of isolation and crash safety ask for, only with `BULLETIN_FAULT_INJECTION=1`:
/// a parse worker dying on a marked file (see `ParseWorker`), and the process killing itself at a
/// named step of publishing (`BULLETIN_KILL_AT=staged|exchanged`), as a power cut or `kill -9` would.
enum FaultInjection {
    static let enabled = ProcessInfo.processInfo.environment["BULLETIN_FAULT_INJECTION"] == "1"
    private static let killStep = enabled ? ProcessInfo.processInfo.environment["BULLETIN_KILL_AT"] : nil

    /// Dies here, with SIGKILL, when asked to die at `step`.
    static func killIfAsked(at step: String) {
        if killStep == step { kill(getpid(), SIGKILL) }
    }
}
