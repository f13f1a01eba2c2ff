import BulletinCore
import Foundation

extension SampleGenerator {
    /// The registry on day 0, and a revision closing one training institution.
    mutating func writeRegistry() throws {
        try writeRegistry(day: 0)
        // The revision that closes a training institution (on day 0 the first registry already has it closed).
        if let closed = plan.closed, closed.day > 0 { try writeRegistry(day: closed.day) }
    }

    private mutating func writeRegistry(day: Int) throws {
        let style = config.uniformTyping ? TypingStyle.plain
            : TypingStyle(english: false, shuffle: false, title: true, dateStyle: 0, fullWidth: false, encoding: 1)
        let (names, order) = header(.institutions, style: style)
        let rows: [[String]] = institutions.map { i in
            let closed = plan.closed.map { $0.code == i.code && day >= $0.day } ?? false
            let cells = [i.code, i.name, i.category.label, (i.category == .training ? Ownership.private : .public).label, i.street,
                         "\(i.street)\(r.int(1...300))号", String(i.enrolled), String(i.staffCount), Names.person(&r),
                         Names.mobile(&r), closed ? "停办" : "正常"]
            return order.map { cells[$0] }
        }
        let sheet = SheetSpec(name: "机构名录", titleRows: style.title ? [["槐荫区教育系统机构名录"]] : [], header: names, rows: rows)
        _ = try write([sheet], relative: "registry/\(date(day))", style: style)
    }

    /// Roster snapshots: every institution on day 0, then weekly (stale ones stop).
    mutating func writeRosters(day d: Int) throws {
        guard d % 7 == 0 else { return }
        for institution in institutions {
            let code = institution.code
            if let closed = plan.closed, closed.code == code, d >= closed.day { continue }
            if d > 0 && plan.staleRosters.contains(code) { continue }
            let rows = people[code]!.map { RosterRow($0, asOf: d) }
            let style = TypingStyle.random(&r, encodings: config.csvEncodings, uniform: config.uniformTyping)
            let (names, order) = header(.roster, style: style)
            var data: [[String]] = []
            var rejectRow: Int?
            // On each resend one roster carries a person type nobody can read.
            let plantsReject = config.plantProblems && code == institutions[(d / 7 * 31 + 5) % institutions.count].code
            for (k, row) in rows.enumerated() {
                let p = row.person
                var type = label(PersonType.self, p.type)
                if plantsReject && k == rows.count - 1 {
                    type = "老师"
                    rejectRow = k
                }
                let gender = p.typedGender ?? p.gender
                let cells: [String] = [
                    style.rowDate(date(d)), code, type, p.name, label(Gender.self, gender), row.id, p.phone, p.street,
                    label(Whereabouts.self, row.location), row.location == 1 ? p.awayTo : "",
                    row.returnDay.map { style.date(date($0)) } ?? "", p.hubei ? "是" : "否", label(HealthStatus.self, p.health),
                    label(ObservationKind.self, row.observation), row.observationStart.map { style.date(date($0)) } ?? "",
                    row.observationEnd.map { style.date(date($0)) } ?? "", row.onDuty.map { $0 ? "是" : "否" } ?? "",
                    p.type == 0 ? (p.frontline ? "是" : "否") : "", "",
                ]
                data.append(order.map { cells[$0] })
            }
            var sheet = SheetSpec(name: "花名册", header: names, rows: data)
            if style.title { sheet.titleRows = [["\(institution.name)人员摸排花名册"], ["填报单位：\(institution.name)"]] }
            let source = try write([sheet], relative: "\(date(d))/花名册/\(code)", style: style)
            var seen = rows
            if let k = rejectRow {
                seen.remove(at: k)
                expectedRejects[d, default: []].append("\(source)|\(sheet.rowNumber(ofDataRow: k))|bad_enum")
            }
            snapshots[code, default: [:]][d] = seen
        }
    }

    /// Files that are not forms, or cannot be read at all.
    mutating func writeJunk(day d: Int) throws {
        guard config.plantProblems, d % 5 == 3 else { return }
        let folder = "\(date(d))/其他"
        let contacts = "姓名,电话\n张三,\(Names.mobile(&r))\n"
        try SampleFileWriter.write(Array(contacts.utf8), to: root.appendingPathComponent("\(folder)/通讯录.csv"))
        expectedRejects[d, default: []].append("\(folder)/通讯录.csv||unknown_form")
        try SampleFileWriter.write([0xFF, 0xFE, 0x00, 0x41, 0xFF, 0x80, 0x81], to: root.appendingPathComponent("\(folder)/损坏.csv"))
        expectedRejects[d, default: []].append("\(folder)/损坏.csv||unreadable_file")
    }
}
