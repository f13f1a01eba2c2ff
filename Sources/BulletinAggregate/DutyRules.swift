import BulletinCore
import BulletinValidate

/// 下沉干部: every post staffed by its required number of cadres; no cadre in two overlapping shifts.
enum DutyRules {
    static func check(shifts all: [DutyShift], context: RuleContext) -> (Summary.Duty, [Anomaly]) {
        let date = context.date
        let today = all.filter { $0.date == date }
        var summary = Summary.Duty()
        summary.shifts = today.count
        summary.cadres = Set(today.map(\.cadreID)).count
        summary.minutes = today.reduce(0) { $0 + ($1.end.seconds - $1.start.seconds) / 60 }
        summary.temperatureChecks = today.reduce(0) { $0 + ($1.temperatureChecks ?? 0) }
        var out: [Anomaly] = []
        summary.postsRequired = context.parameters.dutyPosts.count
        for post in context.parameters.dutyPosts {
            let cadres = Set(today.filter { $0.post == post.name }.map(\.cadreID)).count
            if cadres >= post.cadres {
                summary.postsCovered += 1
            } else {
                out.append(context.anomaly(.postUncovered, code: "", "值守点位“\(post.name)”\(date.chinese)安排\(cadres)人，需\(post.cadres)人"))
            }
        }
        // Overlaps among a cadre's shifts of the day and the night before (one of them must be today's).
        let byCadre = Dictionary(grouping: all, by: \.cadreID)
        for id in byCadre.keys.sorted() {
            let shifts = byCadre[id]!.sorted { $0.start < $1.start }
            var clash: (DutyShift, DutyShift)?
            for i in shifts.indices where clash == nil {
                for j in shifts.indices where j > i && clash == nil {
                    let a = shifts[i], b = shifts[j]
                    if a.start < b.end && b.start < a.end && (a.date == date || b.date == date) { clash = (a, b) }
                }
            }
            if let (a, b) = clash {
                out.append(context.anomaly(.cadreDoubleBooked, code: "", person: Masking.idNumber(id), position: b.position,
                                           "\(a.cadreName)同时排班：\(a.post) \(a.start)–\(a.end) 与 \(b.post) \(b.start)–\(b.end)"))
            }
        }
        return (summary, out)
    }
}
