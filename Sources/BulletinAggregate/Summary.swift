import BulletinCore

/// The district report of one date: the figures of summary.json (outputs.md).
public struct Summary: Sendable, Equatable {
    /// Reporting of one group or street: expected, valid, on time, zero reports, missing.
    public struct GroupReporting: Sendable, Equatable {
        public var expected = 0, valid = 0, onTime = 0, missing = 0, zeroReports = 0
        public init() {}
    }

    /// `reporting.*` of summary.json: the district's figures, by group and by street.
    public struct Reporting: Sendable, Equatable {
        public var expected = 0, received = 0, valid = 0, onTime = 0, late = 0, missing = 0, zeroReports = 0
        public var byGroup: [ReportGroup: GroupReporting] = [:]
        /// By 所属街道 of the registry in force, as typed (trimmed).
        public var byStreet: [String: GroupReporting] = [:]
        /// valid / expected, 4 decimals.
        public var completeness: Double { Summary.ratio(valid, expected) }
        /// on time / expected, 4 decimals.
        public var timeliness: Double { Summary.ratio(onTime, expected) }
    }

    /// Figures of one population, indexed by `Figure.rawValue`.
    public typealias Figures = [Int]

    /// `counts.*`: the winning reports' figures summed, by `Figure.rawValue`, for the district, each group and each street.
    public struct Counts: Sendable, Equatable {
        public var students: Figures = Summary.zeroFigures
        public var staff: Figures = Summary.zeroFigures
        public var byGroup: [ReportGroup: (students: Figures, staff: Figures)] = [:]
        /// By 所属街道, the valid reports' figures (every street of an expected institution listed).
        public var byStreet: [String: (students: Figures, staff: Figures)] = [:]

        public static func == (a: Counts, b: Counts) -> Bool {
            a.students == b.students && a.staff == b.staff
                && ReportGroup.allCases.allSatisfy { a.byGroup[$0]?.students == b.byGroup[$0]?.students
                    && a.byGroup[$0]?.staff == b.byGroup[$0]?.staff }
                && Set(a.byStreet.keys) == Set(b.byStreet.keys)
                && a.byStreet.allSatisfy { b.byStreet[$0.key]?.students == $0.value.students && b.byStreet[$0.key]?.staff == $0.value.staff }
        }
    }

    /// `online.*`: 空中课堂 learners and students with difficulties, over the schools' students.
    public struct Online: Sendable, Equatable {
        public var learners = 0, difficulty = 0
        /// Σ students_total of the valid 中小学 reports.
        public var schoolStudents = 0
        public var participation: Double { Summary.ratio(learners, schoolStudents) }
    }

    /// `roster.*`: distinct people of the rosters in force, by type, observation, return and health.
    public struct Roster: Sendable, Equatable {
        public var persons = 0
        /// Distinct IDs per person type: student, staff, worker.
        public var byType = [0, 0, 0]
        public var home = 0, central = 0, returned14d = 0, hubeiHistory = 0
        public var fever = 0, suspected = 0, confirmed = 0
    }

    /// 温暖在线: front-line workers' children on the rosters in force, and the day's contacts.
    public struct Care: Sendable, Equatable {
        public var children = 0, contacted = 0, needsAttention = 0, contacts = 0
        public var coverage: Double { Summary.ratio(contacted, children) }
    }

    /// 下沉干部: the day's shifts at the posts.
    public struct Duty: Sendable, Equatable {
        public var cadres = 0, shifts = 0, temperatureChecks = 0, postsRequired = 0, postsCovered = 0
        /// Shift hours, in minutes (printed as hours with one decimal).
        public var minutes = 0
        public var hours: Double { (Double(minutes) / 6).rounded() / 10 }
    }

    /// 督导检查: inspections of the day and since the start.
    public struct Inspections: Sendable, Equatable {
        /// Counts by kind (nil: the kind was not stated) and by group.
        public var onDay = 0, cumulative = 0
        public var onDayByKind: [InspectionKind?: Int] = [:], cumulativeByKind: [InspectionKind?: Int] = [:]
        public var onDayByGroup: [ReportGroup: Int] = [:], cumulativeByGroup: [ReportGroup: Int] = [:]
        public var neverInspected = 0, trainingOperating = 0, openFindings = 0, overdueFindings = 0, noticesCumulative = 0
    }

    public var date: LocalDate
    public var care = Care()
    public var duty = Duty()
    public var inspections = Inspections()
    public var reporting = Reporting()
    public var counts = Counts()
    public var online = Online()
    public var roster = Roster()
    public var anomaliesByRule: [Rule: Int] = [:]
    public var anomaliesBySeverity: [Severity: Int] = [:]
    public var anomaliesTotal = 0

    /// An empty summary of `date`.
    public init(date: LocalDate) { self.date = date }

    public static let zeroFigures = [Int](repeating: 0, count: Figure.allCases.count)

    /// A share rounded to 4 decimals; 0 when the denominator is 0.
    public static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        guard denominator > 0 else { return 0 }
        return (Double(numerator) / Double(denominator) * 10_000).rounded() / 10_000
    }
}
