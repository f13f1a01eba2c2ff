import BulletinCore
import BulletinIngest
import BulletinSample
import BulletinTestSupport
import Foundation
import Testing

/// Runs the real `bulletin` binary over generated districts and compares every
/// published figure, anomaly and reject with the generator's planted truth.
@Suite(.serialized)
struct PlantedTruthTests {
    static let figureKeys = ["total", "in_city", "away", "returned", "hubei", "observation", "fever", "suspected", "confirmed"]

    func generate(_ name: String, formats: [TableFormat], days: Int = 12, seed: UInt64 = 7) throws -> (URL, Truth) {
        var config = SampleConfig()
        config.days = days
        config.seed = seed
        config.peopleScale = 0.02
        config.formats = formats
        let root = temporaryFolder(name)
        let truth = try SampleGenerator(config: config).generate(into: root.appendingPathComponent("landing"))
        return (root, truth)
    }

    func compare(_ out: URL, _ truth: Truth, date: String) throws {
        let t = try #require(truth.days[date])
        let folder = out.appendingPathComponent(date)
        let s = try readJSON(folder.appendingPathComponent("summary.json"))
        #expect(s.at("reporting.expected") as? Int == t.expected, "\(date) expected")
        #expect(s.at("reporting.received") as? Int == t.received, "\(date) received")
        #expect(s.at("reporting.valid") as? Int == t.valid, "\(date) valid")
        #expect(s.at("reporting.on_time") as? Int == t.onTime, "\(date) on_time")
        #expect(s.at("reporting.zero_reports") as? Int == t.zeroReports, "\(date) zero_reports")
        #expect(Self.figureKeys.map { s.at("counts.students.\($0)") as? Int } == t.students.map { $0 }, "\(date) students")
        #expect(Self.figureKeys.map { s.at("counts.staff.\($0)") as? Int } == t.staff.map { $0 }, "\(date) staff")
        // By street: reporting and figures of every street of an expected institution.
        let reportingByStreet = try #require(s.at("reporting.by_street") as? [String: [String: Int]])
        let countsByStreet = try #require(s.at("counts.by_street") as? [String: [String: [String: Int]]])
        #expect(Set(reportingByStreet.keys) == Set(t.streets.keys) && Set(countsByStreet.keys) == Set(t.streets.keys), "\(date) streets")
        for (name, street) in t.streets {
            let r = reportingByStreet[name] ?? [:]
            #expect([r["expected"], r["valid"], r["on_time"], r["missing"]] == [street.expected, street.valid, street.onTime, street.missing],
                    "\(date) \(name) reporting")
            #expect(Self.figureKeys.map { countsByStreet[name]?["students"]?[$0] } == street.students, "\(date) \(name) students")
            #expect(Self.figureKeys.map { countsByStreet[name]?["staff"]?[$0] } == street.staff, "\(date) \(name) staff")
        }
        #expect(s.at("online.learners") as? Int == t.onlineLearners)
        #expect(s.at("roster.persons") as? Int == t.rosterPersons, "\(date) roster persons")
        #expect(s.at("roster.under_observation.home") as? Int == t.rosterHome, "\(date) home")
        #expect(s.at("roster.returned_14d") as? Int == t.rosterReturned14d, "\(date) returned")
        #expect(s.at("care.children") as? Int == t.careChildren, "\(date) care children")
        #expect(s.at("care.contacted") as? Int == t.careContacted, "\(date) care contacted")
        #expect(s.at("duty.posts_covered") as? Int == t.dutyPostsCovered, "\(date) posts covered")
        #expect(s.at("duty.cadres") as? Int == t.dutyCadres, "\(date) cadres on duty")
        #expect(s.at("duty.shifts") as? Int == t.dutyShifts, "\(date) shifts")
        #expect(s.at("duty.hours") as? Double == t.dutyHours, "\(date) duty hours")
        #expect(s.at("inspections.on_day.total") as? Int == t.inspectionsOnDay, "\(date) inspections")
        #expect(s.at("inspections.cumulative.total") as? Int == t.inspectionsCumulative, "\(date) inspections so far")

