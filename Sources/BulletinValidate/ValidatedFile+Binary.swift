import BulletinCore

/// The ingest cache's encoding of a validated file. Positions are stored relative to the
/// file, so the same bytes arriving under another name decode with that name.
extension ValidatedFile {
    /// The version of the encoding: the codec's own revision (bump it when the code below changes)
    /// mixed with a fingerprint of the forms' declarations, so a column added to a form, or a choice
    /// added to a set, makes older entries be parsed again without anyone remembering to bump.
    public static let codecVersion: Int = {
        var text = "codec 12"
        for form in FormKind.allCases {
            text += "|\(form.rawValue)"
            for c in form.columns { text += ";\(c.english),\(c.type.fingerprint),\(c.required),\(c.ignored)" }
        }
        // FNV-1a, 48 bits: stable across runs and machines (Swift's Hasher is seeded per process).
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(h & 0xFFFF_FFFF_FFFF)
    }()

    /// The first bytes of every encoding, `BLTN` and the codec version: a blob of another codec or
    /// version is refused, never misread.
    public static let header: [UInt8] = {
        var w = BinaryWriter()
        w.raw(Array("BLTN".utf8))
        w.int(codecVersion)
        return w.bytes
    }()

    private static func header(_ w: inout BinaryWriter) { w.raw(header) }

    private static func checkHeader(_ r: inout BinaryReader) throws {
        for b in header where try r.byte() != b { throw BinaryReader.Corrupt() }
    }

    /// Everything but the roster rows, which `encodedRoster()` keeps apart so that a run decodes
    /// only the snapshots it needs (the snapshot index is part of this payload). The daily reports with
    /// the total rows, and the care contacts with the duty shifts, come in sections of their own after the
    /// dates they carry, so that a run passes over those of other dates unread (`init(decoding:source:keeping:)`).
    public func encoded() -> [UInt8] {
        var w = BinaryWriter()
        ValidatedFile.header(&w)
        var positions = PositionWriter(file: source)
        func pos(_ w: inout BinaryWriter, _ p: Position) { positions.write(p, into: &w) }
        w.array(institutions) { w, i in
            w.string(i.code); w.string(i.name); w.choice(i.category); w.string(i.street)
            w.int(i.enrolledStudents); w.int(i.staffCount); w.bool(i.active); pos(&w, i.position)
        }
        w.datedSection(dailyRecordDates) { w in
            w.array(dailyReports) { w, r in
                w.date(r.date); w.string(r.code); w.string(r.name); w.int(r.submittedAt.seconds)
                w.array(r.counts.stored) { $0.int($1) }
                w.bool(r.zeroReport); pos(&w, r.position)
            }
            w.array(totalRows) { w, t in
                pos(&w, t.position)
                w.array(t.stated.sorted { $0.key < $1.key }) { $0.int($1.key); $0.int($1.value) }
                w.array(t.summed.sorted { $0.key < $1.key }) { $0.int($1.key); $0.int($1.value) }
                w.array(t.dates.sorted()) { $0.date($1) }
                w.array(t.codes.sorted()) { $0.string($1) }
            }
        }
        w.array(rosterSnapshots.sorted { ($0.code, $0.asOf) < ($1.code, $1.asOf) }) { w, snapshot in
            w.string(snapshot.code); w.date(snapshot.asOf)
        }
        w.datedSection(datedRecordDates) { w in
            w.array(careContacts) { w, c in
                w.date(c.date); w.string(c.code); ValidatedFile.write(c.student, into: &w); w.optionalChoice(c.method)
                w.optionalChoice(c.mood); pos(&w, c.position)
            }
            w.array(dutyShifts) { w, d in
                w.date(d.date); w.string(d.cadreName); ValidatedFile.write(d.cadre, into: &w); w.string(d.post); w.int(d.start.seconds)
                w.int(d.end.seconds); w.optionalBool(d.checkedIn); w.optionalInt(d.temperatureChecks); pos(&w, d.position)
            }
        }
        w.array(inspections) { w, i in
            w.date(i.date); w.string(i.code); w.optionalChoice(i.kind); w.optionalBool(i.suspended); w.optionalInt(i.issuesFound)
            w.optionalString(i.findings); w.optionalDate(i.fixDeadline); w.optionalDate(i.fixedDate)
            w.optionalInt(i.notices); pos(&w, i.position)
        }
        for list in [rejects, furtherProblems] {
            w.array(list) { w, r in
                pos(&w, r.position); w.string(r.value); w.string(r.reason.rawValue); w.string(r.message)
                w.optional(r.form) { $0.string($1.rawValue) }; w.optionalDate(r.date); w.optionalString(r.institutionCode)
                w.optionalString(r.cell)
            }
        }
        w.array(sheets) { w, s in
            w.optionalString(s.sheet); w.optional(s.form) { $0.string($1.rawValue) }
            w.int(s.rowsRead); w.int(s.accepted); w.int(s.rejected); w.int(s.skipped); w.optionalString(s.note)
        }
        w.array(warnings) { $0.string($1) }
        w.bool(fileRejected)
        w.optional(untypedRosterKeys.map { $0.sorted { ($0.code, $0.asOf) < ($1.code, $1.asOf) } }) { w, keys in
            w.array(keys) { w, key in w.string(key.code); w.date(key.asOf) }
        }
        return w.bytes
    }

