import BulletinCore

/// Builds each form's typed record from a row, reading columns in forms.md order.
extension RowParser {
    mutating func institution() -> Institution? {
        typealias C = InstitutionColumn
        let code = text(C.code.rawValue)
        let name = text(C.name.rawValue)
        let category = choice(C.category.rawValue)
        _ = choice(C.ownership.rawValue)
        let street = text(C.street.rawValue)
        let enrolled = count(C.enrolledStudents.rawValue)
        let staff = count(C.staffCount.rawValue)
        let status = choice(C.status.rawValue)
        guard isUsable, let code, let name, let category, let street, let enrolled, let staff, let status else { return nil }
        return Institution(code: code, name: name, category: category, street: street, enrolledStudents: enrolled,
                           staffCount: staff, active: status == 0,
                           position: Position(source: source, row: row.number))
    }

    mutating func dailyReport() -> DailyReport? {
        typealias C = DailyColumn
        let date = self.date(C.reportDate.rawValue)
        referenceYear = date?.year
        let code = text(C.code.rawValue)
        let name = text(C.name.rawValue) ?? ""
        let submitted = dateTime(C.submittedAt.rawValue)
        var students = [Int](repeating: 0, count: Figure.allCases.count)
        var staff = students
        for population in Population.allCases {
            for figure in Figure.allCases {
                let value = count(C.figure(figure, of: population).rawValue) ?? 0
                if population == .students { students[figure.rawValue] = value } else { staff[figure.rawValue] = value }
            }
        }
        let learners = count(C.onlineLearners.rawValue)
        let difficulty = count(C.onlineDifficulty.rawValue)
        let zero = yesNo(C.zeroReport.rawValue)
        guard isUsable, let date, let code, let submitted, let zero else {
            setRejectContext(date: date, code: code)
            return nil
        }
        return DailyReport(date: date, code: code, name: name, submittedAt: submitted, students: students, staff: staff,
                           onlineLearners: learners, onlineDifficulty: difficulty, zeroReport: zero,
                           position: Position(source: source, row: row.number))
    }

    mutating func rosterEntry() -> RosterEntry? {
        typealias C = RosterColumn
        let asOf = date(C.asOf.rawValue)
        referenceYear = asOf?.year
        let code = text(C.code.rawValue)
        let type = choice(C.personType.rawValue)
        _ = text(C.name.rawValue)
        let gender = choice(C.gender.rawValue)
        let id = text(C.idNumber.rawValue)
        let location = choice(C.location.rawValue)
        let returnDate = date(C.returnDate.rawValue)
        let hubei = yesNo(C.hubeiHistory.rawValue)
        let health = choice(C.health.rawValue)
        let observation = choice(C.observation.rawValue)
        let start = date(C.observationStart.rawValue)
        let end = date(C.observationEnd.rawValue)
        let onDuty = yesNo(C.onDuty.rawValue)
        let frontline = yesNo(C.frontlineFamily.rawValue)
        guard isUsable, let asOf, let code, let type, let id else {
            setRejectContext(date: asOf, code: code)
            return nil
        }
        return RosterEntry(asOf: asOf, code: code, personType: type, gender: gender,
                           person: pseudonyms.person(id, asOf: asOf), location: location, returnDate: returnDate, hubeiHistory: hubei,
                           health: health, observation: observation, observationStart: start, observationEnd: end,
                           onDuty: onDuty, frontlineFamily: frontline,
                           position: Position(source: source, row: row.number))
    }

    mutating func careContact() -> CareContact? {
        typealias C = CareColumn
        let date = self.date(C.date.rawValue)
        referenceYear = date?.year
        let code = text(C.code.rawValue)
        _ = text(C.studentName.rawValue)
        let id = text(C.studentID.rawValue)
        _ = choice(C.parentRole.rawValue)
        _ = yesNo(C.aidingHubei.rawValue)
        _ = text(C.teacher.rawValue)
        let method = choice(C.method.rawValue)
        let mood = choice(C.mood.rawValue)
        _ = choice(C.study.rawValue)
        guard isUsable, let date, let code, let id else {
            setRejectContext(date: date, code: code)
            return nil
        }
        return CareContact(date: date, code: code, student: pseudonyms.person(id, asOf: date), method: method, mood: mood,
                           position: Position(source: source, row: row.number))
    }

    mutating func dutyShift() -> DutyShift? {
        typealias C = DutyColumn
        let date = self.date(C.date.rawValue)
        referenceYear = date?.year
        let name = text(C.name.rawValue)
        let id = text(C.idNumber.rawValue)
        let post = text(C.post.rawValue)
        let start = timeOrDateTime(C.start.rawValue, on: date)
        let end = timeOrDateTime(C.end.rawValue, on: date)
        let checkedIn = yesNo(C.checkedIn.rawValue)
        let checks = count(C.temperatureChecks.rawValue)
        guard isUsable, let date, let name, let id, let post, let start, var finish = end else {
            setRejectContext(date: date, code: nil)
            return nil
        }
        // A shift that ends at or before it starts passes midnight (as many as it takes).
        if finish <= start { finish = LocalDateTime(seconds: finish.seconds + ((start.seconds - finish.seconds) / 86_400 + 1) * 86_400) }
        return DutyShift(date: date, cadreName: Masking.name(name), cadre: pseudonyms.person(id, asOf: date), post: post,
                         start: start, end: finish,
                         checkedIn: checkedIn, temperatureChecks: checks, position: Position(source: source, row: row.number))
    }

    mutating func inspection() -> Inspection? {
        typealias C = InspectionColumn
        let date = self.date(C.date.rawValue)
        referenceYear = date?.year
        let code = text(C.code.rawValue)
        _ = text(C.team.rawValue)
        let kind = choice(C.kind.rawValue)
        let suspended = yesNo(C.suspended.rawValue)
        let issues = count(C.issuesFound.rawValue)
        let findings = text(C.findings.rawValue)
        let deadline = self.date(C.fixDeadline.rawValue)
        let fixed = self.date(C.fixedDate.rawValue)
        let notices = count(C.notices.rawValue)
        guard isUsable, let date, let code else {
            setRejectContext(date: date, code: code)
            return nil
        }
        return Inspection(date: date, code: code, kind: kind, suspended: suspended, issuesFound: issues, findings: findings,
                          fixDeadline: deadline, fixedDate: fixed, notices: notices,
                          position: Position(source: source, row: row.number))
    }
}
