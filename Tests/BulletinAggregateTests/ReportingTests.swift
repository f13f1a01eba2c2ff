import BulletinAggregate
import BulletinCore
import BulletinTestSupport
@_spi(Testing) import BulletinValidate
import Testing

struct ReportingTests {
    /// `Figure.count` is written as a constant and the figures' positions sit in a table behind a pointer:
    /// both must stay what the form declares, for every population and figure.
    @Test func everyFigureIsReadFromItsOwnCountColumn() {
        #expect(Figure.count == Figure.allCases.count)
        for population in Population.allCases {
            for figure in Figure.allCases {
                let column = DailyColumn.figure(figure, of: population)
                var counts = DailyCounts()
                counts[column] = 7
                #expect(counts.figure(figure, of: population) == 7, "\(population) \(figure)")
                let others = Population.allCases.flatMap { p in Figure.allCases.map { (p, $0) } }.filter { $0 != (population, figure) }
                #expect(others.allSatisfy { counts.figure($0.1, of: $0.0) == 0 }, "\(population) \(figure)")
            }
        }
    }

    /// The period's tally keeps each institution's latest report alone; it must be the winner the day's
    /// own aggregation picks: latest 填报时间, ties to the row read last by source and row, then the last read.
    @Test func theLatestReportOfEachCodeIsTheWinnerOfItsSubmissionOrder() {
        var reports: [DailyReport] = []
        for (i, (code, hour, source, row)) in [("A", 9, "b.csv", 4), ("A", 11, "a.csv", 2), ("A", 11, "a.csv", 3), ("A", 10, "c.csv", 9),
                                               ("B", 8, "b.csv", 2), ("B", 8, "a.csv", 7), ("C", 9, "a.csv", 2), ("C", 9, "a.csv", 2),
                                               ("D", 7, "a.csv", 5)].enumerated() {
            var r = report(code, at: hour, learners: i, row: row)
            r.position.source = source
            reports.append(r)
        }
        reports.append(report("E", date: day.adding(days: -1)))
        let latest = Winners.latestByCode(reports, on: day)
        let grouped = Winners.reportsByCode(reports, on: day)
        #expect(Set(latest.keys) == ["A", "B", "C", "D"] && Set(grouped.keys) == Set(latest.keys))
        for (code, rows) in grouped { #expect(latest[code]?.counts[.onlineLearners] == rows.last?.counts[.onlineLearners], "\(code)") }
        #expect(latest["A"]?.counts[.onlineLearners] == 2 && latest["B"]?.counts[.onlineLearners] == 4)
        #expect(latest["C"]?.counts[.onlineLearners] == 7)
    }

    @Test func expectedReceivedValidOnTimeAndMissing() {
        let reject = Reject(position: Position(source: "x.csv", row: 3), reason: .badCount, message: "",
                            form: .daily, date: day, institutionCode: "B")
        let r = aggregate([institution("A"), institution("B"), institution("C", category: .kindergarten), institution("D", active: false)],
                          [report("A"), report("C", at: 13), report("D")], dailyRejects: [reject])
        let s = r.summary.reporting
        #expect(s.expected == 3)
        #expect(s.received == 3)
        #expect(s.valid == 2 && s.missing == 1)
        #expect(s.onTime == 1 && s.late == 1)
        #expect(s.completeness == 0.6667 && s.timeliness == 0.3333)
        #expect(s.byGroup[.kindergarten]?.valid == 1 && s.byGroup[.school]?.missing == 1)
        #expect(r.fired(.missingReport) == ["B"])
        #expect(r.fired(.lateReport) == ["C"])
    }

    @Test func deadlineIsInclusive() {
        let atNoon = report("A", at: 12)
        #expect(aggregate([institution("A")], [atNoon]).summary.reporting.onTime == 1)
        var second = report("A", at: 12)
        second.submittedAt = LocalDateTime(seconds: second.submittedAt.seconds + 1)
        #expect(aggregate([institution("A")], [second]).fired(.lateReport) == ["A"])
    }

    @Test func latestSubmissionWinsAndDuplicatesAreFlagged() {
        let early = report("A", at: 8, students: [50, 50, 0, 0, 0, 0, 0, 0, 0])
        let late = report("A", at: 10, row: 3)
        let r = aggregate([institution("A")], [late, early])
        #expect(r.summary.counts.students[0] == 100)
        #expect(r.fired(.duplicateReport) == ["A"])
        #expect(aggregate([institution("A")], [late]).fired(.duplicateReport).isEmpty)
    }

    @Test func unknownCodeIsOnlyUnknownInstitution() {
        let r = aggregate([institution("A")], [report("A"), report("ZZZ", at: 15, students: [1, 5, 0, 0, 0, 0, 1, 0, 0])])
        #expect(r.fired(.unknownInstitution) == ["ZZZ"])
        #expect(r.anomalies.filter { $0.institutionCode == "ZZZ" }.count == 1)
        #expect(r.summary.counts.students[0] == 100)
    }

    @Test func countsOnlineAndZeroReports() {
        let r = aggregate([institution("A"), institution("K", category: .kindergarten), institution("T", category: .training)],
                          [report("A", learners: 80), report("K", students: [20, 20, 0, 0, 0, 0, 1, 0, 0]),
                           report("T", students: [0, 0, 0, 0, 0, 0, 0, 0, 0], learners: 5)])
        #expect(r.summary.reporting.zeroReports == 2)
        #expect(r.summary.counts.students[Figure.fever.rawValue] == 1)
        #expect(r.summary.counts.byGroup[.kindergarten]?.students[0] == 20)
        #expect(r.summary.online.learners == 85)
        #expect(r.summary.online.participation == 0.85)
        #expect(r.fired(.casesReported) == ["K"])
    }
}

struct ReportRuleTests {
    @Test func nameMismatchIgnoresBlankAndSpaces() {
        #expect(aggregate([institution("A")], [report("A", name: "别的名字")]).fired(.nameMismatch) == ["A"])
        #expect(aggregate([institution("A")], [report("A", name: "")]).fired(.nameMismatch).isEmpty)
        #expect(aggregate([institution("A")], [report("A", name: "机构A")]).fired(.nameMismatch).isEmpty)
    }

