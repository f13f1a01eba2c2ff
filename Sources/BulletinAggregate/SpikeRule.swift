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
        // reports are walked: copying each out, and the winners into the table, grew with history).
        var byDay: [String: [LocalDate: Int]] = [:]
        reports.withUnsafeBufferPointer { rows in
            for i in rows.indices where rows[i].date >= first && rows[i].date < context.date && winners[rows[i].code] != nil {
                if let held = byDay[rows[i].code]?[rows[i].date], !Winners.submittedBefore(rows[held], rows[i]) { continue }
                byDay[rows[i].code, default: [:]][rows[i].date] = i
            }
        }
        var out: [Anomaly] = []
        for (code, w) in winners {
            guard let days = byDay[code], days.count >= p.spikeMinReports else { continue }
            let history = Array(days.values)
            var parts: [String] = []
            for population in Population.allCases {
                for figure in watched {
                    let x = w.counts.figure(figure, of: population)
                    let values = history.map { Double(reports[$0].counts.figure(figure, of: population)) }
                    if let m = isSpike(Double(x), values, p) {
                        parts.append("\(figure.chinese)\(population.chinese)\(x)人，前\(p.spikeHistoryDays)天中位数\(format(m))")
                    }
                }
            }
            if !parts.isEmpty {
                out.append(context.anomaly(.spike, code: code, position: w.position, "数据异常增长：" + parts.joined(separator: "；")))
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
