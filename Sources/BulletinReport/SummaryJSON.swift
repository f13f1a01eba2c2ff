import BulletinCore
import BulletinAggregate

/// summary.json: the district report in the keys of outputs.md.
public enum SummaryJSON {
    public static func render(_ s: Summary) -> String { value(s).rendered() }

    static func value(_ s: Summary) -> JSONValue {
        let r = s.reporting
        let groups: [(String, JSONValue)] = ReportGroup.allCases.map { g in
            let x = r.byGroup[g] ?? Summary.GroupReporting()
            return (g.rawValue, .object([
                ("expected", .int(x.expected)), ("valid", .int(x.valid)), ("on_time", .int(x.onTime)),
                ("missing", .int(x.missing)), ("zero_reports", .int(x.zeroReports)),
            ]))
        }
        let countGroups: [(String, JSONValue)] = ReportGroup.allCases.map { g in
            let x = s.counts.byGroup[g] ?? (Summary.zeroFigures, Summary.zeroFigures)
            return (g.rawValue, .object([("students", figures(x.students)), ("staff", figures(x.staff))]))
        }
        return .object([
            ("date", .string(s.date.description)),
            ("reporting", .object([
                ("expected", .int(r.expected)), ("received", .int(r.received)), ("valid", .int(r.valid)),
                ("on_time", .int(r.onTime)), ("late", .int(r.late)), ("missing", .int(r.missing)),
                ("zero_reports", .int(r.zeroReports)),
                ("completeness", .double(r.completeness)), ("timeliness", .double(r.timeliness)),
                ("by_group", .object(groups)),
            ])),
            ("counts", .object([
                ("students", figures(s.counts.students)), ("staff", figures(s.counts.staff)),
                ("by_group", .object(countGroups)),
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
            ("anomalies", .object([
                ("total", .int(s.anomaliesTotal)),
                ("by_rule", .object(Rule.allCases.map { ($0.rawValue, .int(s.anomaliesByRule[$0] ?? 0)) })),
                ("by_severity", .object(Severity.allCases.map { ($0.rawValue, .int(s.anomaliesBySeverity[$0] ?? 0)) })),
            ])),
        ])
    }

    static func figures(_ f: [Int]) -> JSONValue {
        .object(Figure.allCases.map { ($0.key, .int(f[$0.rawValue])) })
    }
}
