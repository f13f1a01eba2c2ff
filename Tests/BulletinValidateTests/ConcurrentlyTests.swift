import BulletinCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `Concurrently.both`, which a date's run uses for its aggregation beside its period and its PDFs
/// beside its other files: both results come back, both sides run even when one throws, and the first
/// side's error is the one thrown. `Concurrently.whenIdle`, which asks for the font while a night reads:
/// its first step as any thread, the rest only when a core is idle.
struct ConcurrentlyTests {
    struct Failed: Error, Equatable { let side: Int }

    @Test func bothResultsComeBackFromWorkDoneAtOnce() throws {
        let (sum, text) = try Concurrently.both({ (1...1_000).reduce(0, +) }, { String(repeating: "日报", count: 3) })
        #expect(sum == 500_500)
        #expect(text == "日报日报日报")
    }

    @Test func bothSidesRunWhenOneThrowsAndTheFirstSidesErrorWins() {
        let ran = NSLock(), sides = Box()
        #expect(throws: Failed(side: 0)) {
            _ = try Concurrently.both({ () throws -> Int in
                ran.withLock { sides.count += 1 }
                throw Failed(side: 0)
            }, { () throws -> Int in
                ran.withLock { sides.count += 1 }
                throw Failed(side: 1)
            })
        }
        #expect(sides.count == 2)
        #expect(throws: Failed(side: 1)) { _ = try Concurrently.both({ 1 }, { () throws -> Int in throw Failed(side: 1) }) }
    }

    final class Box: @unchecked Sendable { var count = 0 }

    #if os(Linux)
    @Test func whenIdleRunsItsFirstStepAsAnyThreadAndTheRestUnderSchedIdle() {
        let policies = Box()
        let pending = Concurrently.whenIdle(after: { policies.count = Int(sched_getscheduler(0)) }) {
            (Int(sched_getscheduler(0)), (1...100).reduce(0, +))
        }
        let (policy, sum) = pending.value
        #expect(policies.count == 0)   // SCHED_OTHER
        #expect(policy == 5)           // SCHED_IDLE
        #expect(sum == 5_050 && pending.value.1 == 5_050)   // the value is there for every reader
        #expect(sched_getscheduler(0) == 0)   // the caller's own policy is untouched
    }
    #endif
}