        let anomalies = try readCSV(folder.appendingPathComponent("anomalies.csv")).map { a in
            "\(a["rule"]!)|\(a["rule"] == "duplicate_person" ? "" : a["institution_code"]!)|\(a["person"]!)"
        }
        #expect(anomalies.sorted() == t.anomalies, "\(date) anomalies")
        let rejects = try readCSV(folder.appendingPathComponent("rejects.csv")).map { "\($0["source"]!)|\($0["row"]!)|\($0["reason"]!)" }
        #expect(rejects.sorted() == t.rejects, "\(date) rejects")
    }

    /// Reruns every day of a generated district and compares each with the truth.
    func rerunAndCompare(_ root: URL, _ truth: Truth) throws {
        let out = root.appendingPathComponent("out")
        let dates = truth.days.keys.sorted()
        let run = try runBulletin(["rerun", "--landing", root.appendingPathComponent("landing").path,
                                   "--from", dates.first!, "--to", dates.last!, "--out", out.path])
        #expect(run.status == 0)
        for date in dates { try compare(out, truth, date: date) }
        try comparePeriod(out, last: dates.last!)
    }

    /// The last date's series.json lists every earlier date as that date's own summary.json has it
    /// (the period is computed from an index of reports by date, the summaries from each date's inputs).
    func comparePeriod(_ out: URL, last: String) throws {
        let series = try readJSON(out.appendingPathComponent("\(last)/series.json"))
        let days = try #require(series["days"] as? [[String: Any]])
        #expect(days.count >= 2 && days.last?["date"] as? String == last)
        for day in days {
            let date = try #require(day["date"] as? String)
            let summary = try readJSON(out.appendingPathComponent("\(date)/summary.json"))
            func both(_ figure: String) -> Int {
                ["students", "staff"].reduce(0) { $0 + (summary.at("counts.\($1).\(figure)") as? Int ?? -1) }
            }
            #expect(day["expected"] as? Int == summary.at("reporting.expected") as? Int, "\(date) expected")
            #expect(day["valid"] as? Int == summary.at("reporting.valid") as? Int, "\(date) valid")
            #expect(day["on_time"] as? Int == summary.at("reporting.on_time") as? Int, "\(date) on time")
            #expect(day["cases"] as? Int == both("fever") + both("suspected") + both("confirmed"), "\(date) cases")
            #expect(day["under_observation"] as? Int == both("observation"), "\(date) observation")
            #expect(day["returned"] as? Int == both("returned"), "\(date) returned")
        }
    }

    @Test func csvDistrictMatchesTheTruthEveryDay() throws {
        let (root, truth) = try generate("csv", formats: [.csv])
        try rerunAndCompare(root, truth)
        // Every rule of the catalog fired somewhere in the period.
        let fired = Set(truth.days.values.flatMap { $0.anomalies.map { String($0.split(separator: "|")[0]) } })
        let planted: [Rule] = [.missingReport, .lateReport, .duplicateReport, .unknownInstitution, .nameMismatch,
                               .zeroFlagMismatch, .sumMismatch, .countExceedsTotal, .enrollmentDeviation,
                               .totalRowMismatch, .casesReported, .spike, .rosterMismatch, .rosterStale,
                               .invalidIdNumber, .idGenderMismatch, .duplicatePerson, .observationMissing,
                               .observationTooShort, .onDutyUnderObservation, .personCase, .careContactGap,
                               .careNeedsAttention, .postUncovered, .cadreDoubleBooked, .trainingOperating,
                               .rectificationOverdue]
        #expect(planted.filter { !fired.contains($0.rawValue) } == [])
    }

    @Test(arguments: [[TableFormat.spreadsheetML], [.xlsx], [.xls], [.csv, .spreadsheetML, .xlsx, .xls]])
    func workbookDistrictsMatchTheTruth(_ formats: [TableFormat]) throws {
        let (root, truth) = try generate("formats", formats: formats, days: 9, seed: 3)
        try rerunAndCompare(root, truth)
    }

    @Test func sameDistrictInEachFormatGivesTheSameAnswer() throws {
        var published: [[String]] = []
        for format in [TableFormat.csv, .spreadsheetML, .xlsx, .xls] {
            let (root, truth) = try generate("same-\(format.rawValue)", formats: [format], days: 9, seed: 5)
            let out = root.appendingPathComponent("out")
            _ = try runBulletin(["run", "--landing", root.appendingPathComponent("landing").path, "--date", truth.lastDay,
                                 "--out", out.path])
            let folder = out.appendingPathComponent(truth.lastDay)
            let summary = try String(contentsOf: folder.appendingPathComponent("summary.json"), encoding: .utf8)
            let withoutSource = { (rows: [[String: String]]) in
                rows.map { $0.filter { $0.key != "source" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    .joined(separator: ";") }.sorted()
            }
            published.append([summary]
                + withoutSource(try readCSV(folder.appendingPathComponent("anomalies.csv")))
                + withoutSource(try readCSV(folder.appendingPathComponent("rejects.csv"))))
        }
        #expect(published[0].count > 20)
        #expect(published[0] == published[1], "CSV and XML Spreadsheet 2003 disagree")
        #expect(published[0] == published[2], "CSV and .xlsx disagree")
        #expect(published[0] == published[3], "CSV and Excel 97–2003 .xls disagree")
    }

    @Test func singleRunEqualsRangeRunByteForByte() throws {
        let (root, truth) = try generate("repro", formats: [.csv], days: 9, seed: 11)
        let landing = root.appendingPathComponent("landing").path
        let date = truth.lastDay
        let ranged = root.appendingPathComponent("ranged"), single = root.appendingPathComponent("single")
        _ = try runBulletin(["rerun", "--landing", landing, "--from", truth.days.keys.min()!, "--to", date, "--out", ranged.path])
        _ = try runBulletin(["run", "--landing", landing, "--date", date, "--out", single.path])
        _ = try runBulletin(["run", "--landing", landing, "--date", date, "--out", single.path])
        for name in ["summary.json", "anomalies.csv", "rejects.csv", "manifest.json", "bulletin.html"] {
            let a = try Data(contentsOf: ranged.appendingPathComponent(date).appendingPathComponent(name))
            let b = try Data(contentsOf: single.appendingPathComponent(date).appendingPathComponent(name))
            #expect(a == b, "\(name) differs between a range run and a single run")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: single.path)
            .filter { $0.contains(".staging-") || $0.contains(".retired-") }
        #expect(leftovers.isEmpty)
    }
}
