import BulletinAggregate
import BulletinCore
import BulletinValidate

/// Gathers, from the ingested files, what a run for one date sees.
enum DayAssembler {
    /// The registry in force, by code; later duplicates of a code are rejected.
    static func registry(from files: [IngestedFile]) -> (institutions: [String: Institution], rejects: [Reject]) {
        var byCode: [String: Institution] = [:]
        var rejects: [Reject] = []
        for file in files {
            for institution in file.validated.institutions {
                if let first = byCode[institution.code] {
                    rejects.append(Reject(position: Position(source: institution.position.source,
                                                             row: institution.position.row, column: "机构代码"),
                                          value: institution.code, reason: .duplicateCode,
                                          message: "机构代码与第\(first.position.row ?? 0)行重复，以先出现的一行为准",
                                          form: .institutions))
                } else {
                    byCode[institution.code] = institution
                }
            }
            rejects += file.validated.rejects
        }
        return (byCode, rejects)
    }

    /// Per institution (active in `registry`, when given), the 摸排日期 of its newest roster snapshot on or before `date`.
    static func newestSnapshots(on date: LocalDate, registry: [String: Institution]? = nil,
                                dayFiles: ArraySlice<IngestedFile>) -> [String: LocalDate] {
        var newest: [String: LocalDate] = [:]
        dayFiles.forEachInPlace { file in
            for s in file.pointee.validated.rosterSnapshots where s.asOf <= date && (registry.map { $0[s.code]?.active == true } ?? true) {
                if newest[s.code].map({ s.asOf > $0 }) ?? true { newest[s.code] = s.asOf }
            }
        }
        return newest
    }

    /// Institutions whose usable daily report for an earlier date arrived on landing day `day`, by that
    /// date: reports that date's as-of publication could not count (a `--final` rerun counts them).
    static func lateArrivals(on day: LocalDate, dayFiles: [IngestedFile]) -> [LocalDate: Set<String>] {
        var late: [LocalDate: Set<String>] = [:]
        dayFiles.forEachInPlace { file in
            guard file.pointee.file.day == day else { return }
            file.pointee.validated.dailyReports.forEachInPlace { r in
                if r.pointee.date < day { late[r.pointee.date, default: []].insert(r.pointee.code) }
            }
        }
        return late
    }

    /// The dates whose records a run of `dates` reads, by kind: the daily reports `inputs` looks back on
    /// (and those of `periodDays`, whose figures the period charts compute); the care contacts of each
    /// date and the duty shifts of each date and the day before (a shift that ends past midnight).
    static func storedRecordDates(for dates: [LocalDate], periodDays: Set<LocalDate>,
                                  parameters: PipelineParameters) -> ValidatedFile.StoredRecordDates {
        let history = RuleCatalog.reportHistoryDays(parameters)
        return ValidatedFile.StoredRecordDates(
            dailyReports: periodDays.union(dates.flatMap { date in (0...history).map { date.adding(days: -$0) } }),
            careAndDuty: Set(dates.flatMap { [$0, $0.adding(days: -1)] }))
    }

