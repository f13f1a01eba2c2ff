import BulletinAggregate
import BulletinCore
import BulletinTestSupport
@_spi(Testing) import BulletinValidate
import Testing

/// Valid IDs: a woman born 1949-12-31 (check digit X) and a man born 2000-02-29 (leap day).
let womanX = "11010519491231002X"
let leapMan = "110105200002290013"

struct IDNumberTests {
    @Test func validIDsIncludingXAndLeapDay() {
        #expect(IDNumber.problem(womanX) == nil)
        #expect(IDNumber.problem(leapMan) == nil)
        #expect(IDNumber.isMale(leapMan) && !IDNumber.isMale(womanX))
    }

    @Test(arguments: ["11010519491231002", "110105194912310021", "1101051949123100x2", "11010519490231002X",
                      "11010519491231002x", "110105190102290018", "A1010519491231002X"])
    func invalidIDs(_ id: String) {
        #expect(IDNumber.problem(id) != nil)
    }

    /// The check `problem` computes (by Horner's rule) agrees with the weights of GB 11643 that
    /// `checkCharacter` sums, for every check character and the one wrong last character after each.
    @Test func checkCharacterAgreesWithTheWeightsForEveryResidue() {
        var seen = Set<Character>()
        for serial in 0..<2_000 {
            let prefix = "1101052000022" + String(format: "%04d", serial)
            let digits = prefix.map { Int(String($0))! }
            let check = IDNumber.checkCharacter(digits)
            seen.insert(check)
            #expect(IDNumber.problem(prefix + String(check)) == nil, "\(prefix)\(check)")
            let wrong: Character = check == "X" ? "0" : (check == "9" ? "X" : Character(String(Int(String(check))! + 1)))
            #expect(IDNumber.problem(prefix + String(wrong)) == "校验码错误", "\(prefix)\(wrong)")
        }
        #expect(seen.count == 11)
    }

    /// Every one of the first seventeen positions is read as a digit and weighed: a digit changed at any
    /// position outside the birth date takes the check `checkCharacter` gives, and a byte beside the
    /// digits' range at any position is refused as no digit.
    @Test func everyPositionIsCheckedAndWeighed() {
        let valid = Array(leapMan.utf8)
        for position in 0..<17 {
            for digit in UInt8(ascii: "0")...UInt8(ascii: "9") where !(6..<14).contains(position) {
                var id = valid
                id[position] = digit
                let check = IDNumber.checkCharacter(id[..<17].map { Int($0 - 0x30) })
                id[17] = check.asciiValue!
                #expect(IDNumber.problem(String(decoding: id, as: UTF8.self)) == nil, "\(id)")
            }
            for byte: UInt8 in [0x00, 0x20, 0x2F, 0x3A, 0x40, 0x58, 0x80, 0xB9] {
                var id = valid
                id[position] = byte
                let problem = id.withUnsafeBufferPointer { IDNumber.problem(utf8: $0, asOf: nil) }
                #expect(problem == "前17位应全部为数字", "\(id)")
            }
        }
    }

    @Test func birthAfterTheDateIsInvalid() {
        #expect(IDNumber.problem(leapMan, asOf: LocalDate(year: 2000, month: 2, day: 28)) != nil)
    }

    @Test func masking() {
        #expect(Masking.idNumber(womanX) == "110105********002X")
        #expect(Masking.scrub("电话13812345678，证件11010519491231002X") == "电话*******5678，证件110105********002X")
    }
}

struct RosterRuleTests {
    let school = institution("A")

    func fired(_ rule: Rule, _ rows: [RosterEntry], reports: [DailyReport] = []) -> [String] {
        aggregate([school, institution("B")], reports, roster: rows).fired(rule)
    }

    @Test func rosterInForceIsTheNewestSnapshotOnOrBeforeTheDate() {
        let old = person("A", id: womanX, asOf: day.adding(days: -3))
        let new = person("A", id: leapMan, gender: .male, asOf: day.adding(days: -1))
        let future = person("A", id: "11010520000229003X", gender: .male, asOf: day.adding(days: 1))
        let r = aggregate([school], [], roster: [old, new, future])
        #expect(r.summary.roster.persons == 1)
    }

