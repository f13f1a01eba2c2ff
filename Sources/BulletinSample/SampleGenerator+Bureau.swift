import BulletinCore

/// A duty shift the generator wrote (the truth of 下沉干部).
struct SampleShift {
    var day: Int
    var cadre: Int
    var post: String
    /// Seconds after the duty day's midnight; the end may pass the next midnight.
    var start: Int
    var end: Int
}

/// An inspection the generator wrote (the truth of 督导检查).
struct SampleInspection {
    var day: Int
    var code: String
    var kind: Int
    var suspended: Bool?
    var deadline: Int?
    var fixed: Int?
}

extension SampleGenerator {
    /// The 56 bureau cadres sent to community posts: name and ID number.
    mutating func cadres() -> [(name: String, id: String)] {
        if cadreList.isEmpty {
            var rr = SeededRandom(seed: config.seed &+ 56)
            cadreList = (0..<56).map { _ in (Names.person(&rr), Names.idNumber(&rr, birthYear: rr.int(1966...1995), gender: rr.int(0...1))) }
        }
        return cadreList
    }

    /// 温暖在线: each front-line worker's child is called every day; one child is missed, one needs attention.
    mutating func writeCare(day d: Int) throws {
        var rows: [[String]] = []
        let style = TypingStyle.random(&r, encodings: config.csvEncodings, uniform: config.uniformTyping)
        let (names, order) = header(.care, style: style)
        var k = 0
        for institution in institutions where institution.group != .training {
            for p in people[institution.code]! where p.type == 0 && p.frontline {
                k += 1
                if config.plantProblems && d > 0 && k == d % 7 + 1 { continue }
                careContacted[d, default: []].insert(p.idNumber)
                let attention = config.plantProblems && k == d % 5 + 3
                if attention { careAttention[d, default: []].append("care_needs_attention|\(institution.code)|\(Masking.idNumber(p.idNumber))") }
                let cells = [style.rowDate(date(d)), institution.code, p.name, p.idNumber, Names.person(&r),
                             r.pick(["医生", "护士", "疾控", "公安", "社区"]), r.chance(0.1) ? "是" : "否", Names.person(&r),
                             r.pick(["电话", "视频", "微信"]), attention ? "需关注" : r.pick(["良好", "一般"]),
                             r.pick(["正常", "需辅导"]), ""]
                rows.append(order.map { cells[$0] })
            }
        }
        guard !rows.isEmpty else { return }
        var sheet = SheetSpec(name: "关爱记录", header: names, rows: rows)
        if style.title { sheet.titleRows = [["温暖在线关爱记录"]] }
        _ = try write([sheet], relative: "\(date(d))/温暖在线/关爱记录", style: style)
    }

    /// 下沉干部: each post staffed as required, two shifts a day; planted gaps, clashes and a quiet night shift.
    mutating func writeDuty(day d: Int) throws {
        let cadres = cadres()
        let posts = PipelineParameters().dutyPosts
        let slots = posts.flatMap { post in Array(repeating: post.name, count: post.cadres) }
        var shifts: [SampleShift] = []
        let skip = config.plantProblems && d > 0 ? d % slots.count : -1
        for (j, post) in slots.enumerated() where j != skip {
            let early = j % 2 == 0
            shifts.append(SampleShift(day: d, cadre: (d * slots.count + j) % cadres.count, post: post,
                                      start: early ? 8 * 3600 : 16 * 3600, end: early ? 16 * 3600 : 24 * 3600))
        }
        if config.plantProblems && d > 0 {
            // One cadre booked twice on the day.
            let base = shifts[(d * 3) % shifts.count]
            shifts.append(SampleShift(day: d, cadre: base.cadre, post: "集中中转站", start: base.start + 2 * 3600,
                                      end: base.start + 6 * 3600))
            markDoubleBooked(day: d, cadres[base.cadre].id)
            // A cadre off duty today takes a night shift to 06:00: it touches tomorrow but clashes with nothing.
            shifts.append(SampleShift(day: d, cadre: (d * slots.count + slots.count + 1) % cadres.count, post: "留观点",
                                      start: 22 * 3600, end: 30 * 3600))
            // A night shift to 09:00 for tomorrow's first early-shift cadre: the clash is tomorrow's, across midnight.
            if d % 4 == 1 && (d + 1) % slots.count != 0 {
                let tomorrow = ((d + 1) * slots.count) % cadres.count
                shifts.append(SampleShift(day: d, cadre: tomorrow, post: "留观点", start: 20 * 3600, end: 33 * 3600))
                markDoubleBooked(day: d + 1, cadres[tomorrow].id)
            }
        }
        // A shift typed with full date-times from midnight (a date-time cell at 00:00 in workbooks).
        let fromMidnight = config.plantProblems && d % 3 == 0 ? shifts.count : nil
        if fromMidnight != nil {
            shifts.append(SampleShift(day: d, cadre: (d * slots.count + slots.count + 2) % cadres.count, post: "集中中转站",
                                      start: 0, end: 6 * 3600))
        }
        dutyShifts += shifts
        let style = TypingStyle.random(&r, encodings: config.csvEncodings, uniform: config.uniformTyping)
        let (names, order) = header(.duty, style: style)
        let startColumn = order.firstIndex(of: DutyColumn.start.rawValue)!, endColumn = order.firstIndex(of: DutyColumn.end.rawValue)!
        var typed: [Int: [Int: WorkbookCell]] = [:]
        let rows: [[String]] = shifts.enumerated().map { k, s in
            let time = { (t: Int) in "\(t / 3600 % 24):\(zeroPadded(width: 2, t / 60 % 60))" }
            var start = time(s.start), end = time(s.end)
            if k == fromMidnight {
                let from = LocalDateTime(date: date(d), secondOfDay: s.start), to = LocalDateTime(date: date(d), secondOfDay: s.end)
                start = style.dateTime(from)
                end = style.dateTime(to)
                typed[k] = [startColumn: .dateTime(from), endColumn: .dateTime(to)]
            } else if k % 2 == 0 {
                // Half the rows typed as Excel time cells (0:00 for a shift ending at midnight), half as text.
                typed[k] = [startColumn: .time(s.start % 86_400), endColumn: .time(s.end % 86_400)]
            }
            let cells = [style.rowDate(date(d)), cadres[s.cadre].name, cadres[s.cadre].id, "机关科室", s.post,
                         start, end, "是", style.count(r.int(20...200)), ""]
            return order.map { cells[$0] }
        }
        var sheet = SheetSpec(name: "值班表", header: names, rows: rows)
        sheet.workbookCells = typed
        if style.title { sheet.titleRows = [["槐荫区教体局下沉干部值班表"]] }
        _ = try write([sheet], relative: "\(date(d))/下沉干部/值班表", style: style)
    }