    @Test func zeroFlagMustAgreeWithCases() {
        #expect(aggregate([institution("A")], [report("A", zero: false)]).fired(.zeroFlagMismatch) == ["A"])
        let fever = report("A", students: [100, 90, 10, 0, 0, 0, 1, 0, 0], zero: true)
        #expect(aggregate([institution("A")], [fever]).fired(.zeroFlagMismatch) == ["A"])
        #expect(aggregate([institution("A")], [report("A")]).fired(.zeroFlagMismatch).isEmpty)
    }

    @Test func sumAndExceedsTotal() {
        let bad = report("A", students: [100, 95, 10, 0, 0, 0, 0, 0, 0], staff: [10, 10, 0, 0, 0, 11, 0, 0, 0])
        let r = aggregate([institution("A")], [bad])
        #expect(r.fired(.sumMismatch) == ["A"])
        #expect(r.fired(.countExceedsTotal) == ["A"])
        #expect(r.anomalies.filter { $0.rule == .sumMismatch }.count == 1)
        let learners = aggregate([institution("A")], [report("A", learners: 101)])
        #expect(learners.fired(.countExceedsTotal) == ["A"])
        #expect(aggregate([institution("A")], [report("A", learners: 100)]).fired(.countExceedsTotal).isEmpty)
    }

    @Test func enrollmentDeviationAtExactlyTenPercentDoesNotFire() {
        #expect(aggregate([institution("A", enrolled: 110)], [report("A")]).fired(.enrollmentDeviation).isEmpty)
        #expect(aggregate([institution("A", enrolled: 90)], [report("A")]).fired(.enrollmentDeviation) == ["A"])
        #expect(aggregate([institution("A", enrolled: 112)], [report("A")]).fired(.enrollmentDeviation) == ["A"])
    }

