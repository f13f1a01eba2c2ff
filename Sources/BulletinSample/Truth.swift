import BulletinCore

/// What the generator planted and what a correct pipeline must therefore publish, per date
/// (the as-of view: a date sees the landing days up to it). Written as `truth.json`.
public struct Truth: Sendable, Codable, Equatable {
    /// What one day's outputs must say: the figures, the anomaly rows and the rejects the generator planted.
    public struct Day: Sendable, Codable, Equatable {
        public var expected = 0, received = 0, valid = 0, onTime = 0, zeroReports = 0
        public var students: [Int] = Array(repeating: 0, count: 9)
        public var staff: [Int] = Array(repeating: 0, count: 9)
        public var onlineLearners = 0
        public var rosterPersons = 0
        public var rosterHome = 0
        public var rosterReturned14d = 0
        public var careChildren = 0, careContacted = 0
        public var dutyPostsCovered = 0
        /// 下沉干部 on the day: distinct cadres, shifts and hours on duty (1 decimal).
        public var dutyCadres = 0, dutyShifts = 0
        public var dutyHours = 0.0
        public var inspectionsOnDay = 0, inspectionsCumulative = 0
        /// By 所属街道: reporting of the expected institutions and the figures of their valid reports.
        public var streets: [String: Street] = [:]
        /// "rule|institution_code|masked person" for every anomaly expected on the day.
        public var anomalies: [String] = []
        /// "source|row|reason" for every reject expected on the day.
        public var rejects: [String] = []
    }

    /// One street's day.
    public struct Street: Sendable, Codable, Equatable {
        public var expected = 0, valid = 0, onTime = 0, missing = 0
        public var students: [Int] = Array(repeating: 0, count: 9)
        public var staff: [Int] = Array(repeating: 0, count: 9)
    }

    /// By date (`YYYY-MM-DD`).
    public var days: [String: Day] = [:]
    /// The last landing day, the one `make run` publishes.
    public var lastDay: String = ""

    public init() {}
}
