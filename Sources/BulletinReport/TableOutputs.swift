import BulletinCore
import BulletinAggregate
import BulletinValidate

/// anomalies.csv and rejects.csv, per the output contract.
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
}
