import BulletinCore
import BulletinAggregate

/// summary.json: the district report in the keys of outputs.md.
public enum SummaryJSON {
    /// summary.json of outputs.md.
    public static func render(_ s: Summary) -> String { value(s).rendered() }

    /// The version of summary.json's shape; the changelog records what each version changed.
    public static let schema = "bulletin-summary/1"

    static func value(_ s: Summary) -> JSONValue {
        let r = s.reporting
        let groups: [(String, JSONValue)] = ReportGroup.allCases.map { g in
            let x = r.byGroup[g] ?? Summary.GroupReporting()
            return (g.rawValue, .object([
                ("expected", .int(x.expected)), ("valid", .int(x.valid)), ("on_time", .int(x.onTime)),
                ("missing", .int(x.missing)), ("zero_reports", .int(x.zeroReports)),
            ]))
        }
        let streets: [(String, JSONValue)] = r.byStreet.keys.sorted().map { name in
            let x = r.byStreet[name]!
            return (name, .object([
                ("expected", .int(x.expected)), ("valid", .int(x.valid)), ("on_time", .int(x.onTime)), ("missing", .int(x.missing)),
            ]))
        }
        let countStreets: [(String, JSONValue)] = s.counts.byStreet.keys.sorted().map { name in
            let x = s.counts.byStreet[name]!
            return (name, .object([("students", figures(x.students)), ("staff", figures(x.staff))]))
        }
        let countGroups: [(String, JSONValue)] = ReportGroup.allCases.map { g in
            let x = s.counts.byGroup[g] ?? (Summary.zeroFigures, Summary.zeroFigures)
            return (g.rawValue, .object([("students", figures(x.students)), ("staff", figures(x.staff))]))
        }
        return .object([
            ("schema", .string(schema)),
            ("date", .string(s.date.description)),
            ("reporting", .object([
                ("expected", .int(r.expected)), ("received", .int(r.received)), ("valid", .int(r.valid)),
                ("on_time", .int(r.onTime)), ("late", .int(r.late)), ("missing", .int(r.missing)),
                ("zero_reports", .int(r.zeroReports)),
                ("completeness", .double(r.completeness)), ("timeliness", .double(r.timeliness)),
                ("by_group", .object(groups)),
                ("by_street", .object(streets)),
            ])),
            ("counts", .object([
                ("students", figures(s.counts.students)), ("staff", figures(s.counts.staff)),
                ("by_group", .object(countGroups)),
                ("by_street", .object(countStreets)),
            ])),
            ("roster", .object([
                ("persons", .int(s.roster.persons)),
                ("by_type", .object([
                    ("student", .int(s.roster.byType[0])), ("staff", .int(s.roster.byType[1])),
                    ("worker", .int(s.roster.byType[2])),
                ])),
                ("under_observation", .object([("home", .int(s.roster.home)), ("central", .int(s.roster.central))])),
                ("returned_14d", .int(s.roster.returned14d)),
                ("hubei_history", .int(s.roster.hubeiHistory)),
                ("cases", .object([
                    ("fever", .int(s.roster.fever)), ("suspected", .int(s.roster.suspected)),
                    ("confirmed", .int(s.roster.confirmed)),
                ])),
            ])),
            ("online", .object([
                ("learners", .int(s.online.learners)), ("difficulty", .int(s.online.difficulty)),
                ("participation", .double(s.online.participation)),
            ])),
            ("care", .object([
                ("children", .int(s.care.children)), ("contacted", .int(s.care.contacted)),
                ("coverage", .double(s.care.coverage)), ("needs_attention", .int(s.care.needsAttention)),
                ("contacts", .int(s.care.contacts)),
            ])),
            ("duty", .object([
                ("cadres", .int(s.duty.cadres)), ("shifts", .int(s.duty.shifts)), ("hours", .double(s.duty.hours)),
                ("posts_covered", .int(s.duty.postsCovered)), ("posts_required", .int(s.duty.postsRequired)),
                ("temperature_checks", .int(s.duty.temperatureChecks)),
            ])),
            ("inspections", inspections(s.inspections)),
            ("anomalies", .object([
                ("total", .int(s.anomaliesTotal)),
                ("by_rule", .object(Rule.allCases.map { ($0.rawValue, .int(s.anomaliesByRule[$0] ?? 0)) })),
                ("by_severity", .object(Severity.allCases.map { ($0.rawValue, .int(s.anomaliesBySeverity[$0] ?? 0)) })),
            ])),
        ])
    }

    static func inspections(_ i: Summary.Inspections) -> JSONValue {
        func kinds(_ k: [InspectionKind?: Int]) -> JSONValue {
            .object(InspectionKind.allCases.map { ($0.code, .int(k[$0] ?? 0)) } + [("unstated", .int(k[InspectionKind?.none] ?? 0))])
        }
        func groups(_ g: [ReportGroup: Int]) -> JSONValue { .object(ReportGroup.allCases.map { ($0.rawValue, .int(g[$0] ?? 0)) }) }
        return .object([
            ("on_day", .object([("total", .int(i.onDay)), ("by_kind", kinds(i.onDayByKind)), ("by_group", groups(i.onDayByGroup))])),
            ("cumulative", .object([("total", .int(i.cumulative)), ("by_kind", kinds(i.cumulativeByKind)),
                                    ("by_group", groups(i.cumulativeByGroup))])),
            ("never_inspected", .int(i.neverInspected)), ("training_operating", .int(i.trainingOperating)),
            ("open_findings", .int(i.openFindings)), ("overdue_findings", .int(i.overdueFindings)),
            ("notices_cumulative", .int(i.noticesCumulative)),
        ])
    }

    static func figures(_ f: [Int]) -> JSONValue {
        .object(Figure.allCases.map { ($0.key, .int(f[$0.rawValue])) })
    }
}
