import BulletinCore
import BulletinValidate

/// The outcome of aggregating one date: its summary, its anomalies (sorted) and its rejects.
public struct DayResult: Sendable {
    public var summary: Summary
    public var anomalies: [Anomaly]
    public var rejects: [Reject]
    /// Each expected institution's winning report, by code (for the bulletin).
    public var winners: [String: DailyReport]
    /// Institutions expected on the date, in code order.
    public var expected: [Institution]
}

extension DayResult {
    /// A date with no institution expected, no file and no anomaly.
    public init(empty date: LocalDate) {
        self.init(summary: Summary(date: date), anomalies: [], rejects: [], winners: [:], expected: [])
    }
}

/// Aggregates one date: reporting, counts, online learning, rosters and every anomaly rule.
public enum DayAggregator {
    /// Aggregates the date of `inputs`: reporting and counts, rosters in force, and every rule family of the catalog.
    public static func aggregate(_ inputs: DayInputs, parameters: PipelineParameters) -> DayResult {
        let date = inputs.date
        let expected = inputs.expected
        let byCode = Winners.reportsByCode(inputs.dailyReports, on: date)
        var kept: [String: DailyReport]? = [:]
        var summary = reportingAndCounts(inputs, latest: { byCode[$0]?.last }, parameters: parameters, winners: &kept)
        let winners = kept ?? [:]
        let deadline = LocalDateTime(date: date, secondOfDay: parameters.reportDeadline.seconds)

        // Anomalies: every family of the catalog (the roster family works out the rosters' people).
        let context = RuleContext(date: date, registry: inputs.registry, parameters: parameters, deadline: deadline)
        let day = RuleDay(inputs: inputs, expected: expected, byCode: byCode, winners: winners, rosters: inputs.rosters,
                          context: context)
        var anomalies = RuleCatalog.check(day, summary: &summary)
        anomalies.removeAll { parameters.disabledRules.contains($0.rule) }
        anomalies.sort(by: Anomaly.precedes)

        summary.anomaliesTotal = anomalies.count
        for rule in Rule.allCases { summary.anomaliesByRule[rule] = 0 }
        for severity in Severity.allCases { summary.anomaliesBySeverity[severity] = 0 }
        for a in anomalies {
            summary.anomaliesByRule[a.rule, default: 0] += 1
            summary.anomaliesBySeverity[a.severity, default: 0] += 1
        }
        return DayResult(summary: summary, anomalies: anomalies, rejects: inputs.rejects,
                         winners: winners, expected: expected)
    }

    /// Reporting, counts and online figures only: what the bulletin's day-on-day and 14-day views need.
    /// (Every date of a period is tallied: each institution's latest report alone is kept, and the
    /// winners are not gathered, where grouping every report by code and keeping the winners made and
    /// freed two dictionaries and an array per institution for each date.)
    public static func reportingAndCounts(_ inputs: DayInputs, parameters: PipelineParameters) -> Summary {
        let latest = Winners.latestByCode(inputs.dailyReports, on: inputs.date)
        var none: [String: DailyReport]?
        return reportingAndCounts(inputs, latest: { latest[$0] }, parameters: parameters, winners: &none)
    }

