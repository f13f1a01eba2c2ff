import BulletinAggregate
import BulletinCore
import BulletinTestSupport
@_spi(Testing) import BulletinValidate
import Testing

func shift(_ id: String, post: String = "济南西站", day d: LocalDate = day, from: Int, to: Int, row: Int = 2) -> DutyShift {
    let start = LocalDateTime(date: d, secondOfDay: from * 3600)
    var end = LocalDateTime(date: d, secondOfDay: to * 3600)
    if end <= start { end = LocalDateTime(seconds: end.seconds + 86_400) }
    return DutyShift(date: d, cadreName: "干*", cadre: Pseudonymizer.testing.person(id, asOf: d), post: post, start: start, end: end, checkedIn: true,
                     temperatureChecks: 10, position: Position(source: "duty.csv", row: row))
}

func inspection(_ code: String, on d: LocalDate = day, kind: InspectionKind = .trainingPatrol, suspended: Bool? = true,
                deadline: LocalDate? = nil, fixed: LocalDate? = nil) -> Inspection {
    Inspection(date: d, code: code, kind: kind, suspended: suspended, issuesFound: deadline == nil ? 0 : 1, findings: nil,
               fixDeadline: deadline, fixedDate: fixed, notices: 1, position: Position(source: "insp.csv", row: 2))
}

func aggregateBureau(roster: [RosterEntry] = [], care: [CareContact] = [], duty: [DutyShift] = [],
                     inspections: [Inspection] = [], posts: [DutyPost] = [DutyPost(name: "济南西站", cadres: 1)]) -> DayResult {
    var p = PipelineParameters()
    p.dutyPosts = posts
    let registry = Dictionary(uniqueKeysWithValues: [institution("A"), institution("T", category: .training)].map { ($0.code, $0) })
    let inputs = DayInputs(date: day, registry: registry, dailyReports: [], rejects: [], dailyRejects: [], totalRows: [],
                           rosters: RosterInForce(entries: roster, registry: registry, on: day),
                           careContacts: care, dutyShifts: duty, inspections: inspections)
    return DayAggregator.aggregate(inputs, parameters: p)
}

struct CareRuleTests {
    func child(_ id: String) -> RosterEntry {
        var e = person("A", id: id)
        e.frontlineFamily = true
        return e
    }

    func contact(_ id: String, method: ContactMethod = .phone, mood: Mood = .good) -> CareContact {
        CareContact(date: day, code: "A", student: Pseudonymizer.testing.person(id, asOf: day), method: method, mood: mood, position: Position(source: "care.csv", row: 3))
    }

    @Test func everyFrontlineChildContactedAnyWayIncludingVideo() {
        let r = aggregateBureau(roster: [child(womanX), child(leapMan)], care: [contact(womanX, method: .video)])
        #expect(r.fired(.careContactGap) == [Masking.idNumber(leapMan)])
        #expect(r.summary.care.children == 2 && r.summary.care.contacted == 1 && r.summary.care.coverage == 0.5)
        #expect(aggregateBureau(roster: [child(womanX)], care: [contact(womanX, method: .video)]).fired(.careContactGap).isEmpty)
    }

    @Test func needsAttentionOncePerChild() {
        let r = aggregateBureau(roster: [child(womanX)], care: [contact(womanX, mood: .needsAttention), contact(womanX, mood: .needsAttention)])
        #expect(r.fired(.careNeedsAttention) == [Masking.idNumber(womanX)])
        #expect(aggregateBureau(roster: [child(womanX)], care: [contact(womanX, mood: .fair)]).fired(.careNeedsAttention).isEmpty)
    }
}

struct DutyRuleTests {
    @Test func postNeedsItsCadres() {
        let posts = [DutyPost(name: "济南西站", cadres: 2)]
        let one = aggregateBureau(duty: [shift("X", from: 8, to: 16)], posts: posts)
        #expect(one.anomalies.filter { $0.rule == .postUncovered }.count == 1)
        #expect(one.summary.duty.postsCovered == 0)
        let two = aggregateBureau(duty: [shift("X", from: 8, to: 16), shift("Y", from: 16, to: 0)], posts: posts)
        #expect(two.fired(.postUncovered).isEmpty)
        #expect(two.summary.duty.hours == 16 && two.summary.duty.postsCovered == 1)
    }

