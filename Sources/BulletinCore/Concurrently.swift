import Dispatch
import Foundation

/// Two independent pieces of work on both cores: what one date's run does side by side (its
/// aggregation beside the period's summaries, its PDF beside its other files).
public enum Concurrently {
    /// Runs `first` and `second` at once and returns both results; when either throws, the first's
    /// error is thrown before the second's, once both have finished.
    public static func both<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
        // Each side writes its own result only, and concurrentPerform returns after both.
        nonisolated(unsafe) var left: Result<A, Error>?
        nonisolated(unsafe) var right: Result<B, Error>?
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                nonisolated(unsafe) let first = first, second = second
                DispatchQueue.concurrentPerform(iterations: 2) { side in
                    if side == 0 { left = Result { try first() } } else { right = Result { try second() } }
                }
            }
        }
        return (try left!.get(), try right!.get())
    }

    /// Starts `work` on another thread now; the answer's `value` waits for it. For work whose result is
    /// needed later, done meanwhile on the other core.
    public static func start<T: Sendable>(_ work: @escaping @Sendable () -> T) -> Pending<T> { Pending(work) }

    /// Starts `work` on a thread that runs only while a core would otherwise be idle (Linux's
    /// `SCHED_IDLE`; elsewhere as `start`): for work needed late that must not slow what runs meanwhile.
    /// Waiting for its `value` leaves it a core. `first` runs before, as any thread does: work that holds
    /// a lock other threads need (loading a library holds the one every new thread takes) must not be
    /// starved while holding it.
    public static func whenIdle<T: Sendable>(after first: @escaping @Sendable () -> Void = {},
                                             _ work: @escaping @Sendable () -> T) -> Pending<T> {
        Pending({ first(); runOnlyWhenIdle(); return work() })
    }

    /// Puts the calling thread under `SCHED_IDLE` (Linux: a thread's own policy; the constant is not in
    /// Swift's Glibc module).
    private static func runOnlyWhenIdle() {
        #if os(Linux)
        var parameters = sched_param()
        _ = sched_setscheduler(0, 5, &parameters)
        #endif
    }

    /// A result `start` is computing.
    public final class Pending<T: Sendable>: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: T?   // written once, before `done` is signalled

        fileprivate init(_ work: @escaping @Sendable () -> T) {
            // A thread of its own, not one of the dispatch pool's: held by work that runs meanwhile (the
            // PDF's warm-up beside a date's rules), a pool thread left `both` none, and it ran its two
            // sides one after the other (a warm night 0.211 → 0.198 s with its own thread, 15 rounds).
            Thread.detachNewThread {
                self.result = work()
                self.done.signal()
            }
        }

        /// The result, once computed (waiting for it the first time).
        public var value: T {
            done.wait()
            done.signal()   // for the next reader
            return result!
        }
    }
}
