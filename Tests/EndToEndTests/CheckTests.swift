import BulletinCore
import BulletinSample
import BulletinTestSupport
import Foundation
import Testing
import ZIPFoundation

/// `bulletin check` as a school clerk and a data team use it, through the real binary.
@Suite(.serialized)
struct CheckTests {
    /// The check of every file of a generated district (all formats) reports every reject the night
    /// reports about that file and every anomaly of a file-local rule the night raises on it.
    @Test func checkReportsWhatTheNightReportsAboutEachFile() throws {
        let (root, landing, truth) = try sampleDistrict("check-night", days: 3, seed: 61, formats: [.csv, .spreadsheetML, .xlsx, .xls])
        let out = root.appendingPathComponent("out")
        #expect(try runBulletin(["run", "--landing", landing.path, "--date", truth.lastDay, "--out", out.path]).status == 0)
        let night = out.appendingPathComponent(truth.lastDay)
        let day = landing.appendingPathComponent(truth.lastDay)
        let check = try runBulletin(["check", "--json", "--landing", landing.path, "--date", truth.lastDay, day.path])
        #expect(check.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.output.utf8)) as? [String: Any])
        let files = try #require(report["files"] as? [[String: Any]])
        #expect(files.count == (try FileManager.default.subpathsOfDirectory(atPath: day.path))
                    .filter { !$0.hasPrefix(".") && $0.contains(".") }.count)
        var checked: [String: [String: Any]] = [:]
        for f in files {
            let path = try #require(f["path"] as? String)
            checked[String(path.dropFirst(landing.path.count + 1))] = f
        }
        func file(of source: String) -> [String: Any]? { checked[String(source.split(separator: "#")[0])] }

