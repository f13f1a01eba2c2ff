import BulletinCore

/// An institution of the sample district, as the generator knows it (the truth, not what is typed).
struct SampleInstitution {
    var code: String
    var name: String
    var category: InstitutionCategory
    var street: String
    /// 在册学生数 in the registry (planted enrollment deviations differ from the roster).
    var enrolled: Int
    var staffCount: Int
    var group: ReportGroup { ReportGroup(category) }
}

/// A person on an institution's roster, with the timeline the generator decided.
struct SamplePerson {
    var code: String
    /// 0 student, 1 staff, 2 worker.
    var type: Int
    var name: String
    /// 0 男, 1 女.
    var gender: Int
    var idNumber: String
    var phone: String
    var street: String
    /// Day index of the return to the city (negative: before the first day); nil when never away.
    var returnDay: Int?
    /// Away for the whole period.
    var staysAway = false
    var awayTo = ""
    var hubei = false
    /// Index into `HealthStatus.allCases` (the generator models the forms as people type them: by position).
    var health = 0
    var frontline = false

    // Planted person problems (the rule they should fire).
    var typedGender: Int?
    var typedID: String?
    var observationOverride: (kind: Int, start: Int?, end: Int?)?
    var onDutyOverride: Bool?
}

/// One row of a roster snapshot as the generator will type it.
struct RosterRow {
    var person: SamplePerson
    var asOfDay: Int
    var location: Int
    var returnDay: Int?
    var observation: Int
    var observationStart: Int?
    var observationEnd: Int?
    var onDuty: Bool?

    var id: String { person.typedID ?? person.idNumber }

    /// Under observation on day `d` by outputs.md's definition.
    func underObservation(on d: Int) -> Bool {
        guard observation == 1 || observation == 2, let s = observationStart, s <= d else { return false }
        return observationEnd.map { $0 >= d } ?? true
    }

    /// The row as of snapshot day `s`.
    init(_ p: SamplePerson, asOf s: Int) {
        person = p
        asOfDay = s
        let returned = p.returnDay.map { $0 <= s } ?? false
        let away = p.staysAway || (p.returnDay != nil && !returned)
        location = away ? 1 : 0
        returnDay = returned ? p.returnDay : nil
        if let o = p.observationOverride {
            observation = o.kind
            observationStart = o.start
            observationEnd = o.end
        } else if returned, let r = p.returnDay {
            observation = 1
            observationStart = r
            observationEnd = r + 13
        } else {
            observation = 0
        }
        if let duty = p.onDutyOverride {
            onDuty = duty
        } else if p.type != 0 {
            onDuty = !underObservation(on: s) && !away
        }
    }
}

/// The label of the `index`th choice of `set`, as the generator types it.
func label<C: Choosable>(_ set: C.Type, _ index: Int) -> String { C.allCases[index].label }
