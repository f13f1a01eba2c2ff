import BulletinCore
import BulletinValidate

/// The roster rules: freshness, ID numbers, people under the observation rule, cases,
/// and reconciliation of each winning report with its roster in force.
enum RosterRules: RuleFamily {
    static let rules: [Rule] = [.rosterMismatch, .rosterStale, .invalidIdNumber, .idGenderMismatch, .duplicatePerson,
                                .observationMissing, .observationTooShort, .onDutyUnderObservation, .personCase]

    /// Works out the distinct people of the rosters in force (the summary's `roster` part, which this
    /// family alone writes) and checks them.
    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] {
        let people = RosterPeople(day.rosters, on: day.context.date, parameters: day.context.parameters)
        summary.roster = people.summary
        return check(rosters: day.rosters, people: people, winners: day.winners, expected: day.expected, context: day.context)
    }

    static func check(rosters: RosterInForce, people: RosterPeople, winners: [String: DailyReport], expected: [Institution],
                      context: RuleContext) -> [Anomaly] {
        var out: [Anomaly] = []
        let date = context.date
        let p = context.parameters
        for institution in expected {
            let code = institution.code
            guard let asOf = rosters.asOf[code] else {
                out.append(context.anomaly(.rosterStale, code: code, "没有\(date.chinese)及以前的人员摸排花名册"))
                continue
            }
            if date.days(since: asOf) > p.rosterStaleDays {
                out.append(context.anomaly(.rosterStale, code: code,
                                           "花名册摸排日期为\(asOf)，距今\(date.days(since: asOf))天，超过\(p.rosterStaleDays)天未更新"))
            }
            if let w = winners[code], let entries = rosters.byCode[code] {
                if let m = mismatch(w, entries, date: date) {
                    out.append(context.anomaly(.rosterMismatch, code: code, position: w.position, m))
                }
            }
        }
        out += personRules(rosters, repeats: people.repeats, context: context)
        return out
    }

    /// The report's figures that differ from its roster's own counts, described; nil when all agree.
    static func mismatch(_ w: DailyReport, _ entries: [RosterEntry], date: LocalDate) -> String? {
        // The roster's own counts by population and figure, in a flat table (no dictionary per row).
        let figures = Figure.count
        var listed = [Int](repeating: 0, count: Population.allCases.count * figures)
        func slot(_ p: Population, _ f: Figure) -> Int { p.rawValue * figures + f.rawValue }
        entries.withUnsafeBufferPointer { rows in   // lent, not copied out (see `RosterInForce.forEachEntry`)
            for i in rows.indices {
                let row = rows.baseAddress! + i
                let population = row.pointee.personType.population
                listed[slot(population, .total)] += 1
                if row.pointee.location == .away { listed[slot(population, .away)] += 1 }
                if RosterInForce.underObservation(row, on: date) { listed[slot(population, .observation)] += 1 }
                if row.pointee.health == .fever { listed[slot(population, .fever)] += 1 }
            }
        }
        var parts: [String] = []
        for population in Population.allCases {
            for figure in [Figure.total, .away, .observation, .fever] {
                let reported = w.counts.figure(figure, of: population)
                let listed = listed[slot(population, figure)]
                if reported != listed {
                    parts.append("日报\(figure.chinese)\(population.chinese)\(reported)人，花名册\(listed)人")
                }
            }
        }
        return parts.isEmpty ? nil : "日报与花名册不符：" + parts.joined(separator: "；")
    }

    /// Rules about people: one anomaly per (rule, institution, person); `repeats` are the rows that list
    /// a person again (`RosterPeople.repeats`).
    static func personRules(_ rosters: RosterInForce, repeats: [RosterPeople.Repeat], context: RuleContext) -> [Anomaly] {
        let date = context.date
        let days = context.parameters.observationDays
        var out: [Anomaly] = []
        struct Listed: Hashable { let rule: Rule, code: String, person: Pseudonym }
        var seen = Set<Listed>()
        func add(_ rule: Rule, _ e: UnsafePointer<RosterEntry>, _ message: String) {
            let person = e.pointee.person.masked
            guard seen.insert(Listed(rule: rule, code: e.pointee.code, person: e.pointee.person.pseudonym)).inserted else { return }
            out.append(context.anomaly(rule, code: e.pointee.code, person: person, position: e.pointee.position, message))
        }
        var ordinal = 0, next = repeats.startIndex
        rosters.forEachEntry { e in
            defer { ordinal += 1 }
            if next < repeats.endIndex, repeats[next].ordinal == ordinal {
                let first = repeats[next]
                next += 1
                let where_ = first.firstCode == e.pointee.code ? "本机构花名册" : "机构\(first.firstCode)的花名册"
                out.append(context.anomaly(.duplicatePerson, code: e.pointee.code, person: e.pointee.person.masked,
                                           position: e.pointee.position, "同一身份证号在\(where_)中已登记（第\(first.firstRow ?? 0)行）"))
            }
            if let problem = e.pointee.person.problem {
                add(.invalidIdNumber, e, "身份证号无效：\(problem)")
            } else if let g = e.pointee.gender, let male = e.pointee.person.isMale, male != (g == .male) {
                add(.idGenderMismatch, e, "身份证号显示为\(male ? Gender.male.label : Gender.female.label)，性别填写为\(g.label)")
            }
            let observed = RosterInForce.underObservation(e, on: date)
            let returned = RosterInForce.returnedRecently(e, on: date, days: days)
            let hubeiInCity = e.pointee.hubeiHistory == true && e.pointee.location == .inCity && (e.pointee.returnDate == nil || returned)
            if !observed && (returned || hubeiInCity) {
                add(.observationMissing, e, returned
                    ? "\(e.pointee.returnDate!)返济，未满\(days)天，但\(date.chinese)不在观察期"
                    : "有湖北旅居接触史且在济，但\(date.chinese)不在观察期")
            }
            if observed, returned, let end = e.pointee.observationEnd, let r = e.pointee.returnDate, end < r.adding(days: days - 1) {
                add(.observationTooShort, e, "\(r)返济，观察至\(end)，不足\(days)天（应至少观察至\(r.adding(days: days - 1))）")
            }
            if observed, e.pointee.onDuty == true {
                add(.onDutyUnderObservation, e, "处于\(e.pointee.observation == .central ? "集中" : "居家")观察期，但登记为在岗")
            }
            if let h = e.pointee.health, h.caseFigure != nil {
                add(.personCase, e, "健康状况为\(h.label)")
            }
        }
        return out
    }
}