    /// The inputs of `date` from the registry in force and the day files the run may see.
    static func inputs(date: LocalDate, registry: [String: Institution], registryDate: LocalDate?, registryRejects: [Reject],
                       dayFiles: ArraySlice<IngestedFile>, parameters: PipelineParameters) -> DayInputs {
        let historyStart = date.adding(days: -RuleCatalog.reportHistoryDays(parameters))
        var reports: [DailyReport] = []
        var rejects: [Reject] = registryDate == date ? registryRejects : []
        var dailyRejects: [Reject] = []
        var totals: [TotalRow] = []
        var roster: [String: [RosterEntry]] = [:]
        var care: [CareContact] = [], duty: [DutyShift] = [], inspections: [Inspection] = []
        let inForce = newestSnapshots(on: date, registry: registry, dayFiles: dayFiles)
        dayFiles.forEachInPlace { file in
            // The file's records read where they are (binding the file's records to a name copied them all,
            // and a loop over an array copies each element it looks at): a record is copied only when kept.
            let v = file.pointer(to: \.validated)!
            v.pointee.dailyReports.forEachInPlace { r in if r.pointee.date >= historyStart && r.pointee.date <= date { reports.append(r.pointee) } }
            // A file of one snapshot in force (the usual roster file) gives its row array whole: shared, not copied.
            let snapshots = v.pointee.rosterSnapshots
            if snapshots.count == 1, let only = snapshots.first, inForce[only.code] == only.asOf {
                if roster[only.code] == nil { roster[only.code] = v.pointee.rosterEntries } else { roster[only.code]! += v.pointee.rosterEntries }
            } else if snapshots.contains(where: { inForce[$0.code] == $0.asOf }) {
                v.pointee.rosterEntries.forEachInPlace { e in
                    if inForce[e.pointee.code] == e.pointee.asOf { roster[e.pointee.code, default: []].append(e.pointee) }
                }
            }
            for t in v.pointee.totalRows where t.dates.contains(date) { totals.append(t) }
            // Only these dates: `storedRecordDates` (files from the store bring no others).
            for c in v.pointee.careContacts where c.date == date { care.append(c) }
            for d in v.pointee.dutyShifts where d.date == date || d.date == date.adding(days: -1) { duty.append(d) }
            for i in v.pointee.inspections where i.date <= date {
                // 是否停课 is required of training institutions, which only the registry tells.
                if i.suspended == nil, registry[i.code]?.group == .training {
                    if i.date == date {
                        rejects.append(Reject(position: Position(source: i.position.source, row: i.position.row,
                                                                 column: InspectionColumn.suspended.spec.chinese),
                                              reason: .missingValue, message: "校外培训机构的检查记录必须填写“是否停课”",
                                              form: .inspections, date: i.date, institutionCode: i.code))
                    }
                    continue
                }
                inspections.append(i)
            }
            v.pointee.rejects.forEachInPlace { reject in
                guard reject.pointee.date == date || (reject.pointee.date == nil && file.pointee.file.day == date) else { return }
                rejects.append(reject.pointee)
                if reject.pointee.form == .daily, reject.pointee.date == date { dailyRejects.append(reject.pointee) }
            }
        }
        return DayInputs(date: date, registry: registry, dailyReports: reports, rejects: rejects,
                         dailyRejects: dailyRejects, totalRows: totals,
                         rosters: RosterInForce(byCode: roster, asOf: inForce.filter { roster[$0.key] != nil }),
                         careContacts: care, dutyShifts: duty, inspections: inspections)
    }
}

/// Daily reports and rejected daily rows by the date they carry, each with the day its file landed, in
/// file order: what reporting and counts read (`DayAggregator.reportingAndCounts`). Built once per run,
/// so the period charts get every date's reporting without scanning every file for each date.
struct ReportingIndex {
    private var reports: [LocalDate: [(landed: LocalDate, record: DailyReport)]] = [:]
    private var rejects: [LocalDate: [(landed: LocalDate, record: Reject)]] = [:]

    init(dayFiles: [IngestedFile]) {
        dayFiles.forEachInPlace { file in
            let landed = file.pointee.file.day
            file.pointee.validated.dailyReports.forEachInPlace { r in reports[r.pointee.date, default: []].append((landed, r.pointee)) }
            for reject in file.pointee.validated.rejects where reject.form == .daily {
                if let date = reject.date { rejects[date, default: []].append((landed, reject)) }
            }
        }
    }

    /// The inputs reporting and counts of `date` read, from files that landed on or before `landedBy`
    /// when given (the as-of view of an earlier date).
    func inputs(date: LocalDate, registry: [String: Institution], expected: ExpectedInstitutions, landedBy: LocalDate?) -> DayInputs {
        DayInputs(date: date, registry: registry, expected: expected, dailyReports: Self.visible(reports[date], landedBy),
                  rejects: [], dailyRejects: Self.visible(rejects[date], landedBy), totalRows: [],
                  rosters: RosterInForce(byCode: [:], asOf: [:]))
    }

    /// The records of `list` from files that landed on or before `landedBy` (all when nil), copied once
    /// (a filter, then a map, copied each record twice and retained its strings and counts each time).
    private static func visible<Record>(_ list: [(landed: LocalDate, record: Record)]?, _ landedBy: LocalDate?) -> [Record] {
        guard let list else { return [] }
        var out: [Record] = []
        out.reserveCapacity(list.count)
        for entry in list where landedBy.map({ entry.landed <= $0 }) ?? true { out.append(entry.record) }
        return out
    }
}