    /// The roster rows alone (`RosterCodec`'s records).
    public func encodedRoster() -> [UInt8] {
        var w = BinaryWriter()
        w.reserveCapacity(64 + rosterEntries.count * (RosterCodec.recordSize + 1))   // grown once, not doubled
        ValidatedFile.header(&w)
        RosterCodec.write(rosterEntries, file: source, into: &w)
        return w.bytes
    }

    /// A person as the store keeps them: pseudonym, masked form and precomputed checks, never the number.
    private static func write(_ p: PersonID, into w: inout BinaryWriter) {
        w.fixed64(p.pseudonym.high); w.fixed64(p.pseudonym.low)
        // The masked form: 0 and its visible bytes as two integers, or 1 and its text.
        if let visible = p.maskedID.visible {
            w.int(0); w.fixed64(visible.head); w.int(Int(visible.tail))
        } else {
            w.int(1); w.string(p.masked)
        }
        w.optionalString(p.problem); w.optionalBool(p.isMale)
    }

    private static func readPerson(_ r: inout BinaryReader) throws -> PersonID {
        let pseudonym = Pseudonym(high: try r.fixed64(), low: try r.fixed64())
        let masked: MaskedID
        if try r.int(in: 0...1) == 1 {
            masked = MaskedID(text: try r.string())
        } else {
            let head = try r.fixed64()
            guard let m = MaskedID(head: head, tail: UInt32(try r.int(in: 0...Int(UInt32.max)))) else { throw BinaryReader.Corrupt() }
            masked = m
        }
        return PersonID(pseudonym: pseudonym, masked: masked, problem: try r.optionalString(), isMale: try r.optionalBool())
    }

    /// Writes positions relative to the file, so the same bytes under another name decode with that
    /// name. The rows of a sheet share one source: its relative form is worked out when the source
    /// changes, not per row (comparing and cutting it per row was a tenth of a worker's encoding).
    struct PositionWriter {
        let file: String
        private var lastSource = "", lastRelative = ""

        init(file: String) { self.file = file }

        mutating func write(_ p: Position, into w: inout BinaryWriter) {
            w.string(relative(p.source))
            w.optionalInt(p.row)
            w.optionalString(p.column)
        }

        /// `source` relative to the file: what follows the file's own name (`#sheet`, or nothing), else whole.
        mutating func relative(_ source: String) -> String {
            if source != lastSource {   // the same String storage compares at once
                lastSource = source
                let own = source.utf8.starts(with: file.utf8)
                lastRelative = own ? String(decoding: source.utf8.dropFirst(file.utf8.count), as: UTF8.self) : source
            }
            return lastRelative
        }
    }

