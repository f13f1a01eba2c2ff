import BulletinCore

/// One row of anomalies.csv: a rule that fired for an institution or person on a date.
public struct Anomaly: Sendable, Equatable {
    public var date: LocalDate
    public var rule: Rule
    public var institutionCode: String
    public var institutionName: String
    public var group: ReportGroup?
    /// The person's ID number, masked (first 6 + `********` + last 4); empty when none.
    public var person: String
    public var source: String
    public var row: Int?
    /// What is wrong, in Chinese, with the figures involved.
    public var message: String

    public var severity: Severity { rule.severity }

    public init(date: LocalDate, rule: Rule, institutionCode: String = "", institutionName: String = "",
                group: ReportGroup? = nil, person: String = "", source: String = "", row: Int? = nil, message: String) {
        self.date = date
        self.rule = rule
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.group = group
        self.person = person
        self.source = source
        self.row = row
        self.message = message
    }

    /// The order of anomalies.csv: severity (critical first), rule, institution, person, source, row.
    public static func precedes(_ a: Anomaly, _ b: Anomaly) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if a.rule != b.rule { return a.rule.rawValue < b.rule.rawValue }
        if a.institutionCode != b.institutionCode { return a.institutionCode < b.institutionCode }
        if a.person != b.person { return a.person < b.person }
        if a.source != b.source { return a.source < b.source }
        if a.row != b.row { return (a.row ?? 0) < (b.row ?? 0) }
        return a.message < b.message
    }
}
