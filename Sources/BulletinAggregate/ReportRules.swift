import BulletinCore
import BulletinValidate

/// The daily-report rules of the catalog: reporting, internal consistency and cases.
enum ReportRules: RuleFamily {
    static let rules: [Rule] = [.missingReport, .lateReport, .duplicateReport, .unknownInstitution, .nameMismatch,
                                .zeroFlagMismatch, .sumMismatch, .countExceedsTotal, .enrollmentDeviation,
                                .totalRowMismatch, .casesReported]

    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] {
        check(expected: day.expected, byCode: day.byCode, winners: day.winners, dailyRejects: day.inputs.dailyRejects,
              totalRows: day.inputs.totalRows, context: day.context)
    }

    static func check(expected: [Institution], byCode: [String: [DailyReport]], winners: [String: DailyReport],
                      dailyRejects: [Reject], totalRows: [TotalRow], context: RuleContext) -> [Anomaly] {
        var out: [Anomaly] = []
        let date = context.date
        for institution in expected {
            let code = institution.code
            guard let w = winners[code] else {
                out.append(context.anomaly(.missingReport, code: code, "\(date.chinese)未收到有效日报"))
                continue
            }
            let rows = byCode[code] ?? []
            if rows.count > 1 {
                out.append(context.anomaly(.duplicateReport, code: code, position: w.position,
                                           "同一天报送了\(rows.count)份日报，以填报时间最晚的一份（\(w.submittedAt)）为准"))
            }
            out += checkWinner(w, institution: institution, context: context)
        }
        out += unknownInstitutions(byCode: byCode, dailyRejects: dailyRejects, context: context)
        out += totalRowMismatches(totalRows, context: context)
        return out
    }

    /// Rules applied to an institution's winning report.
    static func checkWinner(_ w: DailyReport, institution: Institution, context: RuleContext) -> [Anomaly] {
        var out: [Anomaly] = []
        let code = institution.code
        func add(_ rule: Rule, _ message: String) {
            out.append(context.anomaly(rule, code: code, position: w.position, message))
        }
        if w.submittedAt > context.deadline {
            add(.lateReport, "填报时间\(w.submittedAt)晚于截止时间\(context.deadline)")
        }
        if !w.name.isEmpty, w.name != institution.name {
            add(.nameMismatch, "日报机构名称“\(w.name)”与名录“\(institution.name)”不一致")
        }
        let caseTotal = Figure.cases.reduce(0) { $0 + w.counts.figure($1, of: .students) + w.counts.figure($1, of: .staff) }
        if w.zeroReport != (caseTotal == 0) {
            add(.zeroFlagMismatch, w.zeroReport
                ? "标记为零报告，但报告了发热、疑似或确诊共\(caseTotal)人"
                : "标记为非零报告，但发热、疑似、确诊人数均为0")
        }
        var sumProblems: [String] = []
        var exceeds: [String] = []
        for population in Population.allCases {
            func f(_ figure: Figure) -> Int { w.counts.figure(figure, of: population) }
            let total = f(.total), inCity = f(.inCity), away = f(.away)
            if inCity + away != total {
                sumProblems.append("在济\(population.chinese)\(inCity)+离济\(population.chinese)\(away)=\(inCity + away)，"
                                   + "不等于\(population.chinese)总数\(total)")
            }
            for figure in Figure.allCases where figure != .total && f(figure) > total {
                exceeds.append("\(figure.chinese)\(population.chinese)\(f(figure))超过\(population.chinese)总数\(total)")
            }
        }
        let students = w.counts.figure(.total, of: .students)
        if let v = w.counts[.onlineLearners], v > students { exceeds.append("空中课堂参学人数\(v)超过学生总数\(students)") }
        if let v = w.counts[.onlineDifficulty], v > students { exceeds.append("在线学习困难学生数\(v)超过学生总数\(students)") }
        if !sumProblems.isEmpty { add(.sumMismatch, sumProblems.joined(separator: "；")) }
        if !exceeds.isEmpty { add(.countExceedsTotal, exceeds.joined(separator: "；")) }

        let enrolled = institution.enrolledStudents
        let percent = context.parameters.enrollmentDeviationPercent
        if 100 * abs(students - enrolled) > percent * enrolled {
            add(.enrollmentDeviation, "学生总数\(students)与在册学生数\(enrolled)相差\(abs(students - enrolled))人，超过\(percent)%")
        }
        if caseTotal > 0 {
            var parts: [String] = []
            for population in Population.allCases {
                for figure in Figure.cases where w.counts.figure(figure, of: population) > 0 {
                    parts.append("\(figure.chinese)\(population.chinese)\(w.counts.figure(figure, of: population))人")
                }
            }
            add(.casesReported, "报告" + parts.joined(separator: "，"))
        }
        return out
    }

    /// Daily-report rows for the date naming a code the registry in force does not hold, one per code.
    static func unknownInstitutions(byCode: [String: [DailyReport]], dailyRejects: [Reject],
                                    context: RuleContext) -> [Anomaly] {
        var firstPosition: [String: Position] = [:]
        for (code, rows) in byCode where context.registry[code] == nil {
            firstPosition[code] = rows.map(\.position).min { ($0.source, $0.row ?? 0) < ($1.source, $1.row ?? 0) }
        }
        for reject in dailyRejects {
            guard let code = reject.institutionCode, context.registry[code] == nil else { continue }
            let p = reject.position
            if let known = firstPosition[code], (known.source, known.row ?? 0) <= (p.source, p.row ?? 0) { continue }
            firstPosition[code] = Position(source: p.source, row: p.row)
        }
        return firstPosition.map { code, position in
            context.anomaly(.unknownInstitution, code: code, position: position, "机构代码“\(code)”不在\(context.date.chinese)有效的机构名录中")
        }
    }

    /// 合计 rows whose counts differ from the usable rows above them.
    static func totalRowMismatches(_ totals: [TotalRow], context: RuleContext) -> [Anomaly] {
        totals.compactMap { total in
            guard total.dates.contains(context.date) else { return nil }
            let differences = total.stated.keys.sorted().compactMap { column -> String? in
                let stated = total.stated[column]!, summed = total.summed[column] ?? 0
                guard stated != summed else { return nil }
                return "\(DailyColumn(rawValue: column)!.spec.chinese)合计\(stated)，明细之和\(summed)"
            }
            guard !differences.isEmpty else { return nil }
            let code = total.codes.count == 1 ? total.codes.first! : ""
            return context.anomaly(.totalRowMismatch, code: code, position: total.position,
                                   "合计行与上方明细不符：" + differences.joined(separator: "；"))
        }
    }
}