        var rejectsSeen = 0
        for r in try readCSV(night.appendingPathComponent("rejects.csv")) where r["source"]!.hasPrefix(truth.lastDay + "/") {
            let f = try #require(file(of: r["source"]!), "\(r["source"]!) not checked")
            let problems = f["problems"] as! [[String: Any]]
            let found = problems.contains { p in
                (p["row"] as? Int).map(String.init) ?? "" == r["row"] && p["reason"] as? String == r["reason"]
                    && (p["column"] as? String ?? "") == r["column"]
            }
            #expect(found, "check missed \(r["source"]!) row \(r["row"]!) \(r["reason"]!)")
            rejectsSeen += 1
        }
        let local = Set(["late_report", "zero_flag_mismatch", "sum_mismatch", "count_exceeds_total", "total_row_mismatch",
                         "cases_reported", "invalid_id_number", "id_gender_mismatch", "duplicate_person", "observation_missing",
                         "observation_too_short", "on_duty_under_observation", "person_case", "care_needs_attention",
                         "cadre_double_booked", "rectification_overdue", "unknown_institution", "name_mismatch",
                         "enrollment_deviation", "training_operating"])
        var anomaliesSeen = 0
        // A cadre's clash with a night shift begun the day before involves the previous day's roster,
        // which no single file of the day holds.
        let dayBefore = LocalDate(iso: truth.lastDay)!.adding(days: -1).description
        for a in try readCSV(night.appendingPathComponent("anomalies.csv"))
        where local.contains(a["rule"]!) && a["source"]!.hasPrefix(truth.lastDay + "/")
            && !(a["rule"] == "cadre_double_booked" && a["message"]!.contains(dayBefore)) {
            let f = try #require(file(of: a["source"]!), "\(a["source"]!) not checked")
            let found = (f["anomalies"] as! [[String: Any]]).contains { c in
                c["rule"] as? String == a["rule"] && (c["row"] as? Int).map(String.init) ?? "" == a["row"]
                    && c["institution_code"] as? String == a["institution_code"] && c["person"] as? String == a["person"]
            }
            #expect(found, "check missed \(a["rule"]!) on \(a["source"]!) row \(a["row"]!)")
            anomaliesSeen += 1
        }
        #expect(rejectsSeen > 0 && anomaliesSeen > 10)
    }

    /// Every problem of a row, each with its cell; a misspelt header with the column it was meant to be;
    /// a header-only file and a file for another day are named; the JSON says the same.
    @Test func checkListsEveryProblemOfARowAndWhatWasRead() throws {
        let dir = temporaryFolder("check-clerk")
        let names = FormKind.daily.columns.map(\.chinese)
        /// A row by column: a clean report of 50 students and 10 staff, all in the city, with `cells` typed over it.
        func row(_ cells: [DailyColumn: String]) -> String {
            var values: [DailyColumn: String] = [.reportDate: "2020-02-17", .code: "HYK001", .name: "第一小学", .reporter: "王老师",
                                                 .submittedAt: "2020-02-17 08:00", .zeroReport: "是"]
            for f in Figure.allCases {
                values[.figure(f, of: .students)] = f == .total || f == .inCity ? "50" : "0"
                values[.figure(f, of: .staff)] = f == .total || f == .inCity ? "10" : "0"
            }
            values.merge(cells) { $1 }
            return DailyColumn.allCases.map { values[$0] ?? "" }.joined(separator: ",") + "\n"
        }
        let header = names.joined(separator: ",") + "\n"
        let bad = dir.appendingPathComponent("三处错误.csv")
        try (header + row([:]) + row([.code: "HYK002", .figure(.total, of: .students): "abc", .figure(.inCity, of: .students): "五十",
                                                  .figure(.total, of: .staff): "-1"])).write(to: bad, atomically: true, encoding: .utf8)
        let text = try runBulletin(["check", "--date", "2020-02-17", bad.path])
        #expect(text.status == 1)
        for expected in ["第3行 G3“学生总数”", "第3行 H3“在济学生数”", "第3行 P3“教职工总数”", "读取3行：可用1行，退回1行"] {
            #expect(text.output.contains(expected), "\(expected)")
        }

        let typo = dir.appendingPathComponent("表头笔误.csv")
        try (header.replacingOccurrences(of: "确诊病例教职工数", with: "确诊病列教职工数") + row([:]))
            .write(to: typo, atomically: true, encoding: .utf8)
        let headerOnly = dir.appendingPathComponent("只有表头.csv")
        try header.write(to: headerOnly, atomically: true, encoding: .utf8)
        let good = dir.appendingPathComponent("正确.csv")
        try (header + row([:])).write(to: good, atomically: true, encoding: .utf8)
        #expect(try runBulletin(["check", "--date", "2020-02-17", good.path]).status == 0)
        let yesterday = try runBulletin(["check", "--date", "2020-02-18", good.path])
        #expect(yesterday.status == 0 && yesterday.output.contains("不是2020-02-18"))

        let json = try runBulletin(["check", "--json", "--date", "2020-02-17", dir.path])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == false && report["expected_date"] as? String == "2020-02-17")
        let files = Dictionary(uniqueKeysWithValues: (report["files"] as! [[String: Any]]).map {
            (URL(fileURLWithPath: $0["path"] as! String).lastPathComponent, $0)
        })
        #expect(Set(files.keys) == ["三处错误.csv", "表头笔误.csv", "只有表头.csv", "正确.csv"])
        let cells = (files["三处错误.csv"]!["problems"] as! [[String: Any]]).compactMap { $0["cell"] as? String }
        #expect(cells == ["G3", "H3", "P3"])
        #expect((files["表头笔误.csv"]!["notes"] as! [String]).contains { $0.contains("是否应为“确诊病例教职工数”") })
        #expect((files["只有表头.csv"]!["notes"] as! [String]).contains { $0.contains("没有数据行") })
        #expect(files["只有表头.csv"]!["ok"] as? Bool == false)
        #expect(files["正确.csv"]!["ok"] as? Bool == true)
        #expect(files["正确.csv"]!.at("rows.usable") as? Int == 1)
        #expect(files["正确.csv"]!["institutions"] as? [String] == ["HYK001"])
    }

    @Test func aRosterWithABadChoiceIsRejectedWithItsCell() throws {
        let dir = temporaryFolder("check")
        let good = dir.appendingPathComponent("good.csv"), bad = dir.appendingPathComponent("bad.csv")
        let header = "摸排日期,机构代码,人员类别,姓名,身份证号\n"
        try (header + "2020-02-08,HYS001,学生,张三,11010519491231002X\n").write(to: good, atomically: true, encoding: .utf8)
        try (header + "2020-02-08,HYS001,老师,张三,11010519491231002X\n").write(to: bad, atomically: true, encoding: .utf8)
        let ok = try runBulletin(["check", good.path])
        #expect(ok.status == 0 && ok.output.contains("人员摸排花名册"))
        let no = try runBulletin(["check", bad.path])
        #expect(no.status == 1)
        #expect(no.output.contains("第2行 C2“人员类别”") && no.output.contains("bad_enum"))
    }
}

