import BulletinCore
import BulletinValidate

/// 下沉干部: every post staffed by its required number of cadres; no cadre in two overlapping shifts.
enum DutyRules: RuleFamily {
    static let rules: [Rule] = [.postUncovered, .cadreDoubleBooked]

    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] {
        let (duty, anomalies) = check(shifts: day.inputs.dutyShifts, context: day.context)
        summary.duty = duty
        return anomalies
    }

    static func check(shifts all: [DutyShift], context: RuleContext) -> (Summary.Duty, [Anomaly]) {
        let date = context.date
        let today = all.filter { $0.date == date }
        var summary = Summary.Duty()
        summary.shifts = today.count
        summary.cadres = Set(today.map(\.cadre)).count
        summary.minutes = today.reduce(0) { $0 + ($1.end.seconds - $1.start.seconds) / 60 }
        summary.temperatureChecks = today.reduce(0) { $0 + ($1.temperatureChecks ?? 0) }
        var out: [Anomaly] = []
        summary.postsRequired = context.parameters.dutyPosts.count
        for post in context.parameters.dutyPosts {
            let cadres = Set(today.filter { $0.post == post.name }.map(\.cadre)).count
            if cadres >= post.cadres {
                summary.postsCovered += 1
            } else {
                out.append(context.anomaly(.postUncovered, code: "", "值守点位“\(post.name)”\(date.chinese)安排\(cadres)人，需\(post.cadres)人"))
            }
        }
        // Overlaps among a cadre's shifts of the day and the night before (one of them must be today's).
        let byCadre = Dictionary(grouping: all, by: \.cadre)
        for id in byCadre.keys.sorted() {
            if let (a, b) = firstClash(byCadre[id]!.sorted { $0.start < $1.start }, date: date) {
                out.append(context.anomaly(.cadreDoubleBooked, code: "", person: id.masked, position: b.position,
                                           "\(a.cadreName)同时排班：\(a.post) \(a.start)–\(a.end) 与 \(b.post) \(b.start)–\(b.end)"))
            }
        }
        return (summary, out)
    }

    /// The first overlapping pair (by the earlier shift, then the later) of shifts sorted by start,
    /// one of them dated `date`, in one sweep: a later shift starts no earlier, so it overlaps
    /// `a` exactly when it starts before `a` ends, and the first candidate is the only one to try.
    static func firstClash(_ shifts: [DutyShift], date: LocalDate) -> (DutyShift, DutyShift)? {
        // nextToday[k]: the first index ≥ k of a shift dated `date`.
        var nextToday = [Int](repeating: shifts.count, count: shifts.count + 1)
        for k in shifts.indices.reversed() { nextToday[k] = shifts[k].date == date ? k : nextToday[k + 1] }
        for i in shifts.indices {
            let a = shifts[i]
            let j = a.date == date ? i + 1 : nextToday[i + 1]
            if j < shifts.count, shifts[j].start < a.end { return (a, shifts[j]) }
        }
        return nil
    }
}
