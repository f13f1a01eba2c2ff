import BulletinAggregate
import BulletinCore

/// series.json: the period from first_day to the date, one entry per date on which files arrived (as
/// that date's own run saw it), and the cumulative figures the bureau cites.
public enum SeriesJSON {
    /// The period's cumulative figures from its days (`days` oldest first, ending with the date).
    public struct Cumulative: Sendable {
        public var returnedStudents = 0, returnedStaff = 0, inspections = 0, notices = 0

        public init(_ days: [Summary]) {
            for d in days {
                returnedStudents += d.counts.students[Figure.returned.rawValue]
                returnedStaff += d.counts.staff[Figure.returned.rawValue]
            }
            inspections = days.last?.inspections.cumulative ?? 0
            notices = days.last?.inspections.noticesCumulative ?? 0
        }
    }

    /// Under observation, students and staff.
    public static func observed(_ s: Summary) -> Int {
        s.counts.students[Figure.observation.rawValue] + s.counts.staff[Figure.observation.rawValue]
    }

    /// Fever, suspected and confirmed, students and staff.
    public static func cases(_ s: Summary) -> Int {
        Figure.cases.reduce(0) { $0 + s.counts.students[$1.rawValue] + s.counts.staff[$1.rawValue] }
    }

    /// series.json: the period from `firstDay`, day by day, with its cumulative figures.
    public static func render(_ days: [Summary], firstDay: LocalDate) -> String {
        let c = Cumulative(days)
        return JSONValue.object([
            ("schema", .string("bulletin-series/1")),
            ("first_day", .string(firstDay.description)),
            ("date", .string(days.last.map(\.date.description) ?? "")),
            ("days", .array(days.map { d in
                .object([
                    ("date", .string(d.date.description)), ("expected", .int(d.reporting.expected)), ("valid", .int(d.reporting.valid)),
                    ("on_time", .int(d.reporting.onTime)), ("completeness", .double(d.reporting.completeness)),
                    ("timeliness", .double(d.reporting.timeliness)), ("cases", .int(cases(d))),
                    ("under_observation", .int(observed(d))),
                    ("returned", .int(d.counts.students[Figure.returned.rawValue] + d.counts.staff[Figure.returned.rawValue])),
                ])
            })),
            ("cumulative", .object([
                ("returned", .object([("students", .int(c.returnedStudents)), ("staff", .int(c.returnedStaff))])),
                ("inspections", .int(c.inspections)), ("notices", .int(c.notices)),
            ])),
        ]).rendered()
    }
}
