import BulletinCore
import BulletinSample
import BulletinTestSupport
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

    func dates(_ truth: Truth) -> [String] { truth.days.keys.sorted() }

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
        // Probes: an ID number typed into 机构代码, a phone in a header cell, a cadre's name cell with a
        // separated mobile, a post with a landline, a file named by an ID number (outputs and the store's
        // digests of paths must not hold it).
        let probes = landing.appendingPathComponent(dates(truth).last!).appendingPathComponent("探针")
        try FileManager.default.createDirectory(at: probes, withIntermediateDirectories: true)
        let day = dates(truth).last!
        try Data("检查日期,机构代码,13800138000\n\(day),370102199001011234,x\n".utf8)
            .write(to: probes.appendingPathComponent("检查.csv"))
        try Data(("值班日期,姓名,身份证号,值守点位,开始时间,结束时间\n"
                  + "\(day),王五 139-0013-9000,110105194912310021,济南西站（0531-86661234）,08:00,16:00\n"
                  + "\(day),王五 139-0013-9000,110105194912310021,留观点,10:00,12:00\n").utf8)
            .write(to: probes.appendingPathComponent("110105194912310021值班.csv"))   // a file named by an ID number
        let numbers = try personalNumbers(in: landing)
        #expect(numbers.count > 1_000)
        let out = root.appendingPathComponent("out"), state = root.appendingPathComponent("state")
        let env = ["BULLETIN_STATE_DIR": state.path]
        let dates = dates(truth)
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
        let text = String(decoding: written, as: UTF8.self)
        for probe in ["139-0013-9000", "0531-86661234", "13900139000", "86661234"] { #expect(!text.contains(probe), "\(probe)") }
        let manifest = try readJSON(out.appendingPathComponent(day).appendingPathComponent("manifest.json"))
        #expect((manifest["purpose"] as? String)?.contains("疫情防控") == true)
        #expect(leaked.isEmpty, "\(leaked.count) numbers leaked, e.g. \(leaked.first.map(Masking.idNumber) ?? "")")
        // The store lives outside the output folder, private to its owner.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".cache").path))
        func mode(_ url: URL) throws -> Int {
            try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! Int
        }
        #expect(try mode(state) == 0o700)
        #expect(try mode(state.appendingPathComponent("bureau.key")) == 0o600)
        #expect(try mode(state.appendingPathComponent("ingest.sqlite")) == 0o600)
        // A command leaves its store open to its exit: the WAL and its index stay beside it, as private.
        for suffix in ["-wal", "-shm"] {
            let file = state.appendingPathComponent("ingest.sqlite" + suffix)
            #expect(FileManager.default.fileExists(atPath: file.path), "\(suffix)")
            if FileManager.default.fileExists(atPath: file.path) { #expect(try mode(file) == 0o600, "\(suffix)") }
        }
    }
}