    @Test func totalRowMismatchNamesItsRow() {
        let column = DailyColumn.figure(.total, of: .students).rawValue
        let wrong = TotalRow(position: Position(source: "b.csv", row: 9), stated: [column: 150], summed: [column: 200],
                             dates: [day], codes: ["A", "B"])
        var right = wrong
        right.stated[column] = 200
        let r = aggregate([institution("A")], [report("A")], totals: [wrong, right])
        let hits = r.anomalies.filter { $0.rule == .totalRowMismatch }
        #expect(hits.count == 1 && hits[0].source == "b.csv" && hits[0].row == 9)
        #expect(hits[0].message.contains("150") && hits[0].message.contains("200"))
    }

    @Test func anomaliesAreSortedBySeverityThenRule() {
        let r = aggregate([institution("A"), institution("B")],
                          [report("A", at: 13, students: [100, 90, 10, 0, 0, 0, 1, 0, 0], zero: true)])
        let order = r.anomalies.map(\.rule.rawValue)
        #expect(order.first == "cases_reported")
        #expect(r.anomalies.map(\.severity) == r.anomalies.map(\.severity).sorted())
    }
}

struct SpikeRuleTests {
    func history(_ values: [Int], figure: Figure = .returned) -> [DailyReport] {
        values.enumerated().map { i, v in
            var s = [100, 90, 10, 0, 0, 0, 0, 0, 0]
            s[figure.rawValue] = v
            return report("A", date: day.adding(days: -(i + 1)), students: s)
        }
    }

    func spikes(_ x: Int, history values: [Int], figure: Figure = .returned) -> Bool {
        var s = [100, 90, 10, 0, 0, 0, 0, 0, 0]
        s[figure.rawValue] = x
        return !aggregate([institution("A")], history(values, figure: figure) + [report("A", students: s)])
            .fired(.spike).isEmpty
    }

    @Test func flatHistoryAndARiseOfThree() {
        #expect(spikes(3, history: Array(repeating: 0, count: 7)))
        #expect(!spikes(2, history: Array(repeating: 0, count: 7)))
    }

    @Test func needsSevenReports() {
        #expect(!spikes(9, history: Array(repeating: 0, count: 6)))
    }

    @Test func robustZScoreWithMAD() {
        // sorted 0,0,2,2,2,2,4,4: median 2; deviations 0,0,0,0,2,2,2,2: MAD 1.
        // 0.6745·(x − 2)/1 must exceed 3.5: x = 7 gives 3.37, x = 8 gives 4.05.
        let h = [0, 0, 2, 2, 4, 4, 2, 2]
        #expect(!spikes(7, history: h))
        #expect(spikes(8, history: h))
    }

    @Test func evenCountMedianIsMeanOfMiddleTwo() {
        // values 0,0,0,0,1,1,1,1 → median 0.5, MAD 0.5; x=4 → rise 3.5 ≥ 3, z = 0.6745·3.5/0.5 = 4.72.
        #expect(spikes(4, history: [0, 0, 0, 0, 1, 1, 1, 1]))
        #expect(!spikes(3, history: [0, 0, 0, 0, 1, 1, 1, 1]))
    }

    @Test func onlyWatchedFigures() {
        #expect(spikes(5, history: Array(repeating: 0, count: 8), figure: .observation))
        #expect(!spikes(5, history: Array(repeating: 0, count: 8), figure: .suspected))
    }

    @Test func historyOlderThanFourteenDaysIsIgnored() {
        let old = (15...22).map { report("A", date: day.adding(days: -$0)) }
        #expect(aggregate([institution("A")], old + [report("A", students: [100, 90, 10, 9, 0, 0, 0, 0, 0])])
            .fired(.spike).isEmpty)
    }
}
