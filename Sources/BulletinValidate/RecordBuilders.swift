import BulletinCore

/// Builds each form's typed record from a row: `read` types the columns, the builder takes what the
/// record keeps by name and checks that the required values were usable.
extension RowParser {
    private var here: Position { Position(source: source, row: row.number) }

    mutating func institution() -> Institution? {
        let row = read(InstitutionColumn.self)
        guard isUsable, let code = row.text(.code), let name = row.text(.name),
              let category = row.choice(.category, as: InstitutionCategory.self), let street = row.text(.street),
              let enrolled = row.count(.enrolledStudents), let staff = row.count(.staffCount),
              let status = row.choice(.status, as: InstitutionStatus.self) else { return nil }
        return Institution(code: code, name: name, category: category, street: street, enrolledStudents: enrolled,
                           staffCount: staff, active: status == .active, position: here)
    }

    mutating func dailyReport() -> DailyReport? {
        let row = read(DailyColumn.self)
        let date = row.date(.reportDate), code = row.text(.code)
        guard isUsable, let date, let code, let submitted = row.dateTime(.submittedAt), let zero = row.yesNo(.zeroReport) else {
            setRejectContext(date: date, code: code)
            return nil
        }
        var counts = DailyCounts()
        for column in DailyColumn.countColumns { counts[column] = row.count(column) }
        return DailyReport(date: date, code: code, name: row.text(.name) ?? "", submittedAt: submitted, counts: counts,
                           zeroReport: zero, position: here)
    }

    /// Appends the row's entry to `roster` when it is usable (made in place: returned, the 192-byte
    /// record was copied twice more on its way into the array), its pseudonym left to `pending`.
    mutating func appendRosterEntry(to roster: inout [RosterEntry], pending: inout PendingPseudonyms) {
        let row = read(RosterColumn.self)
        let asOf = row.date(.asOf), code = row.code(.code)
        guard isUsable, let asOf, let code, let type = row.choice(.personType, as: PersonType.self),
              let person = row.person(.idNumber, asOf: asOf, under: pseudonyms, pending: &pending, entry: roster.count) else {
            setRejectContext(date: asOf, code: code)
            return
        }
        roster.append(RosterEntry(asOf: asOf, code: code, personType: type, gender: row.choice(.gender),
                                  person: person, location: row.choice(.location),
                                  returnDate: row.date(.returnDate), hubeiHistory: row.yesNo(.hubeiHistory),
                                  health: row.choice(.health), observation: row.choice(.observation),
                                  observationStart: row.date(.observationStart), observationEnd: row.date(.observationEnd),
                                  onDuty: row.yesNo(.onDuty), frontlineFamily: row.yesNo(.frontlineFamily), position: here))
    }

    mutating func careContact() -> CareContact? {
        let row = read(CareColumn.self)
        let date = row.date(.date), code = row.code(.code)
        guard isUsable, let date, let code, let student = row.person(.studentID, asOf: date, under: pseudonyms) else {
            setRejectContext(date: date, code: code)
            return nil
        }
        return CareContact(date: date, code: code, student: student, method: row.choice(.method),
                           mood: row.choice(.mood), position: here)
    }

    mutating func dutyShift() -> DutyShift? {
        let row = read(DutyColumn.self)
        let date = row.date(.date)
        guard isUsable, let date, let name = row.text(.name), let cadre = row.person(.idNumber, asOf: date, under: pseudonyms), let post = row.text(.post),
              let start = row.moment(.start, on: date), var finish = row.moment(.end, on: date) else {
            setRejectContext(date: date, code: nil)
            return nil
        }
        // A shift that ends at or before it starts passes midnight (as many as it takes).
        if finish <= start { finish = LocalDateTime(seconds: finish.seconds + ((start.seconds - finish.seconds) / 86_400 + 1) * 86_400) }
        return DutyShift(date: date, cadreName: Masking.name(name), cadre: cadre, post: post,
                         start: start, end: finish, checkedIn: row.yesNo(.checkedIn),
                         temperatureChecks: row.count(.temperatureChecks), position: here)
    }

    mutating func inspection() -> Inspection? {
        let row = read(InspectionColumn.self)
        let date = row.date(.date), code = row.text(.code)
        guard isUsable, let date, let code else {
            setRejectContext(date: date, code: code)
            return nil
        }
        return Inspection(date: date, code: code, kind: row.choice(.kind), suspended: row.yesNo(.suspended),
                          issuesFound: row.count(.issuesFound), findings: row.text(.findings),
                          fixDeadline: row.date(.fixDeadline), fixedDate: row.date(.fixedDate),
                          notices: row.count(.notices), position: here)
    }
}