/// The blank forms `bulletin template` makes: each, filled with one row, passes `check` in every format.
@Suite(.serialized)
struct TemplateTests {
    /// One valid row of `form`, by column: what a clerk would type.
    static func filledRow(_ form: FormKind) -> [String] {
        let overrides: [String: String] = [
            "institution_code": form == .inspections ? "HYK002" : "HYK001", "enrolled_students": "100", "staff_count": "10",
            "zero_report": "是", "gender": "女", "id_number": "11010519491231002X", "student_id_number": "11010519491231002X",
            "cadre_id_number": "110105194912310021", "start_time": "08:00", "end_time": "16:00",
            "fix_deadline": "", "fixed_date": "", "return_date": "", "observation_start": "", "observation_end": "", "issues_found": "0", "suspended": "否", "submitted_at": "2020-02-17 08:00",
        ]
        return form.columns.map { c in
            if let v = overrides[c.english] { return v }
            switch c.type {
            case .count: return "0"
            case .date: return "2020-02-17"
            case .dateTime: return "2020-02-17 08:00"
            case .timeOrDateTime: return "08:00"
            case .yesNo: return "否"
            case .choice(let set): return set.choices[0].label
            case .text: return "示例"
            case .phone, .idNumber: return ""
            }
        }
    }

    /// Excel's serial for what a clerk types into a date or time cell.
    static func serial(_ text: String) -> Double? {
        if let d = LocalDate(iso: text) { return Double(d.dayNumber + 25_569) }
        if text.count == 16, let d = LocalDate(iso: String(text.prefix(10))), let t = TimeOfDay(text: String(text.suffix(5))) {
            return Double(d.dayNumber + 25_569) + Double(t.seconds) / 86_400
        }
        if let t = TimeOfDay(text: text) { return Double(t.seconds) / 86_400 }
        return nil
    }

