import BulletinAggregate
import BulletinCore
import BulletinPipeline
import BulletinReport
import BulletinValidate

/// What `check` says about one file: what was read, every problem of every row, and the rules the
/// night would fire on it; as text lines for a clerk and as JSON for a data team.
struct CheckReport {
    var path: String
    var forms: [FormKind] = []
    var institutions: [String] = []
    var dates: [LocalDate] = []
    var read = 0, usable = 0, rejected = 0, skipped = 0
    var notes: [String] = []
    var problems: [Reject] = []
    var anomalies: [Anomaly] = []
    /// The rules' titles, with the thresholds of the pipeline definition.
    var titles: [Rule: String] = [:]
    /// Why the file was not read at all (a type the tool does not read, a file that cannot be opened).
    var unreadable: String?

    init(path: String, unreadable: String) {
        self.path = path
        self.unreadable = unreadable
    }

    init(path: String, file: ValidatedFile, verdict: FileCheck.Verdict, expected: LocalDate, parameters: PipelineParameters) {
        self.path = path
        forms = file.forms
        institutions = verdict.institutions
        dates = verdict.dates
        for s in file.sheets {
            read += s.rowsRead
            usable += s.accepted
            rejected += s.rejected
            skipped += s.skipped
        }
        notes = file.warnings
        let holdsRows = forms.contains { $0 != .institutions }
        if !forms.isEmpty && usable + rejected == 0 && file.rejects.isEmpty {
            notes.append("文件只有表头，没有数据行：请填写后再报送 / header only: the file holds no data")
        } else if holdsRows, !dates.isEmpty, !dates.contains(expected) {
            notes.append("表中的日期是\(dates.map(\.description).joined(separator: "、"))，不是\(expected)：如是以前报过的文件，请勿重复报送"
                         + " / the file is not for \(expected)")
        }
        problems = (file.rejects + file.furtherProblems + verdict.registryRejects).sorted(by: CheckReport.order)
        anomalies = verdict.anomalies
        titles = Dictionary(uniqueKeysWithValues: Set(anomalies.map(\.rule)).map { ($0, $0.chineseTitle(parameters)) })
    }

    /// Nothing would be rejected, no error or critical rule fires, and the file holds data.
    var passes: Bool {
        unreadable == nil && problems.isEmpty && (usable > 0 || forms == [.institutions])
            && !anomalies.contains { $0.severity == .critical || $0.severity == .error }
    }

    /// Rows in sheet and row order, cells left to right.
    private static func order(_ a: Reject, _ b: Reject) -> Bool {
        if a.position.source != b.position.source { return a.position.source < b.position.source }
        if a.position.row != b.position.row { return (a.position.row ?? 0) < (b.position.row ?? 0) }
        return (a.cell?.count ?? 0, a.cell ?? "") < (b.cell?.count ?? 0, b.cell ?? "")
    }

    // MARK: - Text

    var lines: [String] {
        if let unreadable { return ["\(path)：未读取：\(unreadable) [unsupported_file]"] }
        var head = "\(path)：\(forms.isEmpty ? "未识别出表单" : forms.map(\.chineseName).joined(separator: "、"))"
        if !institutions.isEmpty {
            let shown = institutions.prefix(5).joined(separator: "、")
            head += "；机构\(institutions.count)家（\(shown)\(institutions.count > 5 ? "等" : "")）"
        }
        if !dates.isEmpty { head += "；日期 \(dates.map(\.description).joined(separator: "、"))" }
        head += "；读取\(read)行：可用\(usable)行，退回\(rejected)行，跳过\(skipped)行"
        var out = [head]
        out += notes.map { "  提示：\($0)" }
        for p in problems {
            let value = p.value.isEmpty ? "" : "（值：\(p.value)）"
            out.append("  \(CheckReport.place(p.position.source, row: p.position.row, cell: p.cell, column: p.position.column))："
                       + "\(p.message)\(value) [\(p.reason.rawValue)]")
        }
        for a in anomalies {
            out.append("  \(CheckReport.place(a.source, row: a.row, cell: nil, column: nil))：\(titles[a.rule] ?? a.rule.rawValue)：\(a.message)"
                       + " [\(a.rule.rawValue) \(a.severity.chinese)]")
        }
        out.append("  结论：\(passes ? "可以报送" : "请修改后再报送") / \(passes ? "ok" : "fix before sending")")
        return out
    }

    /// `工作表“日报” 第7行 G7“确诊病例教职工数”`, or `整个文件` for the whole file.
    private static func place(_ source: String, row: Int?, cell: String?, column: String?) -> String {
        var parts: [String] = []
        if let hash = source.lastIndex(of: "#") { parts.append("工作表“\(source[source.index(after: hash)...])”") }
        if let row { parts.append("第\(row)行") }
        if let column { parts.append("\(cell ?? "")“\(column)”") }
        return parts.isEmpty ? "整个文件" : parts.joined(separator: " ")
    }

    // MARK: - JSON

    static func json(_ reports: [CheckReport], expected: LocalDate, ok: Bool) -> String {
        JSONValue.object([
            ("ok", .bool(ok)),
            ("expected_date", .string(expected.description)),
            ("files", .array(reports.map(\.jsonValue))),
        ]).rendered()
    }

    private var jsonValue: JSONValue {
        func sheet(_ source: String) -> JSONValue {
            source.lastIndex(of: "#").map { .string(String(source[source.index(after: $0)...])) } ?? .null
        }
        return .object([
            ("path", .string(path)),
            ("ok", .bool(passes)),
            ("unreadable", unreadable.map { .string($0) } ?? .null),
            ("forms", .array(forms.map { .string($0.rawValue) })),
            ("institutions", .array(institutions.map { .string($0) })),
            ("dates", .array(dates.map { .string($0.description) })),
            ("rows", .object([("read", .int(read)), ("usable", .int(usable)), ("rejected", .int(rejected)),
                              ("skipped", .int(skipped))])),
            ("notes", .array(notes.map { .string($0) })),
            ("problems", .array(problems.map { p in
                .object([("sheet", sheet(p.position.source)), ("row", p.position.row.map { .int($0) } ?? .null),
                         ("cell", p.cell.map { .string($0) } ?? .null), ("column", p.position.column.map { .string($0) } ?? .null),
                         ("value", .string(p.value)), ("reason", .string(p.reason.rawValue)), ("message", .string(p.message))])
            })),
            ("anomalies", .array(anomalies.map { a in
                .object([("rule", .string(a.rule.rawValue)), ("severity", .string(a.severity.rawValue)),
                         ("date", .string(a.date.description)), ("sheet", sheet(a.source)),
                         ("row", a.row.map { .int($0) } ?? .null), ("institution_code", .string(a.institutionCode)),
                         ("person", .string(a.person)), ("message", .string(a.message))])
            })),
        ])
    }
}
