import BulletinCore
import BulletinSample
import BulletinTestSupport
import Foundation
import Testing

/// Runs a poppler tool on a PDF and returns what it printed.
func poppler(_ tool: String, _ arguments: [String]) throws -> String {
    try runProgram(URL(fileURLWithPath: "/usr/bin/\(tool)"), arguments).output
}

/// The bulletin in HTML and PDF, checked against summary.json and by poppler.
@Suite(.serialized)
struct BulletinTests {
    func publish(days: Int = 6, plant: Bool = true, dropDaily: Bool = false) throws -> (folder: URL, date: String) {
        var config = SampleConfig()
        config.days = days
        config.peopleScale = 0.02
        config.seed = 99
        config.plantProblems = plant
        let root = temporaryFolder("bulletin")
        let landing = root.appendingPathComponent("landing")
        let truth = try SampleGenerator(config: config).generate(into: landing)
        if dropDaily {
            // A day on which nothing at all arrived: only the registry and earlier days remain.
            try FileManager.default.removeItem(at: landing.appendingPathComponent(truth.lastDay))
        }
        let out = root.appendingPathComponent("out")
        let arguments = ["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path]
        if dropDaily {
            // An empty night is refused unless asked for.
            #expect(try runBulletin(arguments).status == 66)
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(truth.lastDay).path))
        }
        let run = try runBulletin(arguments + (dropDaily ? ["--allow-empty"] : []))
        #expect(run.status == 0)
        return (out.appendingPathComponent(truth.lastDay), truth.lastDay)
    }

    @Test func pdfAndHTMLStateTheSummaryFigures() throws {
        let (folder, _) = try publish()
        let s = try readJSON(folder.appendingPathComponent("summary.json"))
        let text = try poppler("pdftotext", ["-layout", folder.appendingPathComponent("bulletin.pdf").path, "-"])
            .replacingOccurrences(of: " ", with: "")
        let html = try String(contentsOf: folder.appendingPathComponent("bulletin.html"), encoding: .utf8)
        let r = { (k: String) in s.at("reporting.\(k)") as! Int }
        let sentence = "应报\(r("expected"))家，收到\(r("received"))家，有效\(r("valid"))家，按时\(r("on_time"))家，迟报\(r("late"))家，未报\(r("missing"))家"
        #expect(text.contains(sentence))
        #expect(html.contains(sentence))
        let persons = s.at("roster.persons") as! Int
        #expect(text.contains("花名册在册\(persons)人") && html.contains("花名册在册\(persons)人"))
        let total = s.at("anomalies.total") as! Int
        #expect(text.contains("共\(total)项") && html.contains("共\(total)项"))
        let students = s.at("counts.students.total") as! Int
        #expect(text.contains("学生合计\(students)") || text.contains("学生合计\n\(students)") || text.contains(String(students)))
        #expect(html.contains("<td class=\"n\">\(students)"))
        #expect(text.contains("第1页"))
    }

    @Test func pdfEmbedsAChineseFontAndNoPersonalData() throws {
        let (folder, _) = try publish()
        let fonts = try poppler("pdffonts", [folder.appendingPathComponent("bulletin.pdf").path])
        let cjk = fonts.split(separator: "\n").filter { $0.contains("WenQuanYi") || $0.contains("Noto") }
        #expect(!cjk.isEmpty)
        #expect(cjk.allSatisfy { $0.contains(" yes yes ") })
        let html = try String(contentsOf: folder.appendingPathComponent("bulletin.html"), encoding: .utf8)
        #expect(html.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil)
        #expect(html.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil)
        #expect(!html.contains("<script"))
    }

    /// cairo has no setting for its compression: the binary's own `deflateInit_` (CPangoCairo) asks zlib
    /// for level 1, which each stream's zlib header records (78 01; level 6 writes 78 9C).
    @Test func pdfStreamsAreCompressedAtZlibLevelOne() throws {
        let (folder, _) = try publish()
        let pdf = [UInt8](try Data(contentsOf: folder.appendingPathComponent("bulletin.pdf")))
        let marker = Array("stream\n".utf8)
        var levels: [UInt8] = []   // the second header byte of each compressed stream
        for start in 0..<(pdf.count - marker.count - 2) where pdf[start..<(start + marker.count)].elementsEqual(marker) {
            let header = start + marker.count
            if pdf[header] == 0x78 { levels.append(pdf[header + 1]) }   // an empty stream holds no header
        }
        #expect(levels.count > 5)
        #expect(levels.allSatisfy { $0 == 0x01 })
    }

    @Test func aDayWithNoReportsStillLaysOutWithItsLongList() throws {
        let (folder, _) = try publish(days: 3, plant: false, dropDaily: true)
        let html = try String(contentsOf: folder.appendingPathComponent("bulletin.html"), encoding: .utf8)
        #expect(html.contains("未报送日报的机构（454家）") || html.contains("未报送日报的机构（455家）"))
        #expect(html.contains("……另有"))
        let info = try poppler("pdfinfo", [folder.appendingPathComponent("bulletin.pdf").path])
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.map { Int($0.split(separator: " ").last!)! } ?? 0
        #expect(pages >= 2)
        let text = try poppler("pdftotext", [folder.appendingPathComponent("bulletin.pdf").path, "-"])
        #expect(text.contains("另有"))
    }

    @Test func htmlSnapshotOfAFixedSampleDay() throws {
        let (folder, date) = try publish(days: 4)
        let html = try String(contentsOf: folder.appendingPathComponent("bulletin.html"), encoding: .utf8)
        let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots/bulletin-\(date).html")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] != nil {
            try FileManager.default.createDirectory(at: snapshot.deletingLastPathComponent(), withIntermediateDirectories: true)
            try html.write(to: snapshot, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(html == expected, "bulletin.html changed; rerun with UPDATE_SNAPSHOTS=1 after checking it")
    }
}
