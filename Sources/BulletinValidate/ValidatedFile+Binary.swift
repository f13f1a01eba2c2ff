import BulletinCore

/// The ingest cache's encoding of a validated file. Positions are stored relative to the
/// file, so the same bytes arriving under another name decode with that name.
extension ValidatedFile {
    /// Bump when records or validation change: older cache entries are then ignored.
    public static let codecVersion = 2

    /// Everything but the roster rows, which `encodedRoster()` keeps apart so that a run decodes
    /// only the snapshots it needs (the snapshot index is part of this payload).
    public func encoded() -> [UInt8] {
        var w = BinaryWriter()
        let source = self.source
        func pos(_ w: inout BinaryWriter, _ p: Position) {
            w.string(p.source.hasPrefix(source) ? String(p.source.dropFirst(source.count)) : p.source)
            w.optional(p.row) { $0.int($1) }
            w.optional(p.column) { $0.string($1) }
        }
        func optBool(_ w: inout BinaryWriter, _ b: Bool?) { w.int(b.map { $0 ? 2 : 1 } ?? 0) }
        func optInt(_ w: inout BinaryWriter, _ i: Int?) { w.optional(i) { $0.int($1) } }
        func optDate(_ w: inout BinaryWriter, _ d: LocalDate?) { w.optional(d) { $0.date($1) } }
        w.array(institutions) { w, i in
            w.string(i.code); w.string(i.name); w.int(i.category); w.string(i.street)
            w.int(i.enrolledStudents); w.int(i.staffCount); w.bool(i.active); pos(&w, i.position)
        }
        w.array(dailyReports) { w, r in
            w.date(r.date); w.string(r.code); w.string(r.name); w.int(r.submittedAt.seconds)
            for v in r.students + r.staff { w.int(v) }
            optInt(&w, r.onlineLearners); optInt(&w, r.onlineDifficulty); w.bool(r.zeroReport); pos(&w, r.position)
        }
        w.array(rosterSnapshots.sorted { ($0.code, $0.asOf) < ($1.code, $1.asOf) }) { w, snapshot in
            w.string(snapshot.code); w.date(snapshot.asOf)
        }
        w.array(careContacts) { w, c in
            w.date(c.date); w.string(c.code); w.string(c.studentID); optInt(&w, c.method); optInt(&w, c.mood); pos(&w, c.position)
        }
        w.array(dutyShifts) { w, d in
            w.date(d.date); w.string(d.cadreName); w.string(d.cadreID); w.string(d.post); w.int(d.start.seconds)
            w.int(d.end.seconds); optBool(&w, d.checkedIn); optInt(&w, d.temperatureChecks); pos(&w, d.position)
        }
        w.array(inspections) { w, i in
            w.date(i.date); w.string(i.code); optInt(&w, i.kind); optBool(&w, i.suspended); optInt(&w, i.issuesFound)
            w.optional(i.findings) { $0.string($1) }; optDate(&w, i.fixDeadline); optDate(&w, i.fixedDate)
            optInt(&w, i.notices); pos(&w, i.position)
        }
        w.array(totalRows) { w, t in
            pos(&w, t.position)
            w.array(t.stated.sorted { $0.key < $1.key }) { $0.int($1.key); $0.int($1.value) }
            w.array(t.summed.sorted { $0.key < $1.key }) { $0.int($1.key); $0.int($1.value) }
            w.array(t.dates.sorted()) { $0.date($1) }
            w.array(t.codes.sorted()) { $0.string($1) }
        }
        w.array(rejects) { w, r in
            pos(&w, r.position); w.string(r.value); w.string(r.reason.rawValue); w.string(r.message)
            w.optional(r.form) { $0.string($1.rawValue) }; optDate(&w, r.date); w.optional(r.institutionCode) { $0.string($1) }
        }
        w.array(sheets) { w, s in
            w.optional(s.sheet) { $0.string($1) }; w.optional(s.form) { $0.string($1.rawValue) }
            w.int(s.rowsRead); w.int(s.accepted); w.int(s.rejected); w.int(s.skipped); w.optional(s.note) { $0.string($1) }
        }
        w.array(warnings) { $0.string($1) }
        w.bool(fileRejected)
        return w.bytes
    }

    /// The roster rows alone.
    public func encodedRoster() -> [UInt8] {
        var w = BinaryWriter()
        let source = self.source
        w.array(rosterEntries) { w, e in
            func optInt(_ i: Int?) { w.optional(i) { $0.int($1) } }
            func optDate(_ d: LocalDate?) { w.optional(d) { $0.date($1) } }
            func optBool(_ b: Bool?) { w.int(b.map { $0 ? 2 : 1 } ?? 0) }
            w.date(e.asOf); w.string(e.code); w.int(e.personType); w.string(e.name); optInt(e.gender)
            w.string(e.idNumber); optInt(e.location); optDate(e.returnDate); optBool(e.hubeiHistory)
            optInt(e.health); optInt(e.observation); optDate(e.observationStart); optDate(e.observationEnd)
            optBool(e.onDuty); optBool(e.frontlineFamily)
            w.string(e.position.source.hasPrefix(source) ? String(e.position.source.dropFirst(source.count)) : e.position.source)
            w.optional(e.position.row) { $0.int($1) }
            w.optional(e.position.column) { $0.string($1) }
        }
        return w.bytes
    }

