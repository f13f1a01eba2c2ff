import BulletinCore
import BulletinValidate

/// 督导检查: training institutions must stay suspended; findings must be fixed by their deadline.
enum InspectionRules: RuleFamily {
    static let rules: [Rule] = [.trainingOperating, .rectificationOverdue]

    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] {
        let (inspections, anomalies) = check(day.inputs.inspections, expected: day.expected, context: day.context)
        summary.inspections = inspections
        return anomalies
    }

    static func check(_ inspections: [Inspection], expected: [Institution], context: RuleContext)
        -> (Summary.Inspections, [Anomaly]) {
        let date = context.date
        var s = Summary.Inspections()
        var out: [Anomaly] = []
        var inspected = Set<String>()
        var operating = Set<String>(), overdue = Set<String>()
        for i in inspections {
            let group = context.registry[i.code]?.group
            s.cumulative += 1
            s.cumulativeByKind[i.kind, default: 0] += 1
            if let group { s.cumulativeByGroup[group, default: 0] += 1 }
            s.noticesCumulative += i.notices ?? 0
            inspected.insert(i.code)
            if i.date == date {
                s.onDay += 1
                s.onDayByKind[i.kind, default: 0] += 1
                if let group { s.onDayByGroup[group, default: 0] += 1 }
                if group == .training, i.suspended == false, operating.insert(i.code).inserted {
                    out.append(context.anomaly(.trainingOperating, code: i.code, position: i.position,
                                               "\(date.chinese)检查发现该校外培训机构未停课"))
                }
            }
            if let deadline = i.fixDeadline {
                let fixed = i.fixedDate.map { $0 <= date } ?? false
                if !fixed { s.openFindings += 1 }
                if !fixed && deadline < date {
                    s.overdueFindings += 1
                    if overdue.insert(i.code).inserted {
                        out.append(context.anomaly(.rectificationOverdue, code: i.code, position: i.position,
                                                   "\(i.date)检查发现的问题整改期限为\(deadline)，至\(date.chinese)仍未整改完成"))
                    }
                }
            }
        }
        s.trainingOperating = operating.count
        s.neverInspected = expected.filter { !inspected.contains($0.code) }.count
        return (s, out)
    }
}
