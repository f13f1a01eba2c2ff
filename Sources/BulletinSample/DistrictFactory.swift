import BulletinCore

/// Builds the sample district: institutions in the real proportions and their people.
struct DistrictFactory {
    var r: SeededRandom
    let scale: Double

    /// Categories of the 64 primary and secondary schools: primary, junior, senior, nine-year, complete, special, vocational.
    static let schoolCategories: [(InstitutionCategory, Int)] = [(.primary, 36), (.junior, 14), (.senior, 5), (.nineYear, 4),
                                                                  (.complete, 2), (.special, 1), (.vocational, 2)]

    mutating func institutions(district k: Int) -> [SampleInstitution] {
        let prefix = k == 0 ? "HY" : "D\(k)"
        var list: [SampleInstitution] = []
        for n in 1...163 {
            let place = r.pick(Names.places)
            list.append(SampleInstitution(code: "\(prefix)K\(zeroPadded(width: 3, n))", name: "槐荫区\(place)第\(n)幼儿园",
                                          category: .kindergarten, street: r.pick(Names.streets),
                                          enrolled: scaled(r.int(60...260)), staffCount: 0))
        }
        var n = 0
        for (category, count) in DistrictFactory.schoolCategories {
            for _ in 0..<count {
                n += 1
                let suffix = ["", "小学", "初级中学", "高级中学", "学校", "中学", "特殊教育学校", "职业中等专业学校"][category.ordinal]
                let size = category == .special ? r.int(80...150) : (category == .primary ? r.int(500...2500) : r.int(600...2200))
                list.append(SampleInstitution(code: "\(prefix)S\(zeroPadded(width: 3, n))",
                                              name: "济南市槐荫区\(r.pick(Names.places))\(suffix)\(n)",
                                              category: category, street: r.pick(Names.streets),
                                              enrolled: scaled(size), staffCount: 0))
            }
        }
        for n in 1...228 {
            list.append(SampleInstitution(code: "\(prefix)T\(zeroPadded(width: 3, n))",
                                          name: "济南\(r.pick(Names.places))\(r.pick(["文化", "艺术", "英语", "书法", "舞蹈", "编程"]))培训学校\(n)",
                                          category: .training, street: r.pick(Names.streets), enrolled: 0, staffCount: 0))
        }
        return list
    }

    func scaled(_ v: Int) -> Int { max(1, Int((Double(v) * scale).rounded())) }

    /// The people of `institution`; sets its staff count.
    mutating func people(of institution: inout SampleInstitution, ids: inout Set<String>) -> [SamplePerson] {
        var people: [SamplePerson] = []
        let group = institution.group
        let students = group == .training ? 0 : institution.enrolled
        let staff: Int
        switch group {
        case .kindergarten: staff = scaled(r.int(10...30))
        case .school: staff = scaled(institution.enrolled / 14 + r.int(5...20))
        case .training: staff = max(2, scaled(r.int(5...16)))
        }
        institution.staffCount = staff
        var recentReturns = 0
        for i in 0..<(students + staff) {
            let type = i < students ? 0 : (group == .training ? 2 : 1)
            let gender = r.int(0...1)
            var id: String
            repeat {
                id = Names.idNumber(&r, birthYear: type == 0 ? r.int(2004...2017) : r.int(1965...1998), gender: gender)
            } while !ids.insert(id).inserted
            var p = SamplePerson(code: institution.code, type: type, name: Names.person(&r), gender: gender, idNumber: id,
                                 phone: Names.mobile(&r), street: r.pick(Names.streets))
            let roll = r.int(0...999)
            if roll < 40 {
                p.staysAway = true
                p.awayTo = r.pick(Names.awayTo)
                p.hubei = p.awayTo.hasPrefix("湖北")
            } else if roll < 45 {
                p.hubei = true
                p.returnDay = -r.int(20...30)
            } else if roll < 60, recentReturns < 2 {
                recentReturns += 1
                p.returnDay = -r.int(0...12)
                p.awayTo = r.pick(Names.awayTo)
            } else if roll < 75 {
                p.returnDay = -r.int(15...40)
            }
            p.frontline = type == 0 && r.chance(0.01)
            people.append(p)
        }
        // Up to one person comes back at each weekly roster resend.
        for day in [7, 14, 21, 28] where r.chance(0.35) {
            if let i = people.indices.filter({ people[$0].staysAway && !people[$0].hubei }).first {
                people[i].staysAway = false
                people[i].returnDay = day
            }
        }
        return people
    }
}
