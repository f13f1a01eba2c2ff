import BulletinCore
import BulletinAggregate
import BulletinValidate

/// anomalies.csv and rejects.csv, per the output contract, and reports.csv.
public enum TableOutputs {
    public static let anomalyHeader = ["date", "rule", "severity", "group", "institution_code", "institution_name",
                                       "person", "source", "row", "message"]
    public static let rejectHeader = ["source", "row", "column", "value", "reason", "message"]

    /// anomalies.csv; `anomalies` must already be in contract order.
    public static func anomalies(_ anomalies: [Anomaly]) -> [UInt8] {
        var csv = CSVWriter(header: anomalyHeader)
        for a in anomalies {
            csv.append([a.date.description, a.rule.rawValue, a.severity.rawValue, a.group?.rawValue ?? "",
                        a.institutionCode, a.institutionName, a.person, a.source, a.row.map(String.init) ?? "",
                        Masking.scrub(a.message)])
        }
        return csv.bytes
    }

    /// rejects.csv, sorted by source, row and column.
    public static func rejects(_ rejects: [Reject]) -> [UInt8] {
        var csv = CSVWriter(header: rejectHeader)
        let sorted = rejects.sorted {
            ($0.position.source, $0.position.row ?? 0, $0.position.column ?? "", $0.reason.rawValue)
                < ($1.position.source, $1.position.row ?? 0, $1.position.column ?? "", $1.reason.rawValue)
        }
        for r in sorted {
            csv.append([r.position.source, r.position.row.map(String.init) ?? "", r.position.column ?? "",
                        Masking.scrub(r.value), r.reason.rawValue, Masking.scrub(r.message)])
        }
        return csv.bytes
    }

    /// reports.csv's header: the institution, its status, its winning report and every count column of the form.
    public static let reportHeader = ["date", "group", "street", "institution_code", "institution_name", "status",
                                      "submitted_at", "source", "row"]
        + DailyColumn.countColumns.map(\.spec.english) + ["zero_report"]

    /// reports.csv: one row per expected institution in code order; `status` is `on_time`, `late` or
    /// `missing`, and a missing institution's report columns are empty.
    public static func reports(_ day: DayResult, deadline: TimeOfDay) -> [UInt8] {
        var csv = CSVWriter(header: reportHeader)
        let due = LocalDateTime(date: day.summary.date, secondOfDay: deadline.seconds)
        let date = day.summary.date.description
        var row: [CSVWriter.Cell] = []
        row.reserveCapacity(reportHeader.count)
        for institution in day.expected {
            row.removeAll(keepingCapacity: true)
            row += [.text(date), .text(institution.group.rawValue), .text(institution.street), .text(institution.code),
                    .text(institution.name)]
            if let w = day.winners[institution.code] {
                row += [.text(w.submittedAt <= due ? "on_time" : "late"), .dateTime(w.submittedAt), .text(w.position.source),
                        .number(w.position.row)]
                for column in DailyColumn.countColumns { row.append(.number(w.counts[column])) }
                row.append(.text(w.zeroReport ? "是" : "否"))
            } else {
                row.append(.text("missing"))
                row += repeatElement(.number(nil), count: reportHeader.count - 6)
            }
            csv.append(cells: row)
        }
        return csv.bytes
    }
}
