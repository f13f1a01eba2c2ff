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
}
