import BulletinCore

/// An institution of the registry (机构名录).
public struct Institution: Sendable, Equatable {
    public var code: String
    public var name: String
    /// Index into `ChoiceSet.category`.
    public var category: Int
    public var street: String
    public var enrolledStudents: Int
    public var staffCount: Int
    public var active: Bool
    public var position: Position

    public init(code: String, name: String, category: Int, street: String, enrolledStudents: Int, staffCount: Int,
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

    public var group: ReportGroup { ReportGroup(categoryIndex: category) }
}

/// A usable daily-report row (疫情防控日报).
public struct DailyReport: Sendable, Equatable {
    public var date: LocalDate
    public var code: String
    /// 机构名称 as typed, trimmed; empty when blank.
    public var name: String
    public var submittedAt: LocalDateTime
    /// Student figures, indexed by `Figure.rawValue`.
    public var students: [Int]
    /// Staff (and training-institution worker) figures, indexed by `Figure.rawValue`.
    public var staff: [Int]
    public var onlineLearners: Int?
    public var onlineDifficulty: Int?
    public var zeroReport: Bool
    public var position: Position

    public func figures(_ population: Population) -> [Int] { population == .students ? students : staff }

    /// The value the report gives in a count column (blank online figures as 0); nil for columns that
    /// are not counts. Exhaustive: a new column of the form does not compile until it is placed here.
    public func count(_ column: DailyColumn) -> Int? {
        switch column {
        case .onlineLearners: return onlineLearners ?? 0
        case .onlineDifficulty: return onlineDifficulty ?? 0
        case .reportDate, .code, .name, .reporter, .reporterPhone, .submittedAt, .zeroReport, .remarks: return nil
        case .students0, .students1, .students2, .students3, .students4, .students5, .students6, .students7, .students8,
             .staff0, .staff1, .staff2, .staff3, .staff4, .staff5, .staff6, .staff7, .staff8:
            let (population, figure) = column.populationFigure!
            return figures(population)[figure.rawValue]
        }
    }

    /// Whether any fever, suspected or confirmed case is reported.
    public var hasCases: Bool {
        Figure.cases.contains { students[$0.rawValue] > 0 || staff[$0.rawValue] > 0 }
    }
}

/// A usable person-roster row (人员摸排花名册).
public struct RosterEntry: Sendable, Equatable {
    public var asOf: LocalDate
    public var code: String
    /// Index into `ChoiceSet.personType`: 0 student, 1 staff, 2 worker.
    public var personType: Int
    /// Index into `ChoiceSet.gender`, when given.
    public var gender: Int?
    /// The person, by pseudonym (the name and the number itself are not kept).
    public var person: PersonID
    /// Index into `ChoiceSet.location`: 0 in city, 1 away.
    public var location: Int?
    public var returnDate: LocalDate?
    public var hubeiHistory: Bool?
    /// Index into `ChoiceSet.health`.
    public var health: Int?
    /// Index into `ChoiceSet.observation`: 0 none, 1 home, 2 central.
    public var observation: Int?
    public var observationStart: LocalDate?
    public var observationEnd: LocalDate?
    public var onDuty: Bool?
    public var frontlineFamily: Bool?
    public var position: Position
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
    /// Index into `ChoiceSet.contactMethod`, when given.
    public var method: Int?
    /// Index into `ChoiceSet.mood`: 2 needs attention.
    public var mood: Int?
    public var position: Position
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
}

/// A usable inspection-log row (督导检查记录).
public struct Inspection: Sendable, Equatable {
    public var date: LocalDate
    public var code: String
    /// Index into `ChoiceSet.inspectionKind`, when given.
    public var kind: Int?
    public var suspended: Bool?
    public var issuesFound: Int?
    public var findings: String?
    public var fixDeadline: LocalDate?
    public var fixedDate: LocalDate?
    public var notices: Int?
    public var position: Position
}