    /// The few sources one file's positions name (the file, the file and a sheet, now and then another
    /// file), each made once: rows of a sheet share one String instead of concatenating their own.
    struct PositionSources {
        let file: String
        private var lastSuffix = "", lastSource: String
        /// The suffixes as read, so that a run of rows of one sheet makes its suffix once.
        var lastRead = RepeatedString()

        init(file: String) {
            self.file = file
            lastSource = file
        }

        mutating func source(suffix: String) -> String {
            if suffix.isEmpty { return file }
            if suffix != lastSuffix {
                lastSuffix = suffix
                lastSource = suffix.utf8.first == UInt8(ascii: "#") ? file + suffix : suffix
            }
            return lastSource
        }
    }

    private static func readPosition(_ sources: inout PositionSources, from r: inout BinaryReader) throws -> Position {
        Position(source: sources.source(suffix: try r.string(reusing: &sources.lastRead)), row: try r.optionalInt(),
                 column: try r.optionalString())
    }

    /// Fills in the roster rows from what `encodedRoster()` wrote.
    public mutating func decodeRoster(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try decodeRoster($0) }
    }

    /// Fills in the roster rows from what `encodedRoster()` wrote, read where they lie (the store's row).
    public mutating func decodeRoster(_ bytes: UnsafeRawBufferPointer) throws {
        var r = BinaryReader(unsafeBytes: bytes)
        try ValidatedFile.checkHeader(&r)
        rosterEntries = try RosterCodec.read(&r, file: source)
        guard r.atEnd else { throw BinaryReader.Corrupt() }
    }

    /// The dates whose records `init(decoding:source:keeping:)` decodes, by kind: a file's records of a
    /// kind are decoded when one of them carries one of these dates, and passed over unread otherwise.
    public struct StoredRecordDates: Sendable, Equatable {
        /// For daily reports and the total rows that sum them.
        public var dailyReports: Set<LocalDate>
        /// For care contacts and duty shifts.
        public var careAndDuty: Set<LocalDate>

        public init(dailyReports: Set<LocalDate>, careAndDuty: Set<LocalDate>) {
            self.dailyReports = dailyReports
            self.careAndDuty = careAndDuty
        }
    }

    /// The dates the file's daily reports and total rows carry.
    var dailyRecordDates: Set<LocalDate> {
        var dates = Set(dailyReports.lazy.map(\.date))
        for t in totalRows { dates.formUnion(t.dates) }
        return dates
    }

    /// The dates the file's care contacts and duty shifts carry.
    var datedRecordDates: Set<LocalDate> {
        var dates = Set(careContacts.lazy.map(\.date))
        for d in dutyShifts { dates.insert(d.date) }
        return dates
    }

    /// Decodes what `encoded()` wrote, as the file at `source`: everything but the roster rows
    /// (their snapshot index is set; `decodeRoster` adds the rows). With `keeping`, the file's daily
    /// reports with its total rows, and its care contacts with its duty shifts, are each decoded only
    /// when one of them carries a date asked for, and are otherwise left out unread: a night reads a few
    /// dates' records, and a season's were most of what a warm night decoded from the store.
    public init(decoding bytes: [UInt8], source: String, keeping wanted: StoredRecordDates? = nil) throws {
        self = try bytes.withUnsafeBytes { try ValidatedFile(decoding: $0, source: source, keeping: wanted) }
    }

    /// `init(decoding:source:keeping:)` of bytes read where they lie (the store's row).
    public init(decoding bytes: UnsafeRawBufferPointer, source: String, keeping wanted: StoredRecordDates? = nil) throws {
        var r = BinaryReader(unsafeBytes: bytes)
        try ValidatedFile.checkHeader(&r)
        // Built aside and assigned at the end: property observers (the roster snapshot index) do not run on self here.
        var v = ValidatedFile(source: source)
        var sources = PositionSources(file: source)
        func pos(_ r: inout BinaryReader) throws -> Position { try ValidatedFile.readPosition(&sources, from: &r) }
        func form(_ r: inout BinaryReader) throws -> FormKind? {
            try r.optional { r in
                guard let f = FormKind(rawValue: try r.string()) else { throw BinaryReader.Corrupt() }
                return f
            }
        }
        v.institutions = try r.array { r in
            Institution(code: try r.string(), name: try r.string(), category: try r.choice(), street: try r.string(),
                        enrolledStudents: try r.int(), staffCount: try r.int(), active: try r.bool(), position: try pos(&r))
        }
        try r.datedSection(wanted: wanted?.dailyReports) { r in
            v.dailyReports = try r.array { r in
                let date = try r.date(), code = try r.string(), name = try r.string(), at = try r.int()
                guard let counts = DailyCounts(stored: try r.array { try $0.int() }) else { throw BinaryReader.Corrupt() }
                return DailyReport(date: date, code: code, name: name, submittedAt: LocalDateTime(seconds: at),
                                   counts: counts, zeroReport: try r.bool(), position: try pos(&r))
            }
            v.totalRows = try r.array { r in
                let p = try pos(&r)
                let stated = Dictionary(try r.array { r in (try r.int(), try r.int()) }, uniquingKeysWith: { $1 })
                let summed = Dictionary(try r.array { r in (try r.int(), try r.int()) }, uniquingKeysWith: { $1 })
                return TotalRow(position: p, stated: stated, summed: summed, dates: Set(try r.array { try $0.date() }),
                                codes: Set(try r.array { try $0.string() }))
            }
        }
        v.rosterSnapshots = Set(try r.array { r in RosterSnapshot(code: try r.string(), asOf: try r.date()) })
        try r.datedSection(wanted: wanted?.careAndDuty) { r in
            v.careContacts = try r.array { r in
                CareContact(date: try r.date(), code: try r.string(), student: try ValidatedFile.readPerson(&r),
                            method: try r.optionalChoice(), mood: try r.optionalChoice(), position: try pos(&r))
            }
            v.dutyShifts = try r.array { r in
                DutyShift(date: try r.date(), cadreName: try r.string(), cadre: try ValidatedFile.readPerson(&r), post: try r.string(),
                          start: LocalDateTime(seconds: try r.int()), end: LocalDateTime(seconds: try r.int()),
                          checkedIn: try r.optionalBool(), temperatureChecks: try r.optionalInt(), position: try pos(&r))
            }
        }
        v.inspections = try r.array { r in
            Inspection(date: try r.date(), code: try r.string(), kind: try r.optionalChoice(), suspended: try r.optionalBool(),
                       issuesFound: try r.optionalInt(), findings: try r.optionalString(),
                       fixDeadline: try r.optionalDate(), fixedDate: try r.optionalDate(), notices: try r.optionalInt(),
                       position: try pos(&r))
        }
        func rejects(_ r: inout BinaryReader) throws -> [Reject] {
            try r.array { r in
                let p = try pos(&r), value = try r.string()
                guard let reason = RejectReason(rawValue: try r.string()) else { throw BinaryReader.Corrupt() }
                return Reject(position: p, value: value, reason: reason, message: try r.string(), form: try form(&r),
                              date: try r.optionalDate(), institutionCode: try r.optionalString(), cell: try r.optionalString())
            }
        }
        v.rejects = try rejects(&r)
        v.furtherProblems = try rejects(&r)
        v.sheets = try r.array { r in
            SheetAccount(sheet: try r.optionalString(), form: try form(&r), rowsRead: try r.int(),
                         accepted: try r.int(), rejected: try r.int(), skipped: try r.int(),
                         note: try r.optionalString())
        }
        v.warnings = try r.array { try $0.string() }
        v.fileRejected = try r.bool()
        v.untypedRosterKeys = try r.optional { r in Set(try r.array { r in RosterSnapshot(code: try r.string(), asOf: try r.date()) }) }
        guard r.atEnd else { throw BinaryReader.Corrupt() }
        self = v
    }
}
