import BulletinCore
import BulletinSample
import BulletinTestSupport
import Foundation
import Testing

/// What the bureau's groups and analysts take from a published day: the work list as a workbook,
/// and one row per expected institution.
@Suite(.serialized)
struct AnalystOutputsTests {
    func publish() throws -> (folder: URL, truth: Truth) {
        let (root, landing, truth) = try sampleDistrict("analyst", days: 4, seed: 71, formats: [.csv, .spreadsheetML, .xlsx, .xls])
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

/// `bulletin export` and `bulletin diff`, with the standard tools reading what they write.
@Suite(.serialized)
struct ExportAndDiffTests {
    @Test func anExportLoadsInPythonAndSQLiteAndADiffShowsAThresholdsEffect() throws {
        let (root, landing, truth) = try sampleDistrict("export", days: 4, seed: 73)
        let dates = truth.days.keys.sorted()
        let out = root.appendingPathComponent("out")
        #expect(try runBulletin(["rerun", "--landing", landing.path, "--from", dates[1], "--to", dates[3], "--out", out.path]).status == 0)

        // CSV: Python's csv module reads one row per expected institution and date.
        let csvFile = root.appendingPathComponent("reports.csv")
        #expect(try runBulletin(["export", "--out", out.path, "--from", dates[0], "--to", dates[3], "--to-file", csvFile.path]).status == 0)
        let expectedRows = dates[1...].map { truth.days[$0]!.expected }.reduce(0, +)
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let csvCount = try runProgram(python, ["-c", """
            import csv, sys
            rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')))
            summary = list(csv.DictReader(open(sys.argv[2], encoding='utf-8-sig')))
            valid = sum(1 for r in summary if r['key'] == 'reporting.valid')
            print(len(rows), len({r['date'] for r in rows}), valid, sum(int(r['students_total'] or 0) for r in rows if r['date'] == sys.argv[3]))
            """, csvFile.path, root.appendingPathComponent("reports.summary.csv").path, dates[3]])
        #expect(csvCount.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(expectedRows) 3 3 \(truth.days[dates[3]]!.students[0])")

        // SQLite: the same through Python's sqlite3, with figures as integers.
        let db = root.appendingPathComponent("reports.sqlite")
        #expect(try runBulletin(["export", "--out", out.path, "--from", dates[1], "--to", dates[3], "--to-file", db.path,
                                 "--format", "sqlite"]).status == 0)
        let sql = try runProgram(python, ["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            n = c.execute('select count(*) from reports').fetchone()[0]
            valid = c.execute("select sum(value) from summary where key = 'reporting.valid' and date = ?", (sys.argv[2],)).fetchone()[0]
            total = c.execute('select sum(students_total) from reports where date = ?', (sys.argv[2],)).fetchone()[0]
            kind = c.execute('select typeof(students_total) from reports where status != "missing" limit 1').fetchone()[0]
            print(n, int(valid), total, kind)
            """, db.path, dates[3]])
        let t = truth.days[dates[3]]!
        #expect(sql.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(expectedRows) \(t.valid) \(t.students[0]) integer")

        // A later deadline into another folder: diff names the parameter, the on-time counts and the late reports gone.
        let yaml = try String(contentsOfFile: "Pipelines/daily.yaml", encoding: .utf8)
        let lenient = root.appendingPathComponent("lenient.yaml")
        try yaml.replacingOccurrences(of: "\"12:00:00\"", with: "\"23:59:59\"").write(to: lenient, atomically: true, encoding: .utf8)
        let other = root.appendingPathComponent("other")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", dates[3], "--out", other.path,
                                 "--pipeline", lenient.path]).status == 0)
        let diff = try runBulletin(["diff", out.path, other.path, "--date", dates[3]])
        #expect(diff.status == 1)
        #expect(diff.output.contains("report_deadline: 12:00:00 → 23:59:59"))
        #expect(diff.output.contains("reporting.on_time: \(t.onTime) → \(t.valid)"))
        let late = t.anomalies.filter { $0.hasPrefix("late_report|") }.count
        #expect(diff.output.contains("late_report: +0 −\(late)"))
        let same = try runBulletin(["diff", out.appendingPathComponent(dates[3]).path, out.appendingPathComponent(dates[3]).path])
        #expect(same.status == 0 && same.output.contains("identical"))
    }
}
