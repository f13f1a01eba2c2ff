import BulletinCore
import BulletinValidate

/// The rosters in force on a date: per active institution, the usable rows of its
/// newest 摸排日期 on or before the date, from all files (a snapshot replaces the previous one whole).
public struct RosterInForce: Sendable {
    /// Rows in force, by institution code.
    public let byCode: [String: [RosterEntry]]
    /// The 摸排日期 of each institution's roster in force.
    public let asOf: [String: LocalDate]

    /// Each active institution's newest roster snapshot dated on or before `date`, from `entries`.
    public init(entries: [RosterEntry], registry: [String: Institution], on date: LocalDate) {
        var newest: [String: LocalDate] = [:]
        for e in entries where e.asOf <= date && registry[e.code]?.active == true {
            if newest[e.code].map({ e.asOf > $0 }) ?? true { newest[e.code] = e.asOf }
        }
        var byCode: [String: [RosterEntry]] = [:]
        for e in entries where newest[e.code] == e.asOf { byCode[e.code, default: []].append(e) }
        self.init(byCode: byCode, asOf: newest)
    }

    /// Rows already chosen as in force: `byCode[code]` are the rows of snapshot `asOf[code]`, in file
    /// order (the night passes whole files' row arrays, which are shared, not copied).
    public init(byCode: [String: [RosterEntry]], asOf: [String: LocalDate]) {
        self.byCode = byCode
        self.asOf = asOf
    }

    /// Under observation on `date`: home or central, started on or before it, ending blank or on or after it.
    public static func underObservation(_ e: UnsafePointer<RosterEntry>, on date: LocalDate) -> Bool {
        guard let kind = e.pointee.observation, kind != .none, let start = e.pointee.observationStart, start <= date else {
            return false
        }
        return e.pointee.observationEnd.map { $0 >= date } ?? true
    }

    /// Returned to the city within the observation window ending on `date` (D−13 … D by default).
    public static func returnedRecently(_ e: UnsafePointer<RosterEntry>, on date: LocalDate, days: Int) -> Bool {
        guard let r = e.pointee.returnDate else { return false }
        return r <= date && r >= date.adding(days: -(days - 1))
    }

    /// Lends `body` every row in force: institutions in code order, rows in file order. Lent by pointer,
    /// read field by field: a row passed by value was copied out (a retain and release of its strings
    /// per row per rule: a tenth of a warm night).
    public func forEachEntry(_ body: (UnsafePointer<RosterEntry>) -> Void) {
        for code in byCode.keys.sorted() {
            byCode[code]?.withUnsafeBufferPointer { rows in
                for i in rows.indices { body(rows.baseAddress! + i) }
            }
        }
    }

    /// What counts toward `roster.*` about one person, as bits (a person may appear in several rows).
    private struct Marks: OptionSet {
        let rawValue: UInt16
        static let student = Marks(rawValue: 1), staff = Marks(rawValue: 2), worker = Marks(rawValue: 4)
        static let home = Marks(rawValue: 8), central = Marks(rawValue: 16), returned = Marks(rawValue: 32)
        static let hubei = Marks(rawValue: 64), fever = Marks(rawValue: 128), suspected = Marks(rawValue: 256)
        static let confirmed = Marks(rawValue: 512)

        init(rawValue: UInt16) { self.rawValue = rawValue }

        init(_ type: PersonType) {
            switch type {
            case .student: self = .student
            case .staff: self = .staff
            case .worker: self = .worker
            }
        }

        init(_ figure: Figure) {
            switch figure {
            case .fever: self = .fever
            case .suspected: self = .suspected
            case .confirmed: self = .confirmed
            case .total, .inCity, .away, .returned, .hubei, .observation: self = []
            }
        }
    }

    /// The `roster.*` figures: distinct ID numbers as typed among the rows in force
    /// (one dictionary of marks, so each ID is hashed once per row).
    func summary(on date: LocalDate, parameters: PipelineParameters) -> Summary.Roster {
        var marks: [Pseudonym: Marks] = [:]   // people are the same person by pseudonym (PersonID's equality)
        marks.reserveCapacity(byCode.values.reduce(0) { $0 + $1.count })
        forEachEntry { e in
            var m = Marks(e.pointee.personType)
            if RosterInForce.underObservation(e, on: date) { m.insert(e.pointee.observation == .home ? .home : .central) }
            if RosterInForce.returnedRecently(e, on: date, days: parameters.observationDays) { m.insert(.returned) }
            if e.pointee.hubeiHistory == true { m.insert(.hubei) }
            if let figure = e.pointee.health?.caseFigure { m.insert(Marks(figure)) }
            marks[e.pointee.person.pseudonym, default: []].formUnion(m)
        }
        func count(_ m: Marks) -> Int { marks.values.reduce(0) { $0 + ($1.contains(m) ? 1 : 0) } }
        var s = Summary.Roster()
        s.persons = marks.count
        s.byType = PersonType.allCases.map { count(Marks($0)) }
        s.home = count(.home)
        s.central = count(.central)
        s.returned14d = count(.returned)
        s.hubeiHistory = count(.hubei)
        s.fever = count(.fever)
        s.suspected = count(.suspected)
        s.confirmed = count(.confirmed)
        return s
    }
}