    @Test(arguments: ["xlsx", "xml", "csv"])
    func aFilledTemplatePassesCheck(_ format: String) throws {
        let dir = temporaryFolder("template-\(format)")
        for form in FormKind.allCases {
            let file = dir.appendingPathComponent("\(form.rawValue).\(format)")
            let made = try runBulletin(["template", form.rawValue, "--format", format, "--out", file.path])
            #expect(made.status == 0)
            let values = Self.filledRow(form)
            switch format {
            case "csv":
                var bytes = [UInt8](try Data(contentsOf: file))
                #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM, so Excel opens it as UTF-8")
                bytes += Array((values.joined(separator: ",") + "\r\n").utf8)
                try Data(bytes).write(to: file)
            case "xml":
                let text = try String(contentsOf: file, encoding: .utf8)
                #expect(text.contains("<DataValidation") == form.columns.contains { $0.type.listed != nil })
                let cells = zip(form.columns, values).map { c, v -> String in
                    if v.isEmpty { return "<Cell/>" }
                    if case .count = c.type { return "<Cell><Data ss:Type=\"Number\">\(v)</Data></Cell>" }
                    if c.type.isDateOrTime {
                        let iso = v.count == 5 ? "1899-12-31T\(v):00.000" : v.count == 10 ? "\(v)T00:00:00.000"
                            : "\(v.prefix(10))T\(v.suffix(5)):00.000"
                        return "<Cell><Data ss:Type=\"DateTime\">\(iso)</Data></Cell>"
                    }
                    return "<Cell><Data ss:Type=\"String\">\(v)</Data></Cell>"
                }.joined()
                let filled = text.replacingOccurrences(of: "</Row></Table>", with: "</Row><Row>\(cells)</Row></Table>",
                                                       options: [], range: text.range(of: "</Row></Table>"))
                try filled.write(to: file, atomically: true, encoding: .utf8)
            default:
                try Self.fillXLSX(file, values: values, columns: form.columns)
            }
            let check = try runBulletin(["check", "--date", "2020-02-17", file.path])
            #expect(check.status == 0, "\(form.rawValue).\(format): \(check.output)")
            #expect(check.output.contains("可用1行"), "\(form.rawValue).\(format)")
        }
    }

    /// Types `values` into row 2 of the template's first sheet, as Excel saves them: numbers as numbers,
    /// dates and times as serials under the column's own format, text inline.
    static func fillXLSX(_ file: URL, values: [String], columns: [ColumnSpec]) throws {
        let archive = try Archive(url: file, accessMode: .read)
        var parts: [(String, Data)] = []
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts.append((entry.path, data))
        }
        let i = try #require(parts.firstIndex { $0.0 == "xl/worksheets/sheet1.xml" })
        let cells = zip(columns, values).enumerated().map { k, pair -> String in
            let (c, v) = pair
            let ref = CellReference.cell(column: k, row: 2)
            if v.isEmpty { return "" }
            if case .count = c.type { return "<c r=\"\(ref)\"><v>\(v)</v></c>" }
            if c.type.isDateOrTime, let serial = serial(v) {
                let style = v.count == 5 ? 4 : v.count == 10 ? 2 : 3
                return "<c r=\"\(ref)\" s=\"\(style)\"><v>\(serial)</v></c>"
            }
            return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(v)</t></is></c>"
        }.joined()
        let sheet = String(decoding: parts[i].1, as: UTF8.self)
            .replacingOccurrences(of: "</row></sheetData>", with: "</row><row r=\"2\">\(cells)</row></sheetData>")
        parts[i].1 = Data(sheet.utf8)
        try FileManager.default.removeItem(at: file)
        let out = try Archive(url: file, accessMode: .create)
        for (path, data) in parts {
            try out.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    @Test func theFormsAreTableSchemasMadeFromTheirDeclarations() throws {
        let json = try runBulletin(["forms", "--json", "--lang", "en"])
        #expect(json.status == 0)
        let forms = try #require((try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])?["forms"]
                                    as? [[String: Any]])
        #expect(forms.map { $0["name"] as? String } == FormKind.allCases.map(\.rawValue))
        for (form, entry) in zip(FormKind.allCases, forms) {
            let fields = try #require(entry.at("schema.fields") as? [[String: Any]])
            #expect(fields.map { $0["name"] as? String } == form.columns.map(\.english))
            #expect(fields.map { $0.at("constraints.required") as? Bool } == form.columns.map(\.required))
        }
        let daily = try #require(forms[1].at("schema.fields") as? [[String: Any]])
        #expect(daily.first { $0["name"] as? String == "students_total" }?["type"] as? String == "integer")
        #expect(daily.first { $0["name"] as? String == "zero_report" }?["type"] as? String == "boolean")
    }
}

extension ValueType {
    var isDateOrTime: Bool {
        switch self {
        case .date, .dateTime, .timeOrDateTime: return true
        default: return false
        }
    }
}
