import BulletinCore
import BulletinValidate

/// `spike`: a figure far above the institution's own recent history (median and MAD).
enum SpikeRule: RuleFamily {
    static let rules: [Rule] = [.spike]

    static func reportHistoryDays(_ parameters: PipelineParameters) -> Int { parameters.spikeHistoryDays }

    static func check(_ day: RuleDay, summary: inout Summary) -> [Anomaly] {
        check(winners: day.winners, history: day.inputs.dailyReports, context: day.context)
    }

    /// The figures watched for spikes (outputs.md).
    static let watched: [Figure] = [.returned, .hubei, .observation, .fever, .away]

    static func check(winners: [String: DailyReport], history reports: [DailyReport], context: RuleContext) -> [Anomaly] {
        let p = context.parameters
        let first = context.date.adding(days: -p.spikeHistoryDays)
        // The winner of each earlier day, per institution, by its place in `reports` (the whole period's
        // reports are walked: copying each out, and the winners into the table, grew with history). An
        // institution's days are a short list (at most spike_history_days), found by one lookup of its code.
        var slots: [String: Int] = [:]
        slots.reserveCapacity(winners.count)
        for code in winners.keys { slots[code] = slots.count }
        var byDay = [[(date: LocalDate, row: Int)]](repeating: [], count: slots.count)
        reports.withUnsafeBufferPointer { rows in
            for i in rows.indices where rows[i].date >= first && rows[i].date < context.date {
                guard let slot = slots[rows[i].code] else { continue }
                if let held = byDay[slot].firstIndex(where: { $0.date == rows[i].date }) {
                    if Winners.submittedBefore(rows[byDay[slot][held].row], rows[i]) { byDay[slot][held].row = i }
                } else {
                    byDay[slot].append((rows[i].date, i))
                }
            }
        }
        var out: [Anomaly] = []
        reports.withUnsafeBufferPointer { rows in
            for (code, w) in winners {
                let days = byDay[slots[code]!]
                guard days.count >= p.spikeMinReports else { continue }
                let history = days.map(\.row)
                var parts: [String] = []
                for population in Population.allCases {
                    for figure in watched {
                        let x = w.counts.figure(figure, of: population)
                        // A spike rises spikeMinIncrease above the median, which is at least the smallest value:
                        // most figures are not that far above any day's (no sorting, no array, for them).
                        let smallest = history.lazy.map { rows[$0].counts.figure(figure, of: population) }.min() ?? 0
                        guard x - smallest >= p.spikeMinIncrease else { continue }
                        let values = history.map { Double(rows[$0].counts.figure(figure, of: population)) }
                        if let m = isSpike(Double(x), values, p) {
                            parts.append("\(figure.chinese)\(population.chinese)\(x)人，前\(p.spikeHistoryDays)天中位数\(format(m))")
                        }
                    }
                }
                if !parts.isEmpty {
                    out.append(context.anomaly(.spike, code: code, position: w.position, "数据异常增长：" + parts.joined(separator: "；")))
                }
            }
        }
        return out
    }

    /// The history's median when `x` is a spike against it, else nil.
    static func isSpike(_ x: Double, _ values: [Double], _ p: PipelineParameters) -> Double? {
        let m = median(values)
        let rise = x - m
        guard rise >= Double(p.spikeMinIncrease) else { return nil }
        let mad = median(values.map { abs($0 - m) })
        return mad == 0 || 0.6745 * rise / mad > p.spikeRobustZ ? m : nil
    }

    /// The median; the mean of the middle two for an even count.
    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        let n = s.count
        guard n > 0 else { return 0 }
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(v)
    }
}
