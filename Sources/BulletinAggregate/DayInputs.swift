import BulletinCore
import BulletinValidate

/// What a run for one date works from: the registry in force and every usable row
/// and reject that the landing days up to that date hold.
public struct DayInputs: Sendable {
    public var date: LocalDate
    /// Institutions of the registry in force on `date`, by code.
    public let registry: [String: Institution]
    /// Its active institutions in code order, with their streets: what reporting is tallied over.
    public let expectedInstitutions: ExpectedInstitutions
    /// Usable daily reports dated `date` and the days before it the rules read (`RuleCatalog.reportHistoryDays`).
    public var dailyReports: [DailyReport]
    /// Rejected rows and files that belong to `date`.
    public var rejects: [Reject]
    /// Rejected daily rows whose 报告日期 reads as `date` (they count as received).
    public var dailyRejects: [Reject]
    /// 合计 rows of daily-report sheets whose rows are dated `date`.
    public var totalRows: [TotalRow]
    /// The rosters in force on `date` (each active institution's newest snapshot on or before it).
    public var rosters: RosterInForce
    /// Care contacts dated `date`.
    public var careContacts: [CareContact]
    /// Duty shifts dated `date` and the day before (a night shift may run into `date`).
    public var dutyShifts: [DutyShift]
    /// Inspections dated on or before `date`.
    public var inspections: [Inspection]
    /// Anomalies found while assembling the day (a registry revision that cannot be used).
    public var assemblyAnomalies: [Anomaly] = []

    /// `expected`, when given, is `ExpectedInstitutions(registry:)` made once for many dates of one registry.
    public init(date: LocalDate, registry: [String: Institution], expected: ExpectedInstitutions? = nil, dailyReports: [DailyReport],
                rejects: [Reject], dailyRejects: [Reject], totalRows: [TotalRow], rosters: RosterInForce,
                careContacts: [CareContact] = [], dutyShifts: [DutyShift] = [], inspections: [Inspection] = []) {
        self.date = date
        self.registry = registry
        expectedInstitutions = expected ?? ExpectedInstitutions(registry: registry)
        self.dailyReports = dailyReports
        self.rejects = rejects
        self.dailyRejects = dailyRejects
        self.totalRows = totalRows
        self.rosters = rosters
        self.careContacts = careContacts
        self.dutyShifts = dutyShifts
        self.inspections = inspections
    }

    /// Active institutions, in code order.
    public var expected: [Institution] { expectedInstitutions.institutions }
}

/// The active institutions of a registry in code order, each with its street's place among the
/// registry's streets: made once per registry revision, so that the period charts tally every date
/// without filtering, sorting or hashing street names again.
public struct ExpectedInstitutions: Sendable {
    public let institutions: [Institution]
    /// For each institution, the index of its street in `streets`.
    let streetSlots: [Int]
    /// The streets, in the order of their first institution.
    let streets: [String]

    public init(registry: [String: Institution]) {
        institutions = registry.values.filter(\.active).sorted { $0.code < $1.code }
        var slots: [Int] = [], streets: [String] = [], index: [String: Int] = [:]
        slots.reserveCapacity(institutions.count)
        for institution in institutions {
            if let known = index[institution.street] { slots.append(known); continue }
            index[institution.street] = streets.count
            slots.append(streets.count)
            streets.append(institution.street)
        }
        streetSlots = slots
        self.streets = streets
    }
}
