import BulletinCore

extension SampleGenerator {
    /// Institutions, people, person-level plants and the daily plan.
    mutating func buildDistrict() {
        var factory = DistrictFactory(r: r, scale: config.peopleScale)
        var ids = Set<String>()
        for k in 0..<config.districts {
            var list = factory.institutions(district: k)
            for i in list.indices {
                people[list[i].code] = factory.people(of: &list[i], ids: &ids)
            }
            institutions += list
        }
        r = factory.r
        guard config.plantProblems else { return }

        let kindergartens = institutions.filter { $0.group == .kindergarten }.map(\.code)
        let schools = institutions.filter { $0.group == .school }.map(\.code)
        let training = institutions.filter { $0.group == .training }.map(\.code)

        // Fixed plants.
        for code in schools.suffix(2) {
            let i = institutions.firstIndex { $0.code == code }!
            institutions[i].enrolled = Int((Double(institutions[i].enrolled) * 1.3).rounded(.up)) + 1
            plan.enrollmentOff.insert(code)
        }
        plan.staleRosters = [kindergartens[kindergartens.count - 1], training[training.count - 1]]
        plan.closed = (training[training.count - 2], min(10, config.days - 1))
        plantPeople(kindergartens: kindergartens, schools: schools, training: training)

        // Daily plants rotate through institutions that carry no fixed plant.
        let fixed = plan.enrollmentOff.union(plan.staleRosters).union([plan.closed!.code])
        var pool = institutions.map(\.code).filter { !fixed.contains($0) }
        pool.shuffle(using: &r)
        let schoolPool = schools.filter { !fixed.contains($0) }
        var cursor = 0
        for d in 1..<config.days {
            var today: [Plan.DailyProblem: [String]] = [:]
            var used = Set<String>()
            func take(_ n: Int) -> [String] {
                var out: [String] = []
                while out.count < n {
                    let c = pool[cursor % pool.count]
                    cursor += 1
                    if used.insert(c).inserted { out.append(c) }
                }
                return out
            }
            today[.missing] = take(3)
            today[.lateSameDay] = take(2)
            today[.lateNextDay] = d + 1 < config.days ? take(1) : []
            today[.duplicate] = take(1)
            today[.nameMismatch] = take(1)
            today[.zeroFlag] = take(1)
            today[.sumMismatch] = take(1)
            let s = schoolPool[(d * 7) % schoolPool.count]
            if used.insert(s).inserted { today[.countExceeds] = [s] }
            today[.badCount] = take(1)
            today[.missingValue] = take(1)
            today[.badDateTime] = take(1)
            today[.missingColumn] = take(1)
            if d >= 9 {
                // A school with a full history: none of its reports in the window was planted away.
                let candidates = schoolPool.filter { c in
                    !used.contains(c) && (max(0, d - 14)..<d).allSatisfy { plan.problem(of: c, day: $0) == nil }
                }
                if let c = candidates.first { used.insert(c); today[.spike] = [c] }
            }
            plan.daily[d] = today
        }
    }

    /// Person-level plants: bad IDs, a duplicate, observation problems, duty and cases.
    private mutating func plantPeople(kindergartens: [String], schools: [String], training: [String]) {
        func person(_ code: String, _ k: Int, where ok: (SamplePerson) -> Bool = { _ in true }) -> Int? {
            people[code]!.indices.filter { ok(people[code]![$0]) }.dropFirst(k).first
        }
        let a = schools[0], b = schools[1], c = kindergartens[0], t = training[0]
        if let i = person(a, 0) {    // wrong check digit
            var id = Array(people[a]![i].idNumber)
            id[17] = id[17] == "1" ? "2" : "1"
            people[a]![i].typedID = String(id)
        }
        if let i = person(a, 1) { people[a]![i].typedID = String(people[a]![i].idNumber.prefix(17)) }   // 17 characters
        if let i = person(b, 0) { people[b]![i].typedGender = 1 - people[b]![i].gender }
        if let i = person(c, 0), let j = person(b, 2) {     // the same child on two rosters
            people[c]![i].idNumber = people[b]![j].idNumber
            people[c]![i].gender = people[b]![j].gender
        }
        let plainInCity: (SamplePerson) -> Bool = { !$0.staysAway && $0.returnDay == nil && !$0.hubei }
        if let i = person(a, 3, where: plainInCity) {     // came back at the day-7 resend, no observation
            people[a]![i].returnDay = 7
            people[a]![i].observationOverride = (0, nil, nil)
        }
        if let i = person(b, 3, where: plainInCity) {     // observed for 10 days only
            people[b]![i].returnDay = 7
            people[b]![i].observationOverride = (1, 7, 16)
        }
        if let i = person(t, 0, where: plainInCity) {     // a worker on duty while under home observation
            people[t]![i].returnDay = -3
            people[t]![i].onDutyOverride = true
        }
        if let i = person(c, 2, where: plainInCity) { people[c]![i].health = 1 }     // fever
        if let i = person(b, 4, where: plainInCity) { people[b]![i].health = 2 }     // suspected
    }
}
