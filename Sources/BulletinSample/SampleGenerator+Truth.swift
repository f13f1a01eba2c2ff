import BulletinCore

extension SampleGenerator {
    /// The figures and anomalies a correct pipeline publishes for each day, from the generator's own ledger.
    func truth() -> Truth {
        var truth = Truth()
        truth.lastDay = date(config.days - 1).description
        for d in 0..<config.days {
            truth.days[date(d).description] = day(d)
        }
        return truth
    }

    private func day(_ d: Int) -> Truth.Day {
        var t = Truth.Day()
        var anomalies: [String] = []
        let active = institutions.filter { i in !(plan.closed.map { $0.code == i.code && d >= $0.day } ?? false) }
        let known = Set(institutions.map(\.code))
        let visible = ledger.filter { $0.day == d && $0.folderDay <= d }
        var persons = Set<String>(), home = Set<String>(), returned = Set<String>()
        var idHolders: [String: Int] = [:]
        var children = Set<String>()
        for i in active {
            let code = i.code
            let rows = visible.filter { $0.code == code }
            t.expected += 1
            var street = t.streets[i.street] ?? Truth.Street()
            street.expected += 1
            defer { t.streets[i.street] = street }
            let usable = rows.filter(\.usable)
            if let w = usable.max(by: { $0.submittedKey < $1.submittedKey }) {
                t.valid += 1
                street.valid += 1
                for k in 0..<9 { street.students[k] += w.students[k]; street.staff[k] += w.staff[k] }
                let onTime = w.submittedKey <= d * 86_400 + 12 * 3600
                if onTime { t.onTime += 1; street.onTime += 1 } else { anomalies.append("late_report|\(code)|") }
                if !w.hasCases { t.zeroReports += 1 } else { anomalies.append("cases_reported|\(code)|") }
                for k in 0..<9 { t.students[k] += w.students[k]; t.staff[k] += w.staff[k] }
                t.onlineLearners += w.learners ?? 0
                if usable.count > 1 { anomalies.append("duplicate_report|\(code)|") }
                if w.name != i.name { anomalies.append("name_mismatch|\(code)|") }
                if w.zeroFlag == w.hasCases { anomalies.append("zero_flag_mismatch|\(code)|") }
                if w.students[1] + w.students[2] != w.students[0] { anomalies.append("sum_mismatch|\(code)|") }
                if exceedsTotal(w) { anomalies.append("count_exceeds_total|\(code)|") }
                if 10 * abs(w.students[0] - i.enrolled) > i.enrolled { anomalies.append("enrollment_deviation|\(code)|") }
                if plan.codes(.spike, day: d).contains(code) { anomalies.append("spike|\(code)|") }
                if let roster = seenRoster(code, day: d), rosterDiffers(w, roster, day: d) {
                    anomalies.append("roster_mismatch|\(code)|")
                }
            } else {
                street.missing += 1
                anomalies.append("missing_report|\(code)|")
            }
            guard let s = snapshots[code]?.keys.filter({ $0 <= d }).max() else {
                anomalies.append("roster_stale|\(code)|")
                continue
            }
            if d - s > 7 { anomalies.append("roster_stale|\(code)|") }
            for row in snapshots[code]![s]! {
                let id = row.id
                persons.insert(id)
                idHolders[id, default: 0] += 1
                let observed = row.underObservation(on: d)
                if observed && row.observation == 1 { home.insert(id) }
                let recent = row.returnDay.map { $0 <= d && $0 >= d - 13 } ?? false
                if recent { returned.insert(id) }
                let masked = Masking.idNumber(id)
                if IDNumber.problem(id, asOf: date(s)) != nil {
                    anomalies.append("invalid_id_number|\(code)|\(masked)")
                } else if (row.person.typedGender ?? row.person.gender) != (IDNumber.isMale(id) ? 0 : 1) {
                    anomalies.append("id_gender_mismatch|\(code)|\(masked)")
                }
                let hubeiInCity = row.person.hubei && row.location == 0 && (row.returnDay == nil || recent)
                if !observed && (recent || hubeiInCity) { anomalies.append("observation_missing|\(code)|\(masked)") }
                if observed, recent, let end = row.observationEnd, end < row.returnDay! + 13 {
                    anomalies.append("observation_too_short|\(code)|\(masked)")
                }
                if observed && row.onDuty == true { anomalies.append("on_duty_under_observation|\(code)|\(masked)") }
                if (1...3).contains(row.person.health) { anomalies.append("person_case|\(code)|\(masked)") }
                if row.person.type == 0 && row.person.frontline && children.insert(id).inserted {
                    if careContacted[d, default: []].contains(id) { t.careContacted += 1 } else {
                        anomalies.append("care_contact_gap|\(code)|\(masked)")
                    }
                }
            }
        }
        for (id, n) in idHolders where n > 1 { anomalies.append("duplicate_person||\(Masking.idNumber(id))") }
        let visibleRejected = Set(expectedRejectCodes(d))
        t.received = active.filter { i in visible.contains { $0.code == i.code } || visibleRejected.contains(i.code) }.count
        for code in Set(visible.map(\.code)) where !known.contains(code) { anomalies.append("unknown_institution|\(code)|") }
        anomalies += totalRowAnomalies[d] ?? []
        t.careChildren = children.count
        anomalies += careAttention[d] ?? []
        anomalies += bureauAnomalies(d, t: &t)
        t.anomalies = anomalies.sorted()
        t.rejects = (expectedRejects[d] ?? []).sorted()
        t.rosterPersons = persons.count
        t.rosterHome = home.count
        t.rosterReturned14d = returned.count
        return t
    }

