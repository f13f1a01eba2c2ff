import Foundation
import Testing
import BulletinCore
@testable import BulletinPipeline

/// A date's folder written aside: each file stays open from its write until `publish` has flushed it
/// (or `abandon` has given up), and the published folder holds every byte written.
@Suite struct OutputWriterTests {
    /// The files this process holds open under `folder` (other tests' files are elsewhere).
    private func openFiles(under folder: URL) -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
            .filter { $0.hasPrefix(folder.path + "/") }
    }

    private func files(_ count: Int) -> [(name: String, bytes: [UInt8])] {
        (0..<count).map { ("f\($0).json", [UInt8](repeating: UInt8(65 + $0), count: 10_000 * ($0 + 1))) }
    }

    @Test func publishFlushesClosesAndSwapsInEveryFile() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("output-writer-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        let written = files(9)
        for round in 0..<2 {   // the second replaces a published folder
            let staging = try OutputWriter.Staging(into: out, date: "2020-02-26")
            // From two threads at once, as a date's PDF and its other files are.
            _ = try Concurrently.both({ try staging.write(Array(written[..<4])) }, { try staging.write(Array(written[4...])) })
            #expect(openFiles(under: out).count == written.count, "round \(round): written and not yet flushed")
            try staging.publish()
            #expect(openFiles(under: out).isEmpty, "round \(round)")
            for f in written {
                #expect(FileManager.default.contents(atPath: out.appendingPathComponent("2020-02-26/\(f.name)").path) == Data(f.bytes))
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: out.path)
            #expect(left == ["2020-02-26"], "round \(round): no staging folder left")
        }
    }

    @Test func abandonClosesWhatWasWrittenAndPublishesNothing() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("output-writer-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        let staging = try OutputWriter.Staging(into: out, date: "2020-02-26")
        try staging.write(files(3))
        #expect(openFiles(under: out).count == 3)
        // A file written twice is refused (O_EXCL) and the date given up: nothing stays open or staged.
        #expect(throws: PipelineError.self) { try staging.write(files(1)) }
        #expect(openFiles(under: out).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }
}
