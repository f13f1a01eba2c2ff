import BulletinCore
import BulletinValidate

/// Picks each institution's winning daily report: among its usable rows for a date,
/// the one with the latest 填报时间 (ties go to the row read last, by source and row).
public enum Winners {
    /// Usable reports of `date`, grouped by institution code, each group in submission order.
    public static func reportsByCode(_ reports: [DailyReport], on date: LocalDate) -> [String: [DailyReport]] {
        var byCode: [String: [DailyReport]] = [:]
        for r in reports where r.date == date { byCode[r.code, default: []].append(r) }
        // Only an institution with several reports needs its order (rewriting every entry hashed every code again).
        for (code, rows) in byCode where rows.count > 1 { byCode[code] = rows.sorted(by: submittedBefore) }
        return byCode
    }

    /// Each institution's winning report of `date`: the last of its usable rows in submission order,
    /// as `reportsByCode` orders them.
    public static func latestByCode(_ reports: [DailyReport], on date: LocalDate) -> [String: DailyReport] {
        var latest: [String: DailyReport] = [:]
        // In place: a report of another date is looked at, not copied.
        reports.forEachInPlace { r in
            guard r.pointee.date == date else { return }
            if let known = latest.index(forKey: r.pointee.code), submittedBefore(r.pointee, latest.values[known]) { return }
            latest[r.pointee.code] = r.pointee
        }
        return latest
    }

    static func submittedBefore(_ a: DailyReport, _ b: DailyReport) -> Bool {
        if a.submittedAt != b.submittedAt { return a.submittedAt < b.submittedAt }
        if a.position.source != b.position.source { return a.position.source < b.position.source }
        return (a.position.row ?? 0) < (b.position.row ?? 0)
    }
}