    /// Plants a `cadre_double_booked` on day `d`, once per cadre.
    private mutating func markDoubleBooked(day d: Int, _ id: String) {
        if !(doubleBooked[d] ?? []).contains(id) { doubleBooked[d, default: []].append(id) }
    }

    /// 督导检查: training patrols (all suspended but a planted one), kindergarten checks and school
    /// supervision with findings fixed early, on the deadline, late, or never.
    mutating func writeInspections(day d: Int) throws {
        let closed = plan.closed?.code
        let training = institutions.filter { $0.group == .training && $0.code != closed }
        let others = institutions.filter { $0.group != .training }
        var list: [SampleInspection] = []
        for k in 0..<12 {
            let t = training[(d * 12 + k) % training.count]
            let operating = config.plantProblems && d % 3 == 1 && k == 0
            let blank = config.plantProblems && d % 6 == 2 && k == 1
            list.append(SampleInspection(day: d, code: t.code, kind: 2, suspended: blank ? nil : !operating))
        }
        for k in 0..<4 {
            let o = others[(d * 4 + k) % others.count]
            let finding = config.plantProblems
            // Fixed the day before the deadline, on it, two days late, never.
            let fixed: Int? = [d + 2, d + 3, d + 5, nil][k]
            list.append(SampleInspection(day: d, code: o.code, kind: o.group == .kindergarten ? 1 : 0, suspended: nil,
                                         deadline: finding ? d + 3 : nil, fixed: finding ? fixed : nil))
        }
        let style = TypingStyle.random(&r, encodings: config.csvEncodings, uniform: config.uniformTyping)
        let (names, order) = header(.inspections, style: style)
        let rows: [[String]] = list.map { i in
            let cells = [style.rowDate(date(d)), i.code, "第\(d % 5 + 1)检查组", label(InspectionKind.self, i.kind),
                         i.suspended.map { $0 ? "是" : "否" } ?? "", i.deadline == nil ? "0" : "1",
                         i.deadline == nil ? "" : "消毒记录不全", i.deadline.map { style.date(date($0)) } ?? "",
                         i.fixed.map { style.date(date($0)) } ?? "", i.kind == 2 ? "1" : "0", ""]
            return order.map { cells[$0] }
        }
        var sheet = SheetSpec(name: "检查记录", header: names, rows: rows)
        if style.title { sheet.titleRows = [["督导检查记录"]] }
        let source = try write([sheet], relative: "\(date(d))/督导检查/检查记录", style: style)
        for (k, i) in list.enumerated() where i.suspended == nil && i.kind == 2 {
            expectedRejects[d, default: []].append("\(source)|\(sheet.rowNumber(ofDataRow: k))|missing_value")
        }
        inspectionList += list.filter { !($0.suspended == nil && $0.kind == 2) }
    }
}
