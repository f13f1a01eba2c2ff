import BulletinCore
import BulletinSample
import Foundation
import Testing

/// What the bureau's groups and analysts take from a published day: the work list as a workbook,
/// and one row per expected institution.
@Suite(.serialized)
struct AnalystOutputsTests {
    func publish() throws -> (folder: URL, truth: Truth) {
        var config = SampleConfig()
        config.days = 4
        config.peopleScale = 0.02
        config.seed = 71
        config.formats = [.csv, .spreadsheetML, .xlsx, .xls]
        let root = temporaryFolder("analyst")
        let landing = root.appendingPathComponent("landing")
        let truth = try SampleGenerator(config: config).generate(into: landing)
        let out = root.appendingPathComponent("out")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path]).status == 0)
        return (out.appendingPathComponent(truth.lastDay), truth)
    }

    /// reports.csv has one row per expected institution whose statuses and figures add up to summary.json.
    @Test func reportsCSVAddsUpToTheSummary() throws {
        let (folder, truth) = try publish()
        let rows = try readCSV(folder.appendingPathComponent("reports.csv"))
        let s = try readJSON(folder.appendingPathComponent("summary.json"))
        let t = try #require(truth.days[truth.lastDay])
        #expect(rows.count == t.expected)
        #expect(rows.filter { $0["status"] == "on_time" }.count == s.at("reporting.on_time") as? Int)
        #expect(rows.filter { $0["status"] == "late" }.count == s.at("reporting.late") as? Int)
        #expect(rows.filter { $0["status"] == "missing" }.count == s.at("reporting.missing") as? Int)
        #expect(rows.reduce(0) { $0 + (Int($1["students_total"] ?? "") ?? 0) } == t.students[0])
        #expect(rows.reduce(0) { $0 + (Int($1["staff_fever"] ?? "") ?? 0) } == t.staff[6])
        for (street, x) in t.streets {
            #expect(rows.filter { $0["street"] == street && $0["status"] != "missing" }.count == x.valid, "\(street)")
        }
        #expect(rows.allSatisfy { $0["status"] == "missing" || ($0["source"]?.hasPrefix("20") == true && $0["submitted_at"]?.isEmpty == false) })
    }

    /// anomalies.xlsx opens headless in LibreOffice with its Chinese intact, and its district sheet is
    /// the work list of anomalies.csv.
    @Test func theWorkListWorkbookOpensInLibreOfficeWithItsChineseIntact() throws {
        let (folder, _) = try publish()
        let soffice = URL(fileURLWithPath: "/usr/bin/soffice")
        try #require(FileManager.default.isExecutableFile(atPath: soffice.path), "make deps installs libreoffice-calc-nogui")
        let converted = folder.deletingLastPathComponent().appendingPathComponent("converted")
        let home = folder.deletingLastPathComponent().appendingPathComponent("lo-profile")
        // UTF-8 (76), comma-separated, every sheet to its own file (-1).
        let run = try runProgram(soffice, ["-env:UserInstallation=file://\(home.path)", "--headless", "--convert-to",
                                           "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                                           "--outdir", converted.path, folder.appendingPathComponent("anomalies.xlsx").path])
        #expect(run.status == 0)
        let sheets = try FileManager.default.contentsOfDirectory(atPath: converted.path).sorted()
        #expect(sheets == ["anomalies-下沉干部与点位.csv", "anomalies-中小学.csv", "anomalies-全区.csv", "anomalies-幼儿园.csv",
                           "anomalies-校外培训机构.csv"])
        let district = try readCSV(converted.appendingPathComponent("anomalies-全区.csv"))
        let csv = try readCSV(folder.appendingPathComponent("anomalies.csv"))
        #expect(district.count == csv.count && csv.count > 10)
        let key = { (rule: String?, code: String?, person: String?, row: String?) in "\(rule ?? "")|\(code ?? "")|\(person ?? "")|\(row ?? "")" }
        #expect(district.map { key($0["规则"], $0["机构代码"], $0["人员"], $0["行号"]) }
                == csv.map { key($0["rule"], $0["institution_code"], $0["person"], $0["row"]) })
        #expect(zip(district, csv).allSatisfy { $0["说明"] == $1["message"] && $0["机构名称"] == $1["institution_name"] })
        #expect(district.contains { $0["级别"] == "紧急" && $0["事项"] == "报告发热或病例" })
        let kindergarten = try readCSV(converted.appendingPathComponent("anomalies-幼儿园.csv"))
        #expect(kindergarten.count == csv.filter { $0["group"] == "幼儿园" }.count)
        #expect(kindergarten.allSatisfy { $0["类别"] == "幼儿园" && $0["街道"]?.hasSuffix("街道") == true })
    }
}
