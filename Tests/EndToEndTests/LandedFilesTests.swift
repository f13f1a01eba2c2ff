@testable import BulletinPipeline
import BulletinCore
import BulletinValidate
import Testing

/// The files a date sees in the as-of view: those landed on or before it, whatever their order.
struct LandedFilesTests {
    func file(_ name: String, landed day: LocalDate) -> IngestedFile {
        IngestedFile(file: Landing.File(relativePath: "\(day)/日报/\(name).csv", format: .csv, day: day),
                     sha256: name, bytes: 0, encoding: nil, validated: ValidatedFile(source: name))
    }

    let days = (0..<4).map { LocalDate(year: 2020, month: 2, day: 8)!.adding(days: $0) }

    @Test func filesInLandingOrderAreSharedAsAPrefix() {
        let files = days.flatMap { day in ["a", "b"].map { file("\($0)\(day)", landed: day) } }
        for (k, day) in days.enumerated() {
            let seen = Pipeline.landed(by: day, files)
            #expect(seen.map(\.sha256) == files.filter { $0.file.day <= day }.map(\.sha256))
            #expect(seen.count == 2 * (k + 1))
            // The prefix is the array's own storage: no file was copied.
            let sameStorage = files.withUnsafeBufferPointer { whole in seen.withUnsafeBufferPointer { $0.baseAddress == whole.baseAddress } }
            #expect(sameStorage)
        }
        #expect(Pipeline.landed(by: days[0].adding(days: -1), files).isEmpty)
    }

    @Test func filesOutOfLandingOrderAreFiltered() {
        let files = [file("late", landed: days[2]), file("early", landed: days[0]), file("later", landed: days[3]),
                     file("middle", landed: days[1])]
        #expect(Pipeline.landed(by: days[1], files).map(\.sha256) == ["early", "middle"])
        #expect(Pipeline.landed(by: days[2], files).map(\.sha256) == ["late", "early", "middle"])
        #expect(Pipeline.landed(by: days[3], files).map(\.sha256) == ["late", "early", "later", "middle"])
    }
}
