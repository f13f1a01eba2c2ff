import BulletinCore
import BulletinSample
import BulletinTestSupport
import Foundation
import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Nightly runs, reruns, the cache, crash safety and pipeline definitions, through the real binary.
@Suite(.serialized)
struct OperationsTests {
    func district(days: Int = 8, seed: UInt64 = 21) throws -> (landing: URL, truth: Truth, root: URL) {
        let (root, landing, truth) = try sampleDistrict("ops", days: days, seed: seed, formats: [.csv, .spreadsheetML, .xlsx])
        return (landing, truth, root)
    }

    func files(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for date in try FileManager.default.contentsOfDirectory(atPath: folder.path) where date.hasPrefix("20") {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(date).path) {
                out["\(date)/\(name)"] = try Data(contentsOf: folder.appendingPathComponent(date).appendingPathComponent(name))
            }
        }
        return out
    }

    @Test func warmRunsFromTheCacheEqualColdRuns() throws {
        let (landing, truth, root) = try district()
        let range = ["--from", truth.days.keys.min()!, "--to", truth.lastDay, "--landing", landing.path]
        let cold = root.appendingPathComponent("cold"), warm = root.appendingPathComponent("warm")
        #expect(try runBulletin(["rerun", "--no-cache", "--out", cold.path] + range).status == 0)
        #expect(try runBulletin(["rerun", "--out", warm.path] + range).status == 0)      // fills the cache
        #expect(FileManager.default.fileExists(atPath: stateFolder(of: warm).appendingPathComponent("ingest.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: warm.appendingPathComponent(".cache").path))
        #expect(try runBulletin(["rerun", "--out", warm.path] + range).status == 0)      // reads it
        let log = try String(contentsOf: warm.appendingPathComponent("run.log"), encoding: .utf8)
        #expect(log.contains("parsed=0 "))
        // …and by their stamps alone: no file is read or hashed again.
        let ingest = try #require(log.split(separator: "\n").last { $0.contains("stage=ingest") })
        let field = { (name: String) in ingest.split(separator: " ").first { $0.hasPrefix(name + "=") }?.dropFirst(name.count + 1) }
        #expect(field("unread") != nil && field("unread") == field("files"))
        #expect(try files(cold) == files(warm))
        // A night of the first day asks the store for a fraction of its entries, looked up by key rather
        // than by walking the table (as the rerun's whole season was): the same answer.
        let first = try #require(truth.days.keys.min())
        #expect(try runBulletin(["run", "--out", warm.path, "--date", first, "--landing", landing.path]).status == 0)
        #expect(try String(contentsOf: warm.appendingPathComponent("run.log"), encoding: .utf8)
            .split(separator: "\n").last { $0.contains("stage=ingest") }?.contains("parsed=0 ") == true)
        #expect(try files(warm) == files(cold))

        // A file changed in place keeping its size (a 学生总数 typed again) is read again, however
        // quickly: the digest recorded by the last run belongs to the file's old stamp.
        let reports = landing.appendingPathComponent(truth.lastDay).appendingPathComponent("日报")
        let csv = try #require(try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted().first { $0.hasSuffix(".csv") })
        let url = reports.appendingPathComponent(csv)
        var bytes = [UInt8](try Data(contentsOf: url))
        // The first `,NN,` of a data row (past the header line): its last digit typed differently.
        func isTwoDigitCell(_ i: Int) -> Bool {
            let comma = UInt8(ascii: ","), digits: ClosedRange<UInt8> = 0x31...0x39
            return bytes[i] == comma && digits.contains(bytes[i + 1]) && (0x30...0x39).contains(bytes[i + 2]) && bytes[i + 3] == comma
        }
        let start = try #require(bytes.firstIndex(of: 0x0A))
        let found: Int? = (start..<(bytes.count - 3)).first(where: isTwoDigitCell)
        let at = try #require(found)
        bytes[at + 2] = bytes[at + 2] == UInt8(ascii: "9") ? UInt8(ascii: "8") : bytes[at + 2] + 1
        try Data(bytes).write(to: url)
        let recold = root.appendingPathComponent("recold")
        #expect(try runBulletin(["run", "--no-cache", "--out", recold.path, "--date", truth.lastDay, "--landing", landing.path]).status == 0)
        #expect(try runBulletin(["run", "--out", warm.path, "--date", truth.lastDay, "--landing", landing.path]).status == 0)
        let summary = "\(truth.lastDay)/summary.json"
        #expect(try files(warm)[summary] == files(recold)[summary])
        #expect(try files(warm)[summary] != files(cold)[summary])
    }

    /// Earlier days' period figures are kept in the store from night to night; a file of an earlier day
    /// changed in place, or taken away, makes that day's figures be computed again: a cold run's answer.
    @Test func rememberedPeriodFiguresFollowAnEarlierDayChangedInPlace() throws {
        let (landing, truth, root) = try district(days: 6, seed: 29)
        let days = truth.days.keys.sorted()
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay]
        let warm = root.appendingPathComponent("warm"), cold = root.appendingPathComponent("cold")
        for _ in 0..<3 { #expect(try runBulletin(args + ["--out", warm.path]).status == 0) }   // the last two remember
        let series = "\(truth.lastDay)/series.json"
        let before = try #require(try files(warm)[series])

        // A count of the second day's first CSV report typed again (same size): that day's figures change.
        let reports = landing.appendingPathComponent(days[1]).appendingPathComponent("日报")
        let csv = try #require(try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted().first { $0.hasSuffix(".csv") })
        let url = reports.appendingPathComponent(csv)
        var bytes = [UInt8](try Data(contentsOf: url))
        let start = try #require(bytes.firstIndex(of: 0x0A))
        let at = try #require((start..<(bytes.count - 3)).first { i in
            bytes[i] == UInt8(ascii: ",") && (0x31...0x39).contains(bytes[i + 1]) && bytes[i + 2] == UInt8(ascii: ",")
        })
        bytes[at + 1] = bytes[at + 1] == UInt8(ascii: "9") ? UInt8(ascii: "8") : bytes[at + 1] + 1
        try Data(bytes).write(to: url)
        #expect(try runBulletin(args + ["--out", warm.path]).status == 0)
        #expect(try runBulletin(args + ["--no-cache", "--out", cold.path]).status == 0)
        #expect(try files(warm) == files(cold))

        // And a file of that day taken away: fewer valid reports that day.
        try FileManager.default.removeItem(at: url)
        #expect(try runBulletin(args + ["--out", warm.path]).status == 0)
        #expect(try runBulletin(args + ["--no-cache", "--out", cold.path]).status == 0)
        let after = try files(warm)
        #expect(after[series] != before)
        #expect(try after == files(cold))
    }

    /// The remembered figures belong to the definition they were computed under: another deadline on the
    /// same store gives earlier days' on-time counts as a cold run under it does.
    @Test func rememberedPeriodFiguresFollowTheDefinition() throws {
        let (landing, truth, root) = try district(days: 5, seed: 30)
        let yaml = try String(contentsOfFile: "Pipelines/daily.yaml", encoding: .utf8)
        let lenient = root.appendingPathComponent("lenient.yaml")
        try yaml.replacingOccurrences(of: "\"12:00:00\"", with: "\"23:59:59\"").write(to: lenient, atomically: true, encoding: .utf8)
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay]
        let warm = root.appendingPathComponent("warm"), cold = root.appendingPathComponent("cold")
        for _ in 0..<2 { #expect(try runBulletin(args + ["--out", warm.path]).status == 0) }   // the second remembers
        let series = "\(truth.lastDay)/series.json"
        let strict = try #require(try files(warm)[series])
        #expect(try runBulletin(args + ["--out", warm.path, "--pipeline", lenient.path]).status == 0)
        #expect(try runBulletin(args + ["--no-cache", "--out", cold.path, "--pipeline", lenient.path]).status == 0)
        let after = try files(warm)
        #expect(after[series] != strict)
        #expect(try after == files(cold))
        let log = try String(contentsOf: warm.appendingPathComponent("run.log"), encoding: .utf8)
        let ingests = log.split(separator: "\n").filter { $0.contains("stage=ingest") }
        #expect(ingests.count == 3 && ingests[1].contains("remembered=\(truth.days.count - 1) ") && ingests[2].contains("remembered=0 "))
    }

    /// Remembered figures or folder digests damaged in the store are not trusted: the night computes the
    /// figures and reads the files again, and the answer is the same.
    @Test func damagedRememberedFiguresAndFolderDigestsAreNotTrusted() throws {
        let (landing, truth, root) = try district(days: 4, seed: 31)
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay]
        let out = root.appendingPathComponent("out"), cold = root.appendingPathComponent("cold")
        for _ in 0..<2 { #expect(try runBulletin(args + ["--out", out.path]).status == 0) }
        #expect(try runBulletin(args + ["--no-cache", "--out", cold.path]).status == 0)
        let db = try DatabaseQueue(path: stateFolder(of: out).appendingPathComponent("ingest.sqlite").path)
        let damaged = try db.write { db -> Int in
            try db.execute(sql: "UPDATE periods SET figures = x'7f7f7f'")
            let periods = db.changesCount
            try db.execute(sql: "UPDATE folders SET files = x'7f'")
            return periods * db.changesCount
        }
        #expect(damaged > 0)
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        #expect(try files(out) == files(cold))
        func lastIngest() throws -> Substring {
            let log = try String(contentsOf: out.appendingPathComponent("run.log"), encoding: .utf8)
            return try #require(log.split(separator: "\n").last { $0.contains("stage=ingest") })
        }
        #expect(try lastIngest().contains("remembered=0 ") && lastIngest().contains("unread=0 "))
        // That night wrote them again: the next one trusts them.
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        #expect(try lastIngest().contains("remembered=\(truth.days.count - 1) ") && !lastIngest().contains("unread=0 "))
        #expect(try files(out) == files(cold))
    }

    /// The same bytes landed under two names (a file sent again as a copy) are one entry in the store,
    /// and each file read back from it names itself in rejects and anomalies, as a cold run does.
    @Test func aFileLandedTwiceUnderTwoNamesNamesItselfWhenReadFromTheStore() throws {
        let (landing, truth, root) = try district(days: 3, seed: 27)
        let reports = landing.appendingPathComponent(truth.lastDay).appendingPathComponent("日报")
        let original = try #require(try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted().first { $0.hasSuffix(".csv") })
        var bytes = try Data(contentsOf: reports.appendingPathComponent(original))
        bytes.append(Data("\(truth.lastDay),NO-SUCH-CODE,x\n".utf8))   // a row rejected, so that rejects name the files
        try bytes.write(to: reports.appendingPathComponent(original))
        try bytes.write(to: reports.appendingPathComponent("副本-" + original))
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay]
        let cold = root.appendingPathComponent("cold"), warm = root.appendingPathComponent("warm")
        #expect(try runBulletin(args + ["--no-cache", "--out", cold.path]).status == 0)
        #expect(try runBulletin(args + ["--out", warm.path]).status == 0)
        #expect(try runBulletin(args + ["--out", warm.path]).status == 0)   // from the store, by stamps
        let rejects = try #require(try files(cold)["\(truth.lastDay)/rejects.csv"])
        let text = String(decoding: rejects, as: UTF8.self)
        #expect(text.contains("/副本-\(original)") && text.contains("/\(original)"))
        #expect(try files(warm) == files(cold))
    }

    @Test func theSameInputsGiveTheSameBytesInAnyTimeZone() throws {
        let (landing, truth, root) = try district(days: 4, seed: 26)
        let shanghai = root.appendingPathComponent("sh"), newYork = root.appendingPathComponent("ny")
        _ = try runBulletin(["run", "--no-cache", "--landing", landing.path, "--date", truth.lastDay, "--out", shanghai.path],
                            environment: ["TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8"])
        _ = try runBulletin(["run", "--no-cache", "--landing", landing.path, "--date", truth.lastDay, "--out", newYork.path],
                            environment: ["TZ": "America/New_York", "LANG": "C"])
        let a = try files(shanghai), b = try files(newYork)
        #expect(a.count == OutputKind.allCases.count)
        #expect(a == b)
    }

    /// cairo and pango are opened when a PDF is first asked for: a process that draws none (`check`, as a
    /// parse worker) never maps them, while a night does (the loader names every library it maps).
    @Test func onlyAProcessThatDrawsAPDFMapsCairoAndPango() throws {
        let folder = URL(fileURLWithPath: "SampleData/landing/2020-01-28/日报")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first)
        let checked = try runProgramCapturingAll(["check", folder.appendingPathComponent(file).path], environment: ["LD_DEBUG": "files"])
        #expect(checked.output.contains("libsqlite3") && !checked.output.contains("libpango") && !checked.output.contains("libcairo"))
        let (landing, truth, root) = try district(days: 1, seed: 29)
        let out = root.appendingPathComponent("out")
        let night = try runProgramCapturingAll(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path],
                                               environment: ["LD_DEBUG": "files", "BULLETIN_STATE_DIR": stateFolder(of: out).path])
        #expect(night.status == 0 && night.output.contains("libpangocairo") && night.output.contains("libcairo"))
    }

    /// A machine without a CJK font, or a first_day after the date, stops the run before anything is written.
    @Test func missingFontsAndALateFirstDayStopBeforeAnythingIsWritten() throws {
        let (landing, truth, root) = try district(days: 2, seed: 28)
        let conf = root.appendingPathComponent("nofonts.conf")
        try ("<?xml version=\"1.0\"?><fontconfig><dir>/nonexistent</dir><cachedir>\(root.path)/fc</cachedir></fontconfig>")
            .write(to: conf, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("out")
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path]
        let noFont = try runProgramCapturingAll(args, environment: ["FONTCONFIG_FILE": conf.path,
                                                                    "BULLETIN_STATE_DIR": stateFolder(of: out).path])
        #expect(noFont.status == 69 && noFont.output.contains("fonts-wqy-microhei"))
        let yaml = try String(contentsOfFile: "Pipelines/daily.yaml", encoding: .utf8)
        let late = root.appendingPathComponent("late.yaml")
        try yaml.replacingOccurrences(of: "first_day: 2020-01-24", with: "first_day: 2021-01-01")
            .write(to: late, atomically: true, encoding: .utf8)
        #expect(try runBulletin(args + ["--pipeline", late.path]).status == 65)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(truth.lastDay).path))
        // Both failures are in run.log too, where the morning operator looks.
        let log = try String(contentsOf: out.appendingPathComponent("run.log"), encoding: .utf8)
        #expect(log.contains("error=本机没有可显示中文的字体") && log.contains("first_day is after the date published"))
        // An unquoted 12:00 is noon, as typed.
        let noon = root.appendingPathComponent("noon.yaml")
        try yaml.replacingOccurrences(of: "report_deadline: \"12:00:00\"", with: "report_deadline: 12:00")
            .write(to: noon, atomically: true, encoding: .utf8)
        #expect(try runBulletin(args + ["--pipeline", noon.path]).status == 0)
        let plain = root.appendingPathComponent("plain")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", plain.path]).status == 0)
        #expect(try Data(contentsOf: out.appendingPathComponent("\(truth.lastDay)/summary.json"))
                == Data(contentsOf: plain.appendingPathComponent("\(truth.lastDay)/summary.json")))
    }

    /// A range reaching before the first registry publishes what it can, names the rest, and exits 66.
    @Test func aRangeBeforeTheFirstRegistryPublishesWhatItCanAndSaysSo() throws {
        let (landing, truth, root) = try district(days: 2, seed: 30)
        let first = try #require(LocalDate(iso: truth.days.keys.min()!))
        let out = root.appendingPathComponent("out")
        let run = try runProgramCapturingAll(["rerun", "--landing", landing.path, "--from", first.adding(days: -2).description,
                                              "--to", first.adding(days: 1).description, "--out", out.path],
                                             environment: ["BULLETIN_STATE_DIR": stateFolder(of: out).path])
        #expect(run.status == 66)
        #expect(run.output.contains("\(first): 应报") && run.output.contains("\(first.adding(days: 1)): 应报"))
        #expect(run.output.contains("\(first.adding(days: -2)) 未发布"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(first)/summary.json").path))
    }

    /// The shipped systemd unit's command line runs as written (paths swapped for the test's), and an
    /// installed binary finds its default pipeline definition beside it, from any working folder.
    @Test func theServiceUnitsCommandLineRunsAndAnInstalledBinaryFindsItsDefinition() throws {
        let (landing, truth, root) = try district(days: 2, seed: 31)
        let unit = try String(contentsOfFile: "Deploy/bulletin-nightly.service", encoding: .utf8)
        let exec = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let words = exec.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
        #expect(words.first == "/usr/local/bin/bulletin")
        // Install by hand as `make install` lays it out: bin/bulletin and share/bulletin/daily.yaml.
        let prefix = root.appendingPathComponent("prefix")
        let fm = FileManager.default
        try fm.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try fm.createDirectory(at: prefix.appendingPathComponent("share/bulletin"), withIntermediateDirectories: true)
        let binary = prefix.appendingPathComponent("bin/bulletin")
        try fm.copyItem(at: bulletinBinary, to: binary)
        try fm.copyItem(atPath: "Pipelines/daily.yaml", toPath: prefix.appendingPathComponent("share/bulletin/daily.yaml").path)
        let out = root.appendingPathComponent("out")
        let arguments = Array(words.dropFirst()).map {
            $0.replacingOccurrences(of: "/srv/bulletin/landing", with: landing.path).replacingOccurrences(of: "/srv/bulletin/out", with: out.path)
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root          // no Pipelines/ here: the installed definition must be found
        process.environment = ["BULLETIN_STATE_DIR": root.appendingPathComponent("state").path, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(fm.fileExists(atPath: out.appendingPathComponent("\(truth.lastDay)/bulletin.pdf").path))
    }

    /// What killed runs left behind is cleaned by the next run, and a folder left only under its retired
    /// name (a run killed between two renames) is put back.
    @Test func leftoversOfKilledRunsAreCleaned() throws {
        let (landing, truth, root) = try district(days: 2, seed: 29)
        let out = root.appendingPathComponent("out")
        let fm = FileManager.default
        try fm.createDirectory(at: out.appendingPathComponent(".\(truth.lastDay).staging-999"), withIntermediateDirectories: true)
        let retired = out.appendingPathComponent(".2020-01-01.retired-998")
        try fm.createDirectory(at: retired, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: retired.appendingPathComponent("summary.json"))
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path]).status == 0)
        let names = try fm.contentsOfDirectory(atPath: out.path)
        #expect(!names.contains { $0.contains(".staging-") || $0.contains(".retired-") })
        #expect(fm.fileExists(atPath: out.appendingPathComponent("2020-01-01/summary.json").path))
        #expect(fm.fileExists(atPath: out.appendingPathComponent("\(truth.lastDay)/summary.json").path))
    }

    /// A run killed at each step of publishing (files staged; folders swapped) leaves the previous complete
    /// set or the new complete set, and the next run cleans up and gives the same answer as a clean run.
    @Test func publishingKilledAtEachStepLeavesACompleteSet() throws {
        let (landing, truth, root) = try district(days: 2, seed: 30)
        let clean = root.appendingPathComponent("clean"), out = root.appendingPathComponent("out")
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay]
        #expect(try runBulletin(args + ["--out", clean.path]).status == 0)
        let published = try files(clean)
        // A previous, different publication of the date (as if made before a late file arrived).
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        let old = out.appendingPathComponent("\(truth.lastDay)/summary.json")
        try Data("{\"old\": true}".utf8).write(to: old)
        let previous = try files(out)
        for step in ["staged", "exchanged"] {
            let killed = try runBulletin(args + ["--out", out.path],
                                         environment: ["BULLETIN_FAULT_INJECTION": "1", "BULLETIN_KILL_AT": step])
            #expect(killed.status != 0, "\(step)")
            let now = try files(out)
            #expect(now == (step == "staged" ? previous : published), "\(step)")
            try Data("{\"old\": true}".utf8).write(to: old)
        }
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        #expect(try files(out) == published)
        #expect(try !FileManager.default.contentsOfDirectory(atPath: out.path).contains { $0.contains(".staging-") })
    }

    /// An output folder that cannot be made is exit 73 saying so; a store that cannot be made at all costs
    /// only speed: the run publishes without it and warns.
    @Test func anUnwritableOutputFolderAndAnUnusableStoreAreNamed() throws {
        let (landing, truth, root) = try district(days: 2, seed: 31)
        let blocker = root.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay]
        let unwritable = try runBulletin(args + ["--out", blocker.appendingPathComponent("out").path], withStderr: true)
        #expect(unwritable.status == 73 && unwritable.output.contains("无法创建输出目录"))
        let out = root.appendingPathComponent("out"), clean = root.appendingPathComponent("clean")
        #expect(try runBulletin(args + ["--out", clean.path, "--no-cache"]).status == 0)
        let noStore = try runBulletin(args + ["--out", out.path, "--cache", blocker.appendingPathComponent("ingest.sqlite").path],
                                      withStderr: true)
        #expect(noStore.status == 0 && noStore.output.contains("本次不使用缓存"))
        #expect(try files(out) == files(clean))
    }

    /// The cache is an optimisation: a corrupt one is set aside and rebuilt, and the answer is the same.
    @Test func aCorruptCacheIsSetAsideAndRebuilt() throws {
        let (landing, truth, root) = try district(days: 3, seed: 27)
        let clean = root.appendingPathComponent("clean"), out = root.appendingPathComponent("out")
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay]
        #expect(try runBulletin(args + ["--no-cache", "--out", clean.path]).status == 0)
        let store = stateFolder(of: out).appendingPathComponent("ingest.sqlite")
        try FileManager.default.createDirectory(at: stateFolder(of: out), withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 4096).write(to: store)
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        let log = try String(contentsOf: out.appendingPathComponent("run.log"), encoding: .utf8)
        #expect(log.contains("已移至") && log.contains("corrupt"))
        let expected = try files(clean)
        #expect(try !expected.isEmpty && files(out) == expected)
        // And the rebuilt cache serves the next run.
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        #expect(try files(out) == expected)
    }

    /// A warm night fetches a file's stored roster rows only when its snapshot is in force; rows
    /// damaged in the store are read again from the file, and the answer is the same.
    @Test func storedRosterRowsAreFetchedWhenInForceAndDamagedOnesReadAgain() throws {
        let (landing, truth, root) = try district(days: 8, seed: 28)
        let clean = root.appendingPathComponent("clean"), out = root.appendingPathComponent("out")
        let args = ["run", "--landing", landing.path, "--date", truth.lastDay]
        #expect(try runBulletin(args + ["--no-cache", "--out", clean.path]).status == 0)
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        let expected = try files(clean)
        #expect(try !expected.isEmpty && files(out) == expected)
        let db = try DatabaseQueue(path: stateFolder(of: out).appendingPathComponent("ingest.sqlite").path)
        let damaged = try db.write { db -> Int in
            try db.execute(sql: "UPDATE files SET roster = x'7f7f7f' WHERE length(roster) > 8")
            return db.changesCount
        }
        #expect(damaged > 0)
        #expect(try runBulletin(args + ["--out", out.path]).status == 0)
        #expect(try files(out) == expected)
        let s = try readJSON(out.appendingPathComponent(truth.lastDay).appendingPathComponent("summary.json"))
        #expect((s.at("roster.persons") as? Int ?? 0) > 0)
    }

    @Test func aKilledRunLeavesThePreviousOutputsAndACacheThatStillGivesTheSameAnswer() throws {
        let (landing, truth, root) = try district(days: 10, seed: 22)
        let range = ["--from", truth.days.keys.min()!, "--to", truth.lastDay, "--landing", landing.path]
        let clean = root.appendingPathComponent("clean"), killed = root.appendingPathComponent("killed")
        #expect(try runBulletin(["rerun", "--no-cache", "--out", clean.path] + range).status == 0)
        #expect(try runBulletin(["run", "--date", truth.lastDay, "--landing", landing.path, "--out", killed.path]).status == 0)
        let before = try files(killed)
        for delay in [150_000, 400_000, 800_000] as [UInt32] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("bulletin")
            p.arguments = ["rerun", "--out", killed.path] + range
            p.standardError = FileHandle.nullDevice
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            usleep(delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            // Whatever was published is complete: the last date is the old one or a new, identical one.
            let now = try files(killed)
            #expect(now["\(truth.lastDay)/summary.json"] == before["\(truth.lastDay)/summary.json"])
        }
        #expect(try runBulletin(["rerun", "--out", killed.path] + range).status == 0)
        #expect(try files(clean) == files(killed))
    }

    @Test func finalViewCountsLateArrivalsAndSaysSo() throws {
        let (landing, truth, root) = try district(days: 5, seed: 23)
        let dates = truth.days.keys.sorted()
        let date = dates[dates.count - 2]
        // Both views into one output folder: the final one goes beside the as-of one, never over it.
        let asOf = root.appendingPathComponent("out"), final = asOf.appendingPathComponent("final")
        _ = try runBulletin(["run", "--landing", landing.path, "--date", date, "--out", asOf.path])
        let published = try Data(contentsOf: asOf.appendingPathComponent("\(date)/summary.json"))
        _ = try runBulletin(["run", "--landing", landing.path, "--date", date, "--out", asOf.path, "--final"])
        #expect(try Data(contentsOf: asOf.appendingPathComponent("\(date)/summary.json")) == published)
        let revised = try String(contentsOf: final.appendingPathComponent("\(date)/bulletin.html"), encoding: .utf8)
        #expect(revised.contains("修订版"))
        let a = try readJSON(asOf.appendingPathComponent("\(date)/summary.json"))
        let f = try readJSON(final.appendingPathComponent("\(date)/summary.json"))
        // One report of the date arrives the next day: missing as of the date, late in the final view.
        let (valid, late) = (a.at("reporting.valid") as! Int, a.at("reporting.late") as! Int)
        #expect((f.at("reporting.valid") as! Int) == valid + 1)
        #expect((f.at("reporting.late") as! Int) == late + 1)
        // The 修订版 says what changed against the as-of issue.
        #expect(revised.contains("有效报送\(valid)→\(valid + 1)") && revised.contains("迟报\(late)→\(late + 1)"))
        // The night that late report arrived names it, with the rerun that counts it.
        let next = try runBulletin(["run", "--landing", landing.path, "--date", dates[dates.count - 1], "--out", asOf.path],
                                   withStderr: true)
        #expect(next.output.contains("迟报：\(dates[dates.count - 1]) 收到 \(date) 的日报1家"))
        #expect(next.output.contains("bulletin rerun --from \(date) --to \(date) --final"))
        #expect(try readJSON(final.appendingPathComponent("\(date)/manifest.json"))["view"] as? String == "final")
        #expect(try readJSON(asOf.appendingPathComponent("\(date)/manifest.json"))["view"] as? String == "as_of")
    }

    @Test func nightlyPublishesTheNewestDayAndRefusesToOverlap() throws {
        let (landing, truth, root) = try district(days: 3, seed: 24)
        let out = root.appendingPathComponent("out")
        #expect(try runBulletin(["nightly", "--landing", landing.path, "--out", out.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(truth.lastDay)/summary.json").path))
        let fd = open(out.appendingPathComponent(".bulletin.lock").path, O_RDWR)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        #expect(try runBulletin(["nightly", "--landing", landing.path, "--out", out.path, "--wait-lock", "1"]).status == 75)
        // run and rerun take the same lock.
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path,
                                 "--wait-lock", "1"]).status == 75)
        close(fd)
        #expect(try runBulletin(["nightly", "--landing", landing.path, "--out", out.path]).status == 0)
        // A stray folder dated in the future is ignored: today decides, not the newest name.
        let stray = landing.appendingPathComponent("2029-02-17")
        try FileManager.default.createDirectory(at: stray, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: stray.appendingPathComponent("a.csv"))
        let future = out.appendingPathComponent("2029-02-17")
        #expect(try runBulletin(["nightly", "--landing", landing.path, "--out", out.path, "--today", truth.lastDay]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: future.path))
        // A date on which nothing arrived is refused.
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", "2020-03-30", "--out", out.path]).status == 66)
    }

    @Test func pipelineDefinitionsAreCheckedAndThresholdsChangeTheAnswer() throws {
        let (landing, truth, root) = try district(days: 4, seed: 25)
        let yaml = try String(contentsOfFile: "Pipelines/daily.yaml", encoding: .utf8)
        let broken = root.appendingPathComponent("broken.yaml")
        try (yaml + "\nthreshold: 3\n").write(to: broken, atomically: true, encoding: .utf8)
        let run = try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay,
                                   "--out", root.appendingPathComponent("x").path, "--pipeline", broken.path])
        #expect(run.status == 65)
        // The landing is listed while the definition loads: an unusable definition is still what is reported
        // when the landing is missing too.
        let bothBad = try runBulletin(["run", "--landing", root.appendingPathComponent("no-such-landing").path, "--date", truth.lastDay,
                                       "--out", root.appendingPathComponent("v").path, "--pipeline", broken.path], withStderr: true)
        #expect(bothBad.status == 65 && bothBad.output.contains("threshold"))
        #expect(try runBulletin(["run", "--landing", root.appendingPathComponent("no-such-landing").path, "--date", truth.lastDay,
                                 "--out", root.appendingPathComponent("v").path]).status == 66)
        let badTime = root.appendingPathComponent("bad-time.yaml")
        try yaml.replacingOccurrences(of: "\"12:00:00\"", with: "\"25:00\"").write(to: badTime, atomically: true, encoding: .utf8)
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay,
                                 "--out", root.appendingPathComponent("y").path, "--pipeline", badTime.path]).status == 65)
        // A definition saved in GB18030 (old Notepad) is refused, naming the encoding, before it can garble the masthead.
        let gbk = root.appendingPathComponent("gbk.yaml")
        try Data(try #require(yaml.data(using: String.Encoding(rawValue: 0x8000_0632)))).write(to: gbk)  // GB18030
        let refused = try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay,
                                       "--out", root.appendingPathComponent("z").path, "--pipeline", gbk.path], withStderr: true)
        #expect(refused.status == 65 && refused.output.contains("不是UTF-8") && refused.output.contains("GB18030"))
        // The 版记 is checked like every key, and printed as given.
        let badImprint = root.appendingPathComponent("bad-imprint.yaml")
        try yaml.replacingOccurrences(of: "  signed_by:", with: "  cc: [x]\n  signed_by:").write(to: badImprint, atomically: true, encoding: .utf8)
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", root.appendingPathComponent("w").path,
                                 "--pipeline", badImprint.path]).status == 65)
        let imprint = root.appendingPathComponent("imprint.yaml")
        try yaml.replacingOccurrences(of: "signed_by: 区教体局主要负责同志", with: "signed_by: 张局长\n  printed_by: 区教体局办公室")
            .write(to: imprint, atomically: true, encoding: .utf8)
        let printed = root.appendingPathComponent("printed")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", printed.path,
                                 "--pipeline", imprint.path]).status == 0)
        let html = try String(contentsOf: printed.appendingPathComponent("\(truth.lastDay)/bulletin.html"), encoding: .utf8)
        #expect(html.contains("<p>报：区委，区政府，区疫情防控指挥部。</p>") && html.contains("<p>签发：张局长</p>")
                && html.contains("区教体局办公室　") && html.contains("印发</p>"))
        // An analyst's copy with a later deadline: every valid report is on time.
        let lenient = root.appendingPathComponent("lenient.yaml")
        try yaml.replacingOccurrences(of: "\"12:00:00\"", with: "\"23:59:59\"").write(to: lenient, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("lenient")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path,
                                 "--pipeline", lenient.path]).status == 0)
        let s = try readJSON(out.appendingPathComponent("\(truth.lastDay)/summary.json"))
        #expect(s.at("reporting.late") as? Int == 0)
        #expect(s.at("reporting.on_time") as? Int == s.at("reporting.valid") as? Int)
    }
}
