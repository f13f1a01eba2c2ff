import BulletinCore

/// An institution of the registry (机构名录).
public struct Institution: Sendable, Equatable {
    public var code: String
    public var name: String
    public var category: InstitutionCategory
    public var street: String
    public var enrolledStudents: Int
    public var staffCount: Int
    public var active: Bool
    public var position: Position

    public init(code: String, name: String, category: InstitutionCategory, street: String, enrolledStudents: Int, staffCount: Int,
                active: Bool, position: Position) {
        self.code = code
        self.name = name
        self.category = category
        self.street = street
        self.enrolledStudents = enrolledStudents
        self.staffCount = staffCount
        self.active = active
        self.position = position
    }

    public var group: ReportGroup { ReportGroup(category) }
}

/// A usable daily-report row (疫情防控日报).
public struct DailyReport: Sendable, Equatable {
    public var date: LocalDate
    public var code: String
    /// 机构名称 as typed, trimmed; empty when blank.
    public var name: String
    public var submittedAt: LocalDateTime
    /// The figures and the other counts, by column.
    public var counts: DailyCounts
    public var zeroReport: Bool
    public var position: Position

    /// A record made by hand (tests, benchmarks); the night makes them from rows.
    @_spi(Testing) public init(date: LocalDate, code: String, name: String, submittedAt: LocalDateTime, counts: DailyCounts, zeroReport: Bool, position: Position) {
        self.date = date
        self.code = code
        self.name = name
        self.submittedAt = submittedAt
        self.counts = counts
        self.zeroReport = zeroReport
        self.position = position
    }

    /// Whether any fever, suspected or confirmed case is reported.
    public var hasCases: Bool {
        Figure.cases.contains { counts.figure($0, of: .students) > 0 || counts.figure($0, of: .staff) > 0 }
    }
}

/// The counts of a daily report, one per count column of the form (`DailyColumn.countColumns`), by
/// column: a count column added to the form is read, kept and stored with no other change.
public struct DailyCounts: Sendable, Equatable {
    /// By position in `DailyColumn.countColumns`; -1 for blank (a count is never negative).
    public private(set) var stored: [Int]

    /// Every count blank.
    public init() { stored = Array(repeating: -1, count: DailyColumn.countColumns.count) }

    /// Counts as `stored` holds them; nil when there are not as many as the form has count columns,
    /// or one is below -1.
    public init?(stored: [Int]) {
        guard stored.count == DailyColumn.countColumns.count, stored.allSatisfy({ $0 >= -1 }) else { return nil }
        self.stored = stored
    }

    /// The count the report gives in `column`; nil when blank or not a count column.
    public subscript(column: DailyColumn) -> Int? {
        get {
            guard let i = DailyColumn.countPosition[column.rawValue], stored[i] >= 0 else { return nil }
            return stored[i]
        }
        set {
            guard let i = DailyColumn.countPosition[column.rawValue] else { preconditionFailure("\(column) is not a count") }
            stored[i] = newValue ?? -1
        }
    }

    /// `figure` of `population` (figures are required, so blank only in hand-made records: 0). Inlinable:
    /// the rules read it of every report of a date's history (called across the module, each read was a
    /// call and a retain and release of `stored`: half of the spike rule's instructions).
    @inlinable
    public func figure(_ figure: Figure, of population: Population) -> Int {
        max(0, stored[DailyColumn.figurePositions[population.rawValue &* Figure.count &+ figure.rawValue]])
    }
}

/// A usable person-roster row (人员摸排花名册).
public struct RosterEntry: Sendable, Equatable {
    public var asOf: LocalDate
    public var code: String
    public var personType: PersonType
    public var gender: Gender?
    /// The person, by pseudonym (the name and the number itself are not kept).
    public var person: PersonID
    public var location: Whereabouts?
    public var returnDate: LocalDate?
    public var hubeiHistory: Bool?
    public var health: HealthStatus?
    public var observation: ObservationKind?
    public var observationStart: LocalDate?
    public var observationEnd: LocalDate?
    public var onDuty: Bool?
    public var frontlineFamily: Bool?
    public var position: Position

    /// A record made by hand (tests, benchmarks); the night makes them from rows.
    @_spi(Testing) public init(asOf: LocalDate, code: String, personType: PersonType, gender: Gender?, person: PersonID, location: Whereabouts?, returnDate: LocalDate?, hubeiHistory: Bool?, health: HealthStatus?, observation: ObservationKind?, observationStart: LocalDate?, observationEnd: LocalDate?, onDuty: Bool?, frontlineFamily: Bool?, position: Position) {
        self.asOf = asOf
        self.code = code
        self.personType = personType
        self.gender = gender
        self.person = person
        self.location = location
        self.returnDate = returnDate
        self.hubeiHistory = hubeiHistory
        self.health = health
        self.observation = observation
        self.observationStart = observationStart
        self.observationEnd = observationEnd
        self.onDuty = onDuty
        self.frontlineFamily = frontlineFamily
        self.position = position
    }
}

