import BulletinAggregate
import BulletinCore
@_spi(Testing) import BulletinValidate

public let day = LocalDate(year: 2020, month: 2, day: 8)!

public func institution(_ code: String, category: InstitutionCategory = .primary, enrolled: Int = 100, active: Bool = true) -> Institution {
    Institution(code: code, name: "机构\(code)", category: category, street: "匡山街道", enrolledStudents: enrolled,
                staffCount: 10, active: active, position: Position(source: "registry/2020-01-01.csv", row: 2))
}

/// A consistent report: 100 students (90 in city, 10 away), 10 staff, submitted at 09:00 on `date`.
public func report(_ code: String, date: LocalDate = day, at hour: Int = 9, students: [Int]? = nil, staff: [Int]? = nil,
            zero: Bool? = nil, name: String = "", learners: Int? = nil, row: Int = 2) -> DailyReport {
    let s = students ?? [100, 90, 10, 0, 0, 0, 0, 0, 0]
    let t = staff ?? [10, 10, 0, 0, 0, 0, 0, 0, 0]
    let hasCases = s[6...].contains { $0 > 0 } || t[6...].contains { $0 > 0 }
    var counts = DailyCounts()
    for f in Figure.allCases {
        counts[DailyColumn.figure(f, of: .students)] = s[f.rawValue]
        counts[DailyColumn.figure(f, of: .staff)] = t[f.rawValue]
    }
    counts[.onlineLearners] = learners
    return DailyReport(date: date, code: code, name: name, submittedAt: LocalDateTime(date: date, secondOfDay: hour * 3600),
                       counts: counts, zeroReport: zero ?? !hasCases,
                       position: Position(source: "\(date)/daily.csv", row: row))
}

/// A roster row of a student (unless `type` says otherwise) with a valid ID.
public func person(_ code: String, id: String = "11010519491231002X", type: PersonType = .student, gender: Gender? = .female,
            asOf: LocalDate = day, location: Whereabouts = .inCity, returnDate: LocalDate? = nil, hubei: Bool? = false,
            health: HealthStatus? = .healthy, observation: ObservationKind? = ObservationKind.none, start: LocalDate? = nil, end: LocalDate? = nil, onDuty: Bool? = nil) -> RosterEntry {
    RosterEntry(asOf: asOf, code: code, personType: type, gender: gender, person: Pseudonymizer.testing.person(id, asOf: asOf), location: location,
                returnDate: returnDate, hubeiHistory: hubei, health: health, observation: observation,
                observationStart: start, observationEnd: end, onDuty: onDuty, frontlineFamily: false,
                position: Position(source: "\(asOf)/roster.csv", row: 2))
}

/// Aggregates `date` over the given registry, reports and roster rows.
public func aggregate(_ institutions: [Institution], _ reports: [DailyReport], roster: [RosterEntry] = [],
               dailyRejects: [Reject] = [], totals: [TotalRow] = [], date: LocalDate = day,
               parameters: PipelineParameters = PipelineParameters()) -> DayResult {
    let registry = Dictionary(uniqueKeysWithValues: institutions.map { ($0.code, $0) })
    let inputs = DayInputs(date: date, registry: registry, dailyReports: reports, rejects: dailyRejects,
                           dailyRejects: dailyRejects, totalRows: totals,
                           rosters: RosterInForce(entries: roster, registry: registry, on: date))
    return DayAggregator.aggregate(inputs, parameters: parameters)
}

extension DayResult {
    /// Codes (or masked persons) for which `rule` fired.
    public func fired(_ rule: Rule) -> [String] {
        anomalies.filter { $0.rule == rule }.map { $0.person.isEmpty ? $0.institutionCode : $0.person }.sorted()
    }
}