    private func exceedsTotal(_ w: LedgerRow) -> Bool {
        for f in [w.students, w.staff] where f[1...].contains(where: { $0 > f[0] }) { return true }
        return (w.learners ?? 0) > w.students[0] || (w.difficulty ?? 0) > w.students[0]
    }

    /// 下沉干部 and 督导检查 on day `d`.
    private func bureauAnomalies(_ d: Int, t: inout Truth.Day) -> [String] {
        var out: [String] = []
        for post in PipelineParameters().dutyPosts {
            let staffed = Set(dutyShifts.filter { $0.day == d && $0.post == post.name }.map(\.cadre)).count
            if staffed < post.cadres { out.append("post_uncovered||") } else { t.dutyPostsCovered += 1 }
        }
        out += (doubleBooked[d] ?? []).map { "cadre_double_booked||\(Masking.idNumber($0))" }
        let today = dutyShifts.filter { $0.day == d }
        t.dutyShifts = today.count
        t.dutyCadres = Set(today.map(\.cadre)).count
        t.dutyHours = (Double(today.reduce(0) { $0 + $1.end - $1.start }) / 360).rounded() / 10
        let seen = inspectionList.filter { $0.day <= d }
        t.inspectionsCumulative = seen.count
        t.inspectionsOnDay = seen.filter { $0.day == d }.count
        out += Set(seen.filter { $0.day == d && $0.kind == 2 && $0.suspended == false }.map(\.code))
            .map { "training_operating|\($0)|" }
        out += Set(seen.filter { i in
            guard let deadline = i.deadline, deadline < d else { return false }
            return i.fixed.map { $0 > d } ?? true
        }.map(\.code)).map { "rectification_overdue|\($0)|" }
        return out
    }

    /// Institutions whose rejected daily rows for `d` are visible (they count as received).
    private func expectedRejectCodes(_ d: Int) -> [String] {
        ledger.filter { $0.day == d && $0.folderDay <= d && !$0.usable }.map(\.code)
    }

    /// The roster rows the pipeline sees in force on day `d`.
    private func seenRoster(_ code: String, day d: Int) -> [RosterRow]? {
        guard let s = snapshots[code]?.keys.filter({ $0 <= d }).max() else { return nil }
        return snapshots[code]![s]
    }

    private func rosterDiffers(_ w: LedgerRow, _ roster: [RosterRow], day d: Int) -> Bool {
        for population in 0...1 {
            let rows = roster.filter { population == 0 ? $0.person.type == 0 : $0.person.type != 0 }
            let figures = population == 0 ? w.students : w.staff
            if figures[Figure.total.rawValue] != rows.count { return true }
            if figures[Figure.away.rawValue] != rows.filter({ $0.location == 1 }).count { return true }
            if figures[Figure.observation.rawValue] != rows.filter({ $0.underObservation(on: d) }).count { return true }
            if figures[Figure.fever.rawValue] != rows.filter({ $0.person.health == 1 }).count { return true }
        }
        return false
    }
}
