import BulletinCore
import BulletinValidate

/// 温暖在线: every roster student marked 一线人员子女 is contacted every day (matched by ID number).
enum CareRules: RuleFamily {
    static let rules: [Rule] = [.careContactGap, .careNeedsAttention]

    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] {
        let (care, anomalies) = check(rosters: day.rosters, contacts: day.inputs.careContacts, context: day.context)
        summary.care = care
        return anomalies
    }

    static func check(rosters: RosterInForce, contacts: [CareContact], context: RuleContext) -> (Summary.Care, [Anomaly]) {
        var summary = Summary.Care()
        var out: [Anomaly] = []
        let contacted = Set(contacts.map(\.student.pseudonym))
        var children = Set<Pseudonym>()
        rosters.forEachEntry { e in
            guard e.pointee.personType == .student, e.pointee.frontlineFamily == true, children.insert(e.pointee.person.pseudonym).inserted else { return }
            if contacted.contains(e.pointee.person.pseudonym) {
                summary.contacted += 1
            } else {
                out.append(context.anomaly(.careContactGap, code: e.pointee.code, person: e.pointee.person.masked,
                                           position: e.pointee.position, "一线人员子女\(context.date.chinese)未联系"))
            }
        }
        summary.children = children.count
        summary.contacts = contacts.count
        struct Listed: Hashable { let code: String, student: Pseudonym }
        var attention = Set<Listed>()
        for c in contacts where c.mood == .needsAttention && attention.insert(Listed(code: c.code, student: c.student.pseudonym)).inserted {
            out.append(context.anomaly(.careNeedsAttention, code: c.code, person: c.student.masked,
                                       position: c.position, "联系记录显示心理状态需关注"))
        }
        summary.needsAttention = Set(contacts.filter { $0.mood == .needsAttention }.map(\.student)).count
        return (summary, out)
    }
}