    @Test func nightShiftAcrossMidnightClashesOnlyWhenItOverlaps() {
        let night = shift("X", day: day.adding(days: -1), from: 22, to: 6)
        #expect(aggregateBureau(duty: [night, shift("X", from: 6, to: 14)]).fired(.cadreDoubleBooked).isEmpty)
        #expect(aggregateBureau(duty: [night, shift("X", from: 5, to: 14)]).fired(.cadreDoubleBooked).count == 1)
        let tonight = shift("X", from: 22, to: 6)
        #expect(aggregateBureau(duty: [shift("X", from: 14, to: 22), tonight]).fired(.cadreDoubleBooked).isEmpty)
        #expect(aggregateBureau(duty: [shift("X", from: 14, to: 23), tonight]).fired(.cadreDoubleBooked).count == 1)
    }

    @Test func shiftEndingBeforeItStartsPassesMidnightWhenParsed() {
        let csv = "值班日期,姓名,身份证号,值守点位,开始时间,结束时间\n2020-02-08,王五,\(womanX),留观点,22:00,6:00\n"
        let v = FileValidator.validate(bytes: Array(csv.utf8), source: "d.csv", format: .csv, pseudonyms: .testing)
        let s = v.dutyShifts.first!
        #expect(s.end.seconds - s.start.seconds == 8 * 3600)
        #expect(s.end.date == day.adding(days: 1))
    }
}

struct InspectionRuleTests {
    @Test func trainingInstitutionFoundOperating() {
        #expect(aggregateBureau(inspections: [inspection("T", suspended: false)]).fired(.trainingOperating) == ["T"])
        #expect(aggregateBureau(inspections: [inspection("T", suspended: true)]).fired(.trainingOperating).isEmpty)
        #expect(aggregateBureau(inspections: [inspection("A", kind: .supervision, suspended: false)]).fired(.trainingOperating).isEmpty)
    }

    @Test func fixOnItsDeadlineDayIsOnTime() {
        let deadline = day.adding(days: -1)
        let onDeadline = inspection("A", on: day.adding(days: -5), kind: .supervision, deadline: deadline, fixed: deadline)
        #expect(aggregateBureau(inspections: [onDeadline]).fired(.rectificationOverdue).isEmpty)
        let never = inspection("A", on: day.adding(days: -5), kind: .supervision, deadline: deadline, fixed: nil)
        let r = aggregateBureau(inspections: [never])
        #expect(r.fired(.rectificationOverdue) == ["A"])
        #expect(r.summary.inspections.overdueFindings == 1 && r.summary.inspections.openFindings == 1)
        let dueToday = inspection("A", on: day.adding(days: -5), kind: .supervision, deadline: day, fixed: nil)
        #expect(aggregateBureau(inspections: [dueToday]).fired(.rectificationOverdue).isEmpty)
        let fixedLater = inspection("A", on: day.adding(days: -5), kind: .supervision, deadline: deadline, fixed: day.adding(days: 2))
        #expect(aggregateBureau(inspections: [fixedLater]).fired(.rectificationOverdue) == ["A"])
    }

    @Test func countsOnTheDayAndCumulative() {
        let r = aggregateBureau(inspections: [inspection("T"), inspection("A", on: day.adding(days: -2), kind: .supervision)])
        let s = r.summary.inspections
        #expect(s.onDay == 1 && s.cumulative == 2 && s.neverInspected == 0)
        #expect(s.onDayByKind[.trainingPatrol] == 1 && s.cumulativeByKind[.supervision] == 1)
        #expect(s.cumulativeByGroup[.training] == 1 && s.noticesCumulative == 2)
    }
}