/// A 合计/总计/小计 row of a daily-report sheet, with the usable rows above it.
public struct TotalRow: Sendable, Equatable {
    public var position: Position
    /// The counts the total row states, by `DailyColumn.rawValue` (only non-blank readable ones).
    public var stated: [Int: Int]
    /// Sums of the usable daily rows above it, by `DailyColumn.rawValue`.
    public var summed: [Int: Int]
    /// The report dates and institution codes of those rows.
    public var dates: Set<LocalDate>
    public var codes: Set<String>

    /// A total row made by hand (tests); the night makes them from sheets.
    @_spi(Testing) public init(position: Position, stated: [Int: Int], summed: [Int: Int], dates: Set<LocalDate>, codes: Set<String>) {
        self.position = position
        self.stated = stated
        self.summed = summed
        self.dates = dates
        self.codes = codes
    }
}

/// An input row or file that could not be used.
public struct Reject: Sendable, Equatable {
    public var position: Position
    /// The value as typed, masked when it is an ID or phone number.
    public var value: String
    public var reason: RejectReason
    /// What is wrong, in Chinese.
    public var message: String
    /// The form the row belongs to, when known.
    public var form: FormKind?
    /// The row's own date, when readable (decides which day's rejects list it is on).
    public var date: LocalDate?
    /// The row's institution code, when present (a rejected daily row still counts as received).
    public var institutionCode: String?
    /// The cell at fault as Excel names it (`G7`), when one cell is.
    public var cell: String?

    public init(position: Position, value: String = "", reason: RejectReason, message: String,
                form: FormKind? = nil, date: LocalDate? = nil, institutionCode: String? = nil, cell: String? = nil) {
        self.cell = cell
        self.position = position
        self.value = value
        self.reason = reason
        self.message = message
        self.form = form
        self.date = date
        self.institutionCode = institutionCode
    }
}

/// A usable care-log row (温暖在线关爱记录): one contact with a front-line worker's child.
public struct CareContact: Sendable, Equatable {
    public var date: LocalDate
    public var code: String
    /// The child contacted, by pseudonym.
    public var student: PersonID
    public var method: ContactMethod?
    public var mood: Mood?
    public var position: Position

    /// A record made by hand (tests, benchmarks); the night makes them from rows.
    @_spi(Testing) public init(date: LocalDate, code: String, student: PersonID, method: ContactMethod?, mood: Mood?, position: Position) {
        self.date = date
        self.code = code
        self.student = student
        self.method = method
        self.mood = mood
        self.position = position
    }
}

/// A usable duty-roster row (下沉干部值班表): one cadre's shift at a post.
public struct DutyShift: Sendable, Equatable {
    public var date: LocalDate
    /// The cadre's name masked (`王*`), for the work list's messages.
    public var cadreName: String
    /// The cadre, by pseudonym.
    public var cadre: PersonID
    public var post: String
    public var start: LocalDateTime
    /// After `start`: a shift ending at or before its start time ends the next day.
    public var end: LocalDateTime
    public var checkedIn: Bool?
    public var temperatureChecks: Int?
    public var position: Position

    /// A record made by hand (tests, benchmarks); the night makes them from rows.
    @_spi(Testing) public init(date: LocalDate, cadreName: String, cadre: PersonID, post: String, start: LocalDateTime, end: LocalDateTime, checkedIn: Bool?, temperatureChecks: Int?, position: Position) {
        self.date = date
        self.cadreName = cadreName
        self.cadre = cadre
        self.post = post
        self.start = start
        self.end = end
        self.checkedIn = checkedIn
        self.temperatureChecks = temperatureChecks
        self.position = position
    }
}

/// A usable inspection-log row (督导检查记录).
public struct Inspection: Sendable, Equatable {
    public var date: LocalDate
    public var code: String
    public var kind: InspectionKind?
    public var suspended: Bool?
    public var issuesFound: Int?
    public var findings: String?
    public var fixDeadline: LocalDate?
    public var fixedDate: LocalDate?
    public var notices: Int?
    public var position: Position

    /// A record made by hand (tests, benchmarks); the night makes them from rows.
    @_spi(Testing) public init(date: LocalDate, code: String, kind: InspectionKind?, suspended: Bool?, issuesFound: Int?, findings: String?, fixDeadline: LocalDate?, fixedDate: LocalDate?, notices: Int?, position: Position) {
        self.date = date
        self.code = code
        self.kind = kind
        self.suspended = suspended
        self.issuesFound = issuesFound
        self.findings = findings
        self.fixDeadline = fixDeadline
        self.fixedDate = fixedDate
        self.notices = notices
        self.position = position
    }
}