    /// Fills in the roster rows from what `encodedRoster()` wrote.
    public mutating func decodeRoster(_ bytes: [UInt8]) throws {
        var r = BinaryReader(bytes)
        let source = self.source
        func optInt(_ r: inout BinaryReader) throws -> Int? { try r.optional { try $0.int() } }
        func optDate(_ r: inout BinaryReader) throws -> LocalDate? { try r.optional { try $0.date() } }
        func optBool(_ r: inout BinaryReader) throws -> Bool? {
            switch try r.int() { case 0: return nil; case 1: return false; default: return true }
        }
        rosterEntries = try r.array { r in
            let asOf = try r.date(), code = try r.string(), type = try r.int(), name = try r.string(), gender = try optInt(&r)
            let id = try r.string(), location = try optInt(&r), returned = try optDate(&r), hubei = try optBool(&r)
            let health = try optInt(&r), observation = try optInt(&r), start = try optDate(&r), end = try optDate(&r)
            let onDuty = try optBool(&r), frontline = try optBool(&r)
            let suffix = try r.string()
            let position = Position(source: suffix.isEmpty || suffix.hasPrefix("#") ? source + suffix : suffix,
                                    row: try r.optional { try $0.int() }, column: try r.optional { try $0.string() })
            return RosterEntry(asOf: asOf, code: code, personType: type, name: name, gender: gender, idNumber: id,
                               location: location, returnDate: returned, hubeiHistory: hubei, health: health,
                               observation: observation, observationStart: start, observationEnd: end, onDuty: onDuty,
                               frontlineFamily: frontline, position: position)
        }
        guard r.atEnd else { throw BinaryReader.Corrupt() }
    }

    /// Decodes what `encoded()` wrote, as the file at `source`: everything but the roster rows
    /// (their snapshot index is set; `decodeRoster` adds the rows).
    public init(decoding bytes: [UInt8], source: String) throws {
        var r = BinaryReader(bytes)
        // Built aside and assigned at the end: property observers (the roster snapshot index) do not run on self here.
        var v = ValidatedFile(source: source)
        func pos(_ r: inout BinaryReader) throws -> Position {
            let suffix = try r.string()
            return Position(source: suffix.isEmpty || suffix.hasPrefix("#") ? source + suffix : suffix,
                            row: try r.optional { try $0.int() }, column: try r.optional { try $0.string() })
        }
        func optBool(_ r: inout BinaryReader) throws -> Bool? {
            switch try r.int() { case 0: return nil; case 1: return false; default: return true }
        }
        func optInt(_ r: inout BinaryReader) throws -> Int? { try r.optional { try $0.int() } }
        func optDate(_ r: inout BinaryReader) throws -> LocalDate? { try r.optional { try $0.date() } }
        func form(_ r: inout BinaryReader) throws -> FormKind? {
            try r.optional { r in
                guard let f = FormKind(rawValue: try r.string()) else { throw BinaryReader.Corrupt() }
                return f
            }
        }
        v.institutions = try r.array { r in
            Institution(code: try r.string(), name: try r.string(), category: try r.int(), street: try r.string(),
                        enrolledStudents: try r.int(), staffCount: try r.int(), active: try r.bool(), position: try pos(&r))
        }
        v.dailyReports = try r.array { r in
            let date = try r.date(), code = try r.string(), name = try r.string(), at = try r.int()
            let students = try (0..<9).map { _ in try r.int() }, staff = try (0..<9).map { _ in try r.int() }
            return DailyReport(date: date, code: code, name: name, submittedAt: LocalDateTime(seconds: at),
                               students: students, staff: staff, onlineLearners: try optInt(&r),
                               onlineDifficulty: try optInt(&r), zeroReport: try r.bool(), position: try pos(&r))
        }
        v.rosterSnapshots = Set(try r.array { r in RosterSnapshot(code: try r.string(), asOf: try r.date()) })
        v.careContacts = try r.array { r in
            CareContact(date: try r.date(), code: try r.string(), studentID: try r.string(), method: try optInt(&r),
                        mood: try optInt(&r), position: try pos(&r))
        }
        v.dutyShifts = try r.array { r in
            DutyShift(date: try r.date(), cadreName: try r.string(), cadreID: try r.string(), post: try r.string(),
                      start: LocalDateTime(seconds: try r.int()), end: LocalDateTime(seconds: try r.int()),
                      checkedIn: try optBool(&r), temperatureChecks: try optInt(&r), position: try pos(&r))
        }
        v.inspections = try r.array { r in
            Inspection(date: try r.date(), code: try r.string(), kind: try optInt(&r), suspended: try optBool(&r),
                       issuesFound: try optInt(&r), findings: try r.optional { try $0.string() },
                       fixDeadline: try optDate(&r), fixedDate: try optDate(&r), notices: try optInt(&r),
                       position: try pos(&r))
        }
        v.totalRows = try r.array { r in
            let p = try pos(&r)
            let stated = Dictionary(uniqueKeysWithValues: try r.array { r in (try r.int(), try r.int()) })
            let summed = Dictionary(uniqueKeysWithValues: try r.array { r in (try r.int(), try r.int()) })
            return TotalRow(position: p, stated: stated, summed: summed, dates: Set(try r.array { try $0.date() }),
                            codes: Set(try r.array { try $0.string() }))
        }
        v.rejects = try r.array { r in
            let p = try pos(&r), value = try r.string()
            guard let reason = RejectReason(rawValue: try r.string()) else { throw BinaryReader.Corrupt() }
            return Reject(position: p, value: value, reason: reason, message: try r.string(), form: try form(&r),
                          date: try optDate(&r), institutionCode: try r.optional { try $0.string() })
        }
        v.sheets = try r.array { r in
            SheetAccount(sheet: try r.optional { try $0.string() }, form: try form(&r), rowsRead: try r.int(),
                         accepted: try r.int(), rejected: try r.int(), skipped: try r.int(),
                         note: try r.optional { try $0.string() })
        }
        v.warnings = try r.array { try $0.string() }
        v.fileRejected = try r.bool()
        guard r.atEnd else { throw BinaryReader.Corrupt() }
        self = v
    }
}
