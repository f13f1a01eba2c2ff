import BulletinCore
import BulletinValidate

/// A family of anomaly rules that share their inputs: the rules it raises and its check of a day.
///
/// A rule is declared in `Rule` (id, severity, title, scope: exhaustive switches, so a new case does
/// not compile until each is given) and raised by the one family that lists it; `RuleCatalog`
/// runs every family.
protocol RuleFamily {
    /// The rules this family raises.
    static var rules: [Rule] { get }
    /// The family's anomalies on the day; it also fills its own part of `summary`.
    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly]
    /// How many days before the date the family reads daily reports of (0: the date's own).
    static func reportHistoryDays(_ parameters: PipelineParameters) -> Int
}

extension RuleFamily {
    static func reportHistoryDays(_ parameters: PipelineParameters) -> Int { 0 }
}

/// What the rules see of one date: its inputs and what the day's aggregation already worked out.
struct RuleDay {
    let inputs: DayInputs
    /// Active institutions, in code order.
    let expected: [Institution]
    /// Every usable report dated the day, by institution, in submission order.
    let byCode: [String: [DailyReport]]
    /// Each expected institution's winning report.
    let winners: [String: DailyReport]
    /// The rosters in force on the day.
    let rosters: RosterInForce
    let context: RuleContext
}

/// Every rule family, in the order they run (anomalies are sorted afterwards).
public enum RuleCatalog {
    static var families: [any RuleFamily.Type] {
        [ReportRules.self, SpikeRule.self, RosterRules.self, CareRules.self, DutyRules.self, InspectionRules.self,
         AssemblyRules.self, CoverageRule.self]
    }

    /// The rules the families raise, in catalog order (each exactly once: a test holds this to `Rule.allCases`).
    public static var raised: [Rule] { families.flatMap { $0.rules } }

    /// How many days before a date the day's inputs must hold daily reports of: the most any family reads.
    public static func reportHistoryDays(_ parameters: PipelineParameters) -> Int {
        families.map { $0.reportHistoryDays(parameters) }.max() ?? 0
    }

    /// Runs every family. The roster family (the district's people: over half of a date's rule work)
    /// runs beside the others on the second core: it writes the summary's `roster` part alone, which no
    /// other family reads or writes. The anomalies are those of the families in catalog order.
    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] {
        var rosterSide = summary, othersSide = summary
        // Neither side throws.
        let byFamily = try! Concurrently.both({ RosterRules.check(day, summary: &rosterSide) }, {
            families.map { $0 == RosterRules.self ? [] : $0.check(day, summary: &othersSide) }
        })
        summary = othersSide
        summary.roster = rosterSide.roster
        return zip(families, byFamily.1).flatMap { family, anomalies in family == RosterRules.self ? byFamily.0 : anomalies }
    }
}

/// Anomalies found while the day's inputs were assembled (a registry revision that cannot be used).
enum AssemblyRules: RuleFamily {
    static let rules: [Rule] = [.registryRejected]

    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] { day.inputs.assemblyAnomalies }
}

/// A day with no institution expected or no valid report: its figures are not the district's.
enum CoverageRule: RuleFamily {
    static let rules: [Rule] = [.noValidReports]

    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] {
        let r = summary.reporting, date = day.context.date
        guard r.expected == 0 || r.valid == 0 else { return [] }
        return [Anomaly(date: date, rule: .noValidReports, message:
            "\(date.chinese)应报\(r.expected)家、有效日报\(r.valid)份：本期数据不代表全区情况，请核实名录与接收情况")]
    }
}
