import BulletinCore
import BulletinSample
import Foundation
import Testing

/// No full ID number or phone number of the inputs reaches anything bulletin writes: outputs,
/// run.log, its store, stdout and stderr; the key and the store are readable by their owner only.
@Suite(.serialized)
struct PersonalDataTests {
    /// Every ID number (18 characters) and mobile number (11 digits) typed in the landing's CSV files.
    func personalNumbers(in landing: URL) throws -> Set<String> {
        var found: Set<String> = []
        let id = try Regex("[0-9]{17}[0-9X]"), mobile = try Regex("1[3-9][0-9]{9}")
        for case let url as URL in FileManager.default.enumerator(at: landing, includingPropertiesForKeys: nil)!
        where url.pathExtension == "csv" {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for m in text.matches(of: id) { found.insert(String(text[m.range])) }
            for m in text.matches(of: mobile) { found.insert(String(text[m.range])) }
        }
        return found
    }

    /// Every 11- and 18-character window of every run of digits (and X) in `bytes`.
    func digitWindows(_ bytes: Data) -> Set<String> {
        var windows: Set<String> = []
        var run: [UInt8] = []
        func flush() {
            for length in [11, 18] where run.count >= length {
                for start in 0...(run.count - length) { windows.insert(String(decoding: run[start..<(start + length)], as: UTF8.self)) }
            }
            run.removeAll(keepingCapacity: true)
        }
        for b in bytes {
            if (b >= 0x30 && b <= 0x39) || b == 0x58 { run.append(b) } else { flush() }
        }
        flush()
        return windows
    }

    @Test func nothingBulletinWritesHoldsAFullIDOrPhoneNumber() throws {
        var config = SampleConfig()
        config.days = 8
        config.peopleScale = 0.02
        config.seed = 17
        config.formats = [.csv]
        config.csvEncodings = [0, 1]
        let root = temporaryFolder("pii")
        let landing = root.appendingPathComponent("landing")
        let truth = try SampleGenerator(config: config).generate(into: landing)
        let numbers = try personalNumbers(in: landing)
        #expect(numbers.count > 1_000)
        let out = root.appendingPathComponent("out"), state = root.appendingPathComponent("state")
        let env = ["BULLETIN_STATE_DIR": state.path]
        let dates = truth.days.keys.sorted()
        let rerun = try runProgramCapturingAll(["rerun", "--landing", landing.path, "--from", dates.first!, "--to", dates.last!,
                                               "--out", out.path], environment: env)
        #expect(rerun.status == 0)
        // Warm, so the store is read back too.
        let warm = try runProgramCapturingAll(["run", "--landing", landing.path, "--date", dates.last!, "--out", out.path],
                                              environment: env)
        #expect(warm.status == 0)
        var written = Data((rerun.output + warm.output).utf8)
        for folder in [out, state] {
            for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue {
                    written.append(try Data(contentsOf: url))
                }
            }
        }
        let leaked = numbers.intersection(digitWindows(written))
        #expect(leaked.isEmpty, "\(leaked.count) numbers leaked, e.g. \(leaked.first.map(Masking.idNumber) ?? "")")
        // The store lives outside the output folder, private to its owner.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".cache").path))
        func mode(_ url: URL) throws -> Int {
            try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! Int
        }
        #expect(try mode(state) == 0o700)
        #expect(try mode(state.appendingPathComponent("bureau.key")) == 0o600)
        #expect(try mode(state.appendingPathComponent("ingest.sqlite")) == 0o600)
    }
}