    /// Reporting and counts of the date of `inputs` from each institution's winning report (`latest`),
    /// the winners of the expected institutions added to `winners` when it is not nil.
    private static func reportingAndCounts(_ inputs: DayInputs, latest: (String) -> DailyReport?, parameters: PipelineParameters,
                                           winners: inout [String: DailyReport]?) -> Summary {
        let date = inputs.date
        let expected = inputs.expectedInstitutions
        var summary = Summary(date: date)
        let deadline = LocalDateTime(date: date, secondOfDay: parameters.reportDeadline.seconds)
        let rejectedCodes = Set(inputs.dailyRejects.compactMap(\.institutionCode))
        // Tallied per group and per street in arrays (streets by the slots made once per registry), and
        // written into the summary's dictionaries once: a dictionary write per institution hashed its
        // street's Chinese name and copied its figures.
        let groups = ReportGroup.allCases
        var byGroup = [Tally](repeating: Tally(), count: groups.count)
        var byStreet = [Tally](repeating: Tally(), count: expected.streets.count)
        for (institution, st) in zip(expected.institutions, expected.streetSlots) {
            let g = groups.firstIndex(of: institution.group)!
            byGroup[g].reporting.expected += 1
            byStreet[st].reporting.expected += 1
            summary.reporting.expected += 1
            let winner = latest(institution.code)
            if winner != nil || rejectedCodes.contains(institution.code) { summary.reporting.received += 1 }
            if let w = winner {
                winners?[institution.code] = w
                byGroup[g].reporting.valid += 1
                byStreet[st].reporting.valid += 1
                summary.reporting.valid += 1
                if w.submittedAt <= deadline {
                    byGroup[g].reporting.onTime += 1
                    byStreet[st].reporting.onTime += 1
                    summary.reporting.onTime += 1
                }
                if !w.hasCases {
                    byGroup[g].reporting.zeroReports += 1
                    byStreet[st].reporting.zeroReports += 1
                    summary.reporting.zeroReports += 1
                }
                accumulate(w, group: &byGroup[g], street: &byStreet[st], into: &summary)
                if institution.group == .school { summary.online.schoolStudents += w.counts.figure(.total, of: .students) }
            } else {
                byGroup[g].reporting.missing += 1
                byStreet[st].reporting.missing += 1
            }
        }
        for (g, group) in groups.enumerated() {
            summary.reporting.byGroup[group] = byGroup[g].reporting
            // Counts by group list the groups with at least one valid report.
            if byGroup[g].counted { summary.counts.byGroup[group] = (byGroup[g].students, byGroup[g].staff) }
        }
        for (st, street) in expected.streets.enumerated() {
            summary.reporting.byStreet[street] = byStreet[st].reporting
            summary.counts.byStreet[street] = (byStreet[st].students, byStreet[st].staff)
        }
        summary.reporting.missing = summary.reporting.expected - summary.reporting.valid
        summary.reporting.late = summary.reporting.valid - summary.reporting.onTime
        return summary
    }

    /// Reporting and counts of one group or street while a date is tallied.
    private struct Tally {
        var reporting = Summary.GroupReporting()
        var students = Summary.zeroFigures, staff = Summary.zeroFigures
        /// Whether a valid report was counted.
        var counted = false
    }

    private static let figures = Figure.allCases   // once: allCases builds an array

    private static func accumulate(_ w: DailyReport, group: inout Tally, street: inout Tally, into summary: inout Summary) {
        group.counted = true
        street.counted = true
        for f in figures {
            let i = f.rawValue, students = w.counts.figure(f, of: .students), staff = w.counts.figure(f, of: .staff)
            summary.counts.students[i] += students
            summary.counts.staff[i] += staff
            group.students[i] += students
            group.staff[i] += staff
            street.students[i] += students
            street.staff[i] += staff
        }
        summary.online.learners += w.counts[.onlineLearners] ?? 0
        summary.online.difficulty += w.counts[.onlineDifficulty] ?? 0
    }
}

/// What every rule needs to know about the run.
struct RuleContext {
    let date: LocalDate
    let registry: [String: Institution]
    let parameters: PipelineParameters
    let deadline: LocalDateTime

    /// An anomaly about an institution of the registry (or an unknown code).
    func anomaly(_ rule: Rule, code: String, person: String = "", position: Position? = nil,
                 _ message: String) -> Anomaly {
        let institution = registry[code]
        return Anomaly(date: date, rule: rule, institutionCode: code, institutionName: institution?.name ?? "",
                       group: institution?.group, person: person, source: position?.source ?? "",
                       row: position?.row, message: message)
    }
}