    @Test func staleAfterSevenDaysOrWhenMissing() {
        #expect(fired(.rosterStale, [person("A", asOf: day.adding(days: -7)), person("B", asOf: day)]).isEmpty)
        #expect(fired(.rosterStale, [person("A", asOf: day.adding(days: -8)), person("B", asOf: day)]) == ["A"])
        #expect(fired(.rosterStale, [person("A")]) == ["B"])
    }

    @Test func invalidIDStaysUsableAndCounts() {
        let r = aggregate([school], [], roster: [person("A", id: "110105194912310021")])
        #expect(r.fired(.invalidIdNumber) == ["110105********0021"])
        #expect(r.summary.roster.persons == 1)
    }

    /// A person listed three times (the rosters in code order): one duplicate, on the first repeat,
    /// naming the first listing; counted once, with what every listing says of them.
    @Test func aPersonListedThreeTimesIsOneDuplicateAndOnePersonWithEveryListingsFigures() {
        var first = person("B", id: womanX)
        first.position = Position(source: "b.csv", row: 7)
        let withFever = person("A", id: womanX, health: .fever, observation: .home, start: day.adding(days: -2))
        let r = aggregate([school, institution("B")], [],
                          roster: [first, withFever, person("B", id: womanX, type: .staff), person("B", id: leapMan, gender: .male)])
        let duplicates = r.anomalies.filter { $0.rule == .duplicatePerson }
        #expect(duplicates.map(\.person) == ["110105********002X"])
        // Institution A comes first in code order: B's first listing repeats A's.
        #expect(duplicates.first?.institutionCode == "B")
        #expect(duplicates.first?.message.contains("机构A的花名册") == true)
        #expect(r.summary.roster.persons == 2)
        #expect(r.summary.roster.byType == [2, 1, 0])
        #expect(r.summary.roster.fever == 1 && r.summary.roster.home == 1 && r.summary.roster.central == 0)
    }

    /// Thousands of people (the people table grows, wraps around its end and is looked up rows ahead):
    /// A lists 0..<3000, B lists 2000..<5000 and then every tenth of A's again. Each person counts once,
    /// with the type of any listing; each person listed again is one duplicate, on the first repeat.
    @Test func thousandsOfPeopleCountAsASetWouldAndEachRepeatIsFoundOnce() {
        func id(_ n: Int) -> String { "110105" + String(1_000_000_000_000 + n).dropFirst() }
        let a = (0..<3000).map { person("A", id: id($0), gender: nil) }
        let b = (2000..<5000).map { person("B", id: id($0), type: $0 % 3 == 0 ? .staff : .student, gender: nil) }
            + stride(from: 0, to: 3000, by: 10).map { person("B", id: id($0), gender: nil) }
        let r = aggregate([school, institution("B")], [], roster: a + b)
        #expect(r.summary.roster.persons == 5000)
        // Staff: B's listings of 2000..<5000 whose number is a multiple of three; students, everyone else and
        // those of them A also lists (below 3000).
        let staff = (2000..<5000).filter { $0 % 3 == 0 }
        #expect(r.summary.roster.byType == [5000 - staff.filter { $0 >= 3000 }.count, staff.count, 0])
        // Repeats: 2000..<3000 by B's first part, and A's every tenth below 2000 by its second part
        // (those from 2000 on already repeated).
        let repeated = Set(r.anomalies.filter { $0.rule == .duplicatePerson }.map(\.person))
        #expect(r.anomalies.filter { $0.rule == .duplicatePerson }.count == 1000 + 200)
        #expect(repeated.count == 1200)
    }

