import BulletinCore
import BulletinValidate

/// The rosters in force on a date: per active institution, the usable rows of its
/// newest 摸排日期 on or before the date, from all files (a snapshot replaces the previous one whole).
public struct RosterInForce: Sendable {
    /// Rows in force, by institution code.
    public let byCode: [String: [RosterEntry]]
    /// The 摸排日期 of each institution's roster in force.
    public let asOf: [String: LocalDate]

    public init(entries: [RosterEntry], registry: [String: Institution], on date: LocalDate) {
        var newest: [String: LocalDate] = [:]
        for e in entries where e.asOf <= date && registry[e.code]?.active == true {
            if newest[e.code].map({ e.asOf > $0 }) ?? true { newest[e.code] = e.asOf }
        }
        var byCode: [String: [RosterEntry]] = [:]
        for e in entries where newest[e.code] == e.asOf { byCode[e.code, default: []].append(e) }
        self.byCode = byCode
        self.asOf = newest
    }

    /// Every row in force, institutions in code order, rows in file order.
    public var allEntries: [RosterEntry] {
        byCode.keys.sorted().flatMap { byCode[$0]! }
    }

    /// Under observation on `date`: home or central, started on or before it, ending blank or on or after it.
    public static func underObservation(_ e: RosterEntry, on date: LocalDate) -> Bool {
        guard let kind = e.observation, kind == 1 || kind == 2, let start = e.observationStart, start <= date else {
            return false
        }
        return e.observationEnd.map { $0 >= date } ?? true
    }

    /// Returned to the city within the observation window ending on `date` (D−13 … D by default).
    public static func returnedRecently(_ e: RosterEntry, on date: LocalDate, days: Int) -> Bool {
        guard let r = e.returnDate else { return false }
        return r <= date && r >= date.adding(days: -(days - 1))
    }

    /// The `roster.*` figures: distinct ID numbers as typed among the rows in force.
    func summary(on date: LocalDate, parameters: PipelineParameters) -> Summary.Roster {
        var persons = Set<String>()
        var byType = [Set<String>](repeating: [], count: 3)
        var home = Set<String>(), central = Set<String>(), returned = Set<String>(), hubei = Set<String>()
        var cases = [Set<String>](repeating: [], count: 3)
        for entries in byCode.values {
            for e in entries {
                persons.insert(e.idNumber)
                byType[e.personType].insert(e.idNumber)
                if RosterInForce.underObservation(e, on: date) {
                    if e.observation == 1 { home.insert(e.idNumber) } else { central.insert(e.idNumber) }
                }
                if RosterInForce.returnedRecently(e, on: date, days: parameters.observationDays) { returned.insert(e.idNumber) }
                if e.hubeiHistory == true { hubei.insert(e.idNumber) }
                if let h = e.health, (1...3).contains(h) { cases[h - 1].insert(e.idNumber) }
            }
        }
        var s = Summary.Roster()
        s.persons = persons.count
        s.byType = byType.map(\.count)
        s.home = home.count
        s.central = central.count
        s.returned14d = returned.count
        s.hubeiHistory = hubei.count
        s.fever = cases[0].count
        s.suspected = cases[1].count
        s.confirmed = cases[2].count
        return s
    }
}
