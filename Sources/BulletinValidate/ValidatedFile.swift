import BulletinCore
import BulletinIngest

/// One institution's roster snapshot: its code and 摸排日期.
public struct RosterSnapshot: Hashable, Sendable {
    public var code: String
    public var asOf: LocalDate

    public init(code: String, asOf: LocalDate) {
        self.code = code
        self.asOf = asOf
    }

    /// The snapshots `entries` belong to. A file's rows come in runs of one snapshot: each run is
    /// hashed once, not each row.
    static func all(in entries: [RosterEntry]) -> Set<RosterSnapshot> {
        var found: Set<RosterSnapshot> = []
        var last: RosterSnapshot?
        for e in entries where last?.asOf != e.asOf || last?.code != e.code {
            let snapshot = RosterSnapshot(code: e.code, asOf: e.asOf)
            found.insert(snapshot)
            last = snapshot
        }
        return found
    }
}

/// Everything one input file gave: typed records, rejects, total rows and its row accounting.
public struct ValidatedFile: Sendable {
    /// Row accounting for one sheet: read = accepted + rejected + skipped.
    public struct SheetAccount: Sendable, Equatable {
        public var sheet: String?
        public var form: FormKind?
        public var rowsRead = 0
        public var accepted = 0
        public var rejected = 0
        public var skipped = 0
        /// Why rows were skipped or the sheet was passed over (title, header, blank, total, no header).
        public var note: String?
    }

    /// The file relative to the landing folder.
    public var source: String
    public var institutions: [Institution] = []
    public var dailyReports: [DailyReport] = []
    public var rosterEntries: [RosterEntry] = [] {
        didSet { rosterSnapshots = RosterSnapshot.all(in: rosterEntries) }
    }
    /// The (institution, 摸排日期) snapshots the file's roster rows belong to, so a run can skip files out of force.
    public internal(set) var rosterSnapshots: Set<RosterSnapshot> = []
    public var careContacts: [CareContact] = []
    public var dutyShifts: [DutyShift] = []
    public var inspections: [Inspection] = []
    public var totalRows: [TotalRow] = []
    /// Rejected rows, and the file itself when it could not be used.
    public var rejects: [Reject] = []
    /// The problems of rejected rows after each row's first (which is in `rejects`): `check` shows
    /// every problem of a row; the night rejects the row once, naming its first bad column.
    public var furtherProblems: [Reject] = []
    public var sheets: [SheetAccount] = []
    /// Warnings for the manifest (unknown columns, skipped sheets).
    public var warnings: [String] = []
    /// Whether the file as a whole was rejected.
    public var fileRejected = false
    /// Set when the file's roster rows were counted but not typed (`FileValidator`'s `supersededBy`):
    /// the snapshots they name. Such a file has no records and no rejects.
    public internal(set) var untypedRosterKeys: Set<RosterSnapshot>?

    /// Nothing read yet from the file at `source`.
    public init(source: String) { self.source = source }

    /// The forms found in the file.
    public var forms: [FormKind] { sheets.forms }
}

extension [ValidatedFile.SheetAccount] {
    /// The forms the sheets hold, each once, in order of their codes.
    public var forms: [FormKind] {
        // Files hold a sheet or two: a look along a short array, not a Set per file of a manifest.
        var forms: [FormKind] = []
        for form in lazy.compactMap(\.form) where !forms.contains(form) { forms.append(form) }
        return forms.sorted { $0.rawValue < $1.rawValue }
    }
}
