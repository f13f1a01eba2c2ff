import BulletinCore
import Foundation
import Testing

/// run.log and the lock note stamp each line in UTC without ICU: the text must be what
/// `ISO8601DateFormatter` wrote, whatever the instant (rounded to the millisecond, then the fraction
/// of a second dropped, as it does).
struct UTCStampTests {
    @Test func writesWhatISO8601DateFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        // The bureau's years, both sides of a leap day and a year's end, and whole and fractional seconds.
        let fixed: [TimeInterval] = [0, 951_782_399.999, 951_782_400, 1_582_934_399.5, 1_796_577_309.494,
                                     1_798_761_599.9999, 1_798_761_599.9994, 4_102_444_800]
        // And 2,000 instants from 2000 to 2100, their fractions all different.
        let spread = stride(from: 946_684_800.0, to: 4_102_444_800, by: 1_577_880.377_123_457)
        for t in fixed + spread {
            let instant = Date(timeIntervalSince1970: t)
            #expect(UTCStamp.string(from: instant) == formatter.string(from: instant), "\(t)")
        }
    }
}