    @Test func genderDigitMustAgree() {
        #expect(fired(.idGenderMismatch, [person("A", id: womanX, gender: .male)]) == ["110105********002X"])
        #expect(fired(.idGenderMismatch, [person("A", id: womanX, gender: .female)]).isEmpty)
        #expect(fired(.idGenderMismatch, [person("A", id: womanX, gender: nil)]).isEmpty)
    }

    @Test func duplicatePersonWithinAndAcrossInstitutions() {
        #expect(fired(.duplicatePerson, [person("A", id: womanX), person("B", id: womanX)]) == ["110105********002X"])
        #expect(fired(.duplicatePerson, [person("A", id: womanX), person("A", id: womanX)]).count == 1)
        #expect(fired(.duplicatePerson, [person("A", id: womanX), person("B", id: leapMan, gender: .male)]).isEmpty)
    }

    @Test func returnedThirteenDaysAgoMustBeObservedFourteenDoesNot() {
        let thirteen = person("A", returnDate: day.adding(days: -13))
        let fourteen = person("A", id: leapMan, gender: .male, returnDate: day.adding(days: -14))
        #expect(fired(.observationMissing, [thirteen, fourteen]) == ["110105********002X"])
        let r = aggregate([school], [], roster: [thirteen, fourteen])
        #expect(r.summary.roster.returned14d == 1)
    }

    @Test func hubeiInCityNeedsObservationUnlessReturnedLongAgo() {
        #expect(fired(.observationMissing, [person("A", hubei: true)]).count == 1)
        #expect(fired(.observationMissing, [person("A", returnDate: day.adding(days: -20), hubei: true)]).isEmpty)
        #expect(fired(.observationMissing, [person("A", location: .away, hubei: true)]).isEmpty)
    }

    @Test func observationWithBlankEndCoversTheDate() {
        let p = person("A", returnDate: day.adding(days: -2), observation: .home, start: day.adding(days: -2), end: nil)
        #expect(fired(.observationMissing, [p]).isEmpty)
        #expect(fired(.observationTooShort, [p]).isEmpty)
        #expect(aggregate([school], [], roster: [p]).summary.roster.home == 1)
    }

    @Test func observationEndingBeforeReturnPlusThirteenIsTooShort() {
        let r = day.adding(days: -2)
        let short = person("A", returnDate: r, observation: .central, start: r, end: r.adding(days: 12))
        let enough = person("A", id: leapMan, gender: .male, returnDate: r, observation: .central, start: r, end: r.adding(days: 13))
        #expect(fired(.observationTooShort, [short, enough]) == ["110105********002X"])
        #expect(aggregate([school], [], roster: [short, enough]).summary.roster.central == 2)
    }

    @Test func onDutyUnderObservationAndCases() {
        let p = person("A", type: .staff, observation: .home, start: day.adding(days: -1), end: day.adding(days: 5), onDuty: true)
        #expect(fired(.onDutyUnderObservation, [p]).count == 1)
        #expect(fired(.onDutyUnderObservation, [person("A", type: .staff, onDuty: true)]).isEmpty)
        #expect(fired(.personCase, [person("A", health: .fever), person("A", id: leapMan, gender: .male, health: .other)]).count == 1)
    }

    @Test func reconciliationStatesBothNumbers() {
        let roster = (0..<3).map { i in person("A", id: "\(i)") } + [person("A", id: "s", type: .staff, location: .away)]
        let w = report("A", students: [3, 3, 0, 0, 0, 0, 0, 0, 0], staff: [1, 0, 1, 0, 0, 0, 0, 0, 0])
        #expect(fired(.rosterMismatch, roster, reports: [w]).isEmpty)
        let off = report("A", students: [4, 3, 1, 0, 0, 0, 0, 0, 0], staff: [1, 0, 1, 0, 0, 0, 0, 0, 0])
        let r = aggregate([school], [off], roster: roster)
        let hit = r.anomalies.first { $0.rule == .rosterMismatch }
        #expect(hit?.message.contains("日报总数学生4人，花名册3人") == true)
        #expect(fired(.rosterMismatch, [], reports: [off]).isEmpty)
    }
}
