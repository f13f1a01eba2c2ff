import BulletinCore
import BulletinValidate

/// 温暖在线: every roster student marked 一线人员子女 is contacted every day (matched by ID number).
enum CareRules {
    static func check(rosters: RosterInForce, contacts: [CareContact], context: RuleContext) -> (Summary.Care, [Anomaly]) {
        var summary = Summary.Care()
        var out: [Anomaly] = []
        let contacted = Set(contacts.map(\.studentID))
        var children = Set<String>()
        rosters.forEachEntry { e in
            guard e.personType == 0, e.frontlineFamily == true, children.insert(e.idNumber).inserted else { return }
            if contacted.contains(e.idNumber) {
                summary.contacted += 1
            } else {
                out.append(context.anomaly(.careContactGap, code: e.code, person: Masking.idNumber(e.idNumber),
                                           position: e.position, "一线人员子女\(context.date.chinese)未联系"))
            }
        }
        summary.children = children.count
        summary.contacts = contacts.count
        var attention = Set<String>()
        for c in contacts where c.mood == 2 && attention.insert("\(c.code)\u{1}\(c.studentID)").inserted {
            out.append(context.anomaly(.careNeedsAttention, code: c.code, person: Masking.idNumber(c.studentID),
                                       position: c.position, "联系记录显示心理状态需关注"))
        }
        summary.needsAttention = Set(contacts.filter { $0.mood == 2 }.map(\.studentID)).count
        return (summary, out)
    }
}
