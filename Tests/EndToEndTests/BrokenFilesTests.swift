import BulletinCore
import BulletinSample
import BulletinTestSupport
import Foundation
import Testing

/// Broken, hostile and partly usable files among a day's arrivals: each is rejected (or its
/// useless sheet noted) with the parser's own message, and the rest of the day is unaffected.
@Suite(.serialized)
struct BrokenFilesTests {
    /// A small generated district in every format, and a folder for extra files on its last day.
    func district(_ name: String, days: Int, seed: UInt64, folder: String) throws -> (URL, URL, Truth, URL) {
        var config = SampleConfig()
        config.days = days
        config.peopleScale = 0.02
        config.seed = seed
        config.formats = [.csv, .spreadsheetML, .xlsx, .xls]
        let root = temporaryFolder(name)
        let landing = root.appendingPathComponent("landing")
        let truth = try SampleGenerator(config: config).generate(into: landing)
        let day = landing.appendingPathComponent(truth.lastDay).appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true)
        return (root, landing, truth, day)
    }

    /// Files that once crashed the process, and one on which the reader itself dies (fault injection):
    /// each costs only itself, in `run` and in `check`.
    @Test func hostileFilesAndADyingReaderCostOnlyThemselves() throws {
        let (root, landing, truth, day) = try district("hostile", days: 2, seed: 41, folder: "异常文件")
        let ss = "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">"
        let files: [(String, [UInt8], String)] = [
            ("嵌套.xml", Array((ss + "<Worksheet ss:Name=\"a\"><Table><Row><Cell><Worksheet ss:Name=\"b\"></Worksheet></Cell></Row>"
                              + "</Table></Worksheet></Workbook>").utf8), "unreadable_file"),
            ("大索引.xml", Array((ss + "<Worksheet ss:Name=\"a\"><Table><Row ss:Index=\"99999999999999999999\"/></Table>"
                               + "</Worksheet></Workbook>").utf8), "file_too_large"),
            ("坏复合文档.xlsx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512), "unreadable_file"),
            ("设了密码.xls", SampleWorkbook.xls(sheet: "日报", rows: [["报告日期", "机构代码"], [truth.lastDay, "HYK001"]], password: true),
             "unsupported_file"),
            ("网页.xls", Array("<html><body><table><tr><td>报告日期</td></tr></table></body></html>".utf8), "unsupported_file"),
            ("截断.xls", Array(SampleWorkbook.xls(sheet: "日报", rows: [["报告日期", "机构代码"]]).prefix(700)), "unreadable_file"),
            ("空字符.csv", Array("检查日期,机构代码\n\(truth.lastDay),HYK\u{0}001\n".utf8), "control_character"),
            ("读取崩溃.csv", Array("BULLETIN-FAULT-INJECTION-CRASH\n".utf8), "unreadable_file"),
            ("内存失控.csv", Array("BULLETIN-FAULT-INJECTION-ALLOCATE\n".utf8), "unreadable_file"),
        ]
        for (name, bytes, _) in files { try Data(bytes).write(to: day.appendingPathComponent(name)) }
        // With a store the night reads each file and sends its bytes to a worker; without one each worker
        // reads and hashes the files itself: the same outcome either way, down to the manifest.
        var manifests: [Data] = []
        for store in [[], ["--no-cache"]] {
            let out = root.appendingPathComponent("out\(store.count)")
            let run = try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path] + store,
                                      environment: ["BULLETIN_FAULT_INJECTION": "1"])
            #expect(run.status == 0)
            // Its workers were forked as it began; those the hostile files killed were started in their place.
            let log = try String(contentsOf: out.appendingPathComponent("run.log"), encoding: .utf8)
            let ingest = try #require(log.split(separator: "\n").last { $0.contains("stage=ingest") })
            #expect(ingest.contains(" workers_forked=\(ProcessInfo.processInfo.activeProcessorCount) "), "\(ingest)")
            #expect(!ingest.contains(" workers_started=0 "), "\(ingest)")
            let folder = out.appendingPathComponent(truth.lastDay)
            let rejects = try readCSV(folder.appendingPathComponent("rejects.csv"))
            for (name, _, reason) in files {
                let found = rejects.filter { $0["source"] == "\(truth.lastDay)/异常文件/\(name)" }
                #expect(found.map { $0["reason"] } == [reason], "\(name) \(store)")
            }
            #expect(rejects.first { $0["source"]?.hasSuffix("读取崩溃.csv") == true }?["message"]?.contains("读取程序") == true)
            #expect(rejects.first { $0["source"]?.hasSuffix("设了密码.xls") == true }?["message"]?.contains("密码") == true)
            #expect(rejects.first { $0["source"]?.hasSuffix("网页.xls") == true }?["message"]?.contains("另存为.xlsx") == true)
            #expect(try String(contentsOf: folder.appendingPathComponent("anomalies.csv"), encoding: .utf8).contains("\u{0}") == false)
            let s = try readJSON(folder.appendingPathComponent("summary.json"))
            let t = try #require(truth.days[truth.lastDay])
            #expect(s.at("reporting.valid") as? Int == t.valid)
            #expect(s.at("roster.persons") as? Int == t.rosterPersons)
            manifests.append(try Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        }
        #expect(manifests[0] == manifests[1])
        // check judges the same files without dying either.
        let check = try runBulletin(["check"] + files.map { day.appendingPathComponent($0.0).path },
                                    environment: ["BULLETIN_FAULT_INJECTION": "1"])
        #expect(check.status == 1)
        #expect(check.output.contains("读取程序"))
    }

    /// FreeXL, a C library, reads .xls only in the parse workers: the files the fuzzer found it
    /// faulting on are each read or rejected by `check`, which itself never dies.
    @Test func xlsRegressionFilesCostOnlyThemselves() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../BulletinValidateTests/Regressions/xls").standardizedFileURL
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!names.isEmpty)
        let copies = temporaryFolder("xls-regressions")
        for name in names {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: copies.appendingPathComponent(name + ".xls"))
        }
        let check = try runBulletin(["check"] + names.map { copies.appendingPathComponent($0 + ".xls").path })
        #expect(check.status == 0 || check.status == 1)
        for name in names { #expect(check.output.contains(Masking.scrub(name)), "\(name)") }
    }

    /// An .xls saved under .xlsx, an .xlsx under .xls and an XML Spreadsheet under .xls (as web systems
    /// export) are read as what they hold, and a file named in GBK bytes is read and shown decoded:
    /// the day is exactly what the truth says.
    @Test func workbooksAreReadByWhatTheyHoldNotByTheirName() throws {
        let (root, landing, truth, _) = try district("misnamed", days: 2, seed: 45, folder: "x")
        let reports = landing.appendingPathComponent(truth.lastDay).appendingPathComponent("日报")
        let names = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
        // Any file of the day in each format (the generator picks each file's format at random).
        let day = landing.appendingPathComponent(truth.lastDay)
        let files = try FileManager.default.subpathsOfDirectory(atPath: day.path).sorted()
        let swaps = [("xls", "xlsx"), ("xlsx", "xls"), ("xml", "xls")]
        for (from, to) in swaps {
            let path = try #require(files.first { $0.hasSuffix("." + from) && !$0.contains("改名") }, "no .\(from) file on the last day")
            let file = day.appendingPathComponent(path)
            let renamed = "改名" + file.deletingPathExtension().lastPathComponent + "." + to
            try FileManager.default.moveItem(at: file, to: file.deletingLastPathComponent().appendingPathComponent(renamed))
        }
        // A name in GBK bytes, as a zip made on Windows leaves it when unzipped on Linux.
        let plain = try #require(names.first { $0.hasSuffix(".csv") && !$0.hasPrefix("补报") })
        let gbkName: [UInt8] = [180, 176, 191, 218, 187, 250, 195, 251, 179, 198, 95, 200, 213, 177, 168] /* 窗口机名称_日报 in GBK */ + Array(".csv".utf8)
        let from = Array(reports.appendingPathComponent(plain).path.utf8) + [0]
        let to = Array(reports.path.utf8) + [0x2F] + gbkName + [0]
        #expect(from.withUnsafeBufferPointer { f in to.withUnsafeBufferPointer { t in
            rename(UnsafeRawPointer(f.baseAddress!).assumingMemoryBound(to: CChar.self),
                   UnsafeRawPointer(t.baseAddress!).assumingMemoryBound(to: CChar.self)) } } == 0)
        let out = root.appendingPathComponent("out")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path]).status == 0)
        let folder = out.appendingPathComponent(truth.lastDay)
        let s = try readJSON(folder.appendingPathComponent("summary.json"))
        let t = try #require(truth.days[truth.lastDay])
        #expect(s.at("reporting.valid") as? Int == t.valid)
        #expect(s.at("counts.students.total") as? Int == t.students[0])
        let rejects = try readCSV(folder.appendingPathComponent("rejects.csv"))
        #expect(!rejects.contains { $0["source"]?.contains("改名") == true && $0["row"]?.isEmpty != false })
        // The GBK name is read and shown decoded.
        let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("窗口机名称_日报.csv"))
    }

    /// Every file and folder under the landing is read, rejected with what to do, or noted; links are
    /// never followed (no loops, nothing from outside the landing).
    @Test func everyFileAndFolderIsAccountedForAndLinksAreNotFollowed() throws {
        let (root, landing, truth, day) = try district("accounted", days: 2, seed: 43, folder: "杂项")
        for name in ["旧表.et", "备份.bak", "无扩展名"] { try Data("x".utf8).write(to: day.appendingPathComponent(name)) }
        for name in [".隐藏.csv", "~$日报.xlsx"] { try Data("x".utf8).write(to: day.appendingPathComponent(name)) }
        try FileManager.default.createSymbolicLink(atPath: day.appendingPathComponent("loop").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: day.appendingPathComponent("etc").path, withDestinationPath: "/etc")
        try FileManager.default.createDirectory(at: landing.appendingPathComponent("2020-2-17"), withIntermediateDirectories: true)
        let out = root.appendingPathComponent("out")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path]).status == 0)
        let folder = out.appendingPathComponent(truth.lastDay)
        let rejects = try readCSV(folder.appendingPathComponent("rejects.csv"))
        for name in ["旧表.et", "备份.bak", "无扩展名"] {
            let r = rejects.first { $0["source"] == "\(truth.lastDay)/杂项/\(name)" }
            #expect(r?["reason"] == "unsupported_file", "\(name)")
        }
        #expect(rejects.first { $0["source"]?.hasSuffix(".et") == true }?["message"]?.contains("另存为.xlsx") == true)
        #expect(!rejects.contains { $0["source"]?.contains("/etc/") == true || $0["source"]?.contains("loop") == true })
        let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.json"), encoding: .utf8)
        for expected in ["符号链接未跟随", "2020-2-17", "~$日报.xlsx", ".隐藏.csv"] { #expect(manifest.contains(expected), "\(expected)") }
        let log = try String(contentsOf: out.appendingPathComponent("run.log"), encoding: .utf8)
        #expect(log.contains("2020-2-17") && log.contains("符号链接未跟随"))
        // The loop read nothing twice: the day is what the truth says.
        let s = try readJSON(folder.appendingPathComponent("summary.json"))
        let t = try #require(truth.days[truth.lastDay])
        #expect(s.at("reporting.valid") as? Int == t.valid)
        #expect(s.at("anomalies.by_rule.duplicate_report") as? Int == t.anomalies.filter { $0.hasPrefix("duplicate_report|") }.count)
    }

    /// An empty or broken registry revision never comes into force silently: the previous one stays,
    /// a critical anomaly names it; with no usable registry at all the run stops with exit 66.
    @Test func anUnusableRegistryRevisionKeepsThePreviousOneInForce() throws {
        let (root, landing, truth, _) = try district("registry", days: 3, seed: 44, folder: "x")
        let registry = landing.appendingPathComponent("registry")
        for name in try FileManager.default.contentsOfDirectory(atPath: registry.path) where name.hasPrefix(truth.lastDay) {
            try FileManager.default.removeItem(at: registry.appendingPathComponent(name))
        }
        try Data().write(to: registry.appendingPathComponent("\(truth.lastDay).csv"))
        let out = root.appendingPathComponent("out")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path]).status == 0)
        let folder = out.appendingPathComponent(truth.lastDay)
        let s = try readJSON(folder.appendingPathComponent("summary.json"))
        let t = try #require(truth.days[truth.lastDay])
        // The earlier revision is in force (it may still list the training institution the removed one closed).
        #expect([t.expected, t.expected + 1].contains(s.at("reporting.expected") as? Int ?? 0))
        #expect(s.at("reporting.valid") as? Int == t.valid)
        let anomalies = try readCSV(folder.appendingPathComponent("anomalies.csv"))
        let rejected = anomalies.filter { $0["rule"] == "registry_rejected" }
        #expect(rejected.count == 1 && rejected.first?["severity"] == "critical")
        #expect(rejected.first?["message"]?.contains("registry/\(truth.lastDay).csv") == true)
        // Only broken registries: nothing is published, and the operator is told why.
        for name in try FileManager.default.contentsOfDirectory(atPath: registry.path) {
            try Data("机构代码,机构名称\n".utf8).write(to: registry.appendingPathComponent(name))
        }
        let none = root.appendingPathComponent("none")
        let stopped = try runProgramCapturingAll(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", none.path],
                                                 environment: ["BULLETIN_STATE_DIR": stateFolder(of: none).path])
        #expect(stopped.status == 66)
        #expect(stopped.output.contains("无法使用"))
        #expect(!FileManager.default.fileExists(atPath: none.appendingPathComponent(truth.lastDay).path))
    }

    /// A day published with no valid report says so as a critical anomaly.
    @Test func aDayWithNoValidReportIsFlagged() throws {
        let (root, landing, truth, _) = try district("novalid", days: 2, seed: 45, folder: "x")
        let out = root.appendingPathComponent("out")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", "2020-03-01", "--out", out.path,
                                 "--allow-empty"]).status == 0)
        let anomalies = try readCSV(out.appendingPathComponent("2020-03-01/anomalies.csv"))
        #expect(anomalies.first?["rule"] == "no_valid_reports" && anomalies.first?["severity"] == "critical")
        _ = truth
    }

    @Test func brokenFilesAreRejectedWholeAndTheRunGoesOn() throws {
        let (root, landing, truth, day) = try district("broken", days: 3, seed: 31, folder: "坏文件")
        let workbook = "<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"
        try Data((workbook + "<Worksheet><Table><Row><Cell>").utf8).write(to: day.appendingPathComponent("截断.xml"))
        try Data(("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + workbook
                  + "<Worksheet><Table><Row><Cell><Data>&x;</Data></Cell></Row></Table></Worksheet></Workbook>").utf8)
            .write(to: day.appendingPathComponent("外部实体.xml"))
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00]).write(to: day.appendingPathComponent("损坏.xlsx"))
        try Data("报告日期,机构代码\n\"未闭合,HYK001\n".utf8).write(to: day.appendingPathComponent("引号.csv"))
        // A workbook whose first sheet is instructions: noted, not rejected.
        try Data((workbook + "<Worksheet ss:Name=\"填表说明\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Table>"
                  + "<Row><Cell><Data ss:Type=\"String\">请按要求填写</Data></Cell></Row></Table></Worksheet>"
                  + "<Worksheet ss:Name=\"通讯录\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Table>"
                  + "<Row><Cell><Data ss:Type=\"String\">姓名</Data></Cell></Row></Table></Worksheet></Workbook>").utf8)
            .write(to: day.appendingPathComponent("说明.xml"))

        // Instructions first, then a real inspection log: the first sheet is noted, the second read.
        let ss = "xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\""
        let cell = { (v: String) in "<Cell><Data ss:Type=\"String\">\(v)</Data></Cell>" }
        try Data((workbook + "<Worksheet ss:Name=\"填表说明\" \(ss)><Table><Row>\(cell("每日下午报送"))</Row></Table></Worksheet>"
                  + "<Worksheet ss:Name=\"检查记录\" \(ss)><Table><Row>\(cell("检查日期"))\(cell("机构代码"))\(cell("检查类型"))</Row>"
                  + "<Row>\(cell(truth.lastDay))\(cell("HYS010"))\(cell("防控督导"))</Row></Table></Worksheet></Workbook>").utf8)
            .write(to: day.appendingPathComponent("两张表.xml"))

        let out = root.appendingPathComponent("out")
        let run = try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path])
        #expect(run.status == 0)
        let folder = out.appendingPathComponent(truth.lastDay)
        let rejects = try readCSV(folder.appendingPathComponent("rejects.csv"))
        func reject(_ name: String) -> [String: String]? { rejects.first { $0["source"] == "\(truth.lastDay)/坏文件/\(name)" } }
        #expect(reject("截断.xml")?["reason"] == "unreadable_file")
        #expect(reject("截断.xml")?["message"]?.contains("line") == true)
        #expect(reject("外部实体.xml")?["reason"] == "unreadable_file")
        #expect(reject("外部实体.xml")?["message"]?.contains("root:") == false)
        #expect(reject("损坏.xlsx")?["reason"] == "unreadable_file")
        #expect(reject("引号.csv")?["message"]?.contains("record 2") == true)
        #expect(reject("说明.xml")?["reason"] == "unknown_form")
        // Every other figure is what the truth says it is.
        let s = try readJSON(folder.appendingPathComponent("summary.json"))
        let t = try #require(truth.days[truth.lastDay])
        #expect(s.at("reporting.valid") as? Int == t.valid)
        #expect(s.at("roster.persons") as? Int == t.rosterPersons)
        let manifest = try readJSON(folder.appendingPathComponent("manifest.json"))
        let inputs = manifest["inputs"] as! [[String: Any]]
        #expect(inputs.contains { ($0["source"] as! String).hasSuffix("截断.xml") && $0["file_rejected"] as? Bool == true })
        let both = try #require(inputs.first { ($0["source"] as! String).hasSuffix("两张表.xml") })
        let sheets = both["sheets"] as! [[String: Any]]
        #expect(sheets.map { $0["sheet"] as? String } == ["填表说明", "检查记录"])
        #expect(sheets[0]["form"] is NSNull && sheets[1]["form"] as? String == "inspections")
        #expect(sheets[1]["accepted"] as? Int == 1)
        #expect((both["warnings"] as! [String]).contains { $0.contains("填表说明") })
        #expect(reject("两张表.xml") == nil)
        let rows = manifest["rows"] as! [String: Int]
        #expect(rows["read"] == rows["accepted"]! + rows["rejected"]! + rows["skipped"]!)
    }
}
