/// `bulletin diff`: what changed between two publications of the same date (a changed threshold,
/// a rerun with late files): summary keys, anomaly rows by rule, and the pipeline values.
public struct OutputDiff: Sendable {
    /// Summary keys whose values differ: key, old, new (absent as "—").
    public var summary: [(key: String, old: String, new: String)] = []
    /// anomalies.csv rows only in the new folder, and only in the old, each as its cells.
    public var added: [[String]] = []
    public var removed: [[String]] = []
    /// Pipeline parameters that differ.
    public var parameters: [(key: String, old: String, new: String)] = []
    /// The anomalies.csv header, to name the columns of the rows.
    public var header: [String] = []

    public var isEmpty: Bool { summary.isEmpty && added.isEmpty && removed.isEmpty && parameters.isEmpty }

    /// Compares two published dates: parameters, summary keys and anomaly rows by rule.
    public init(old: PublishedDay, new: PublishedDay) throws {
        summary = OutputDiff.changes(old.summary, new.summary)
        parameters = OutputDiff.changes(old.parameters(), new.parameters())
        let a = try old.table("anomalies.csv"), b = try new.table("anomalies.csv")
        header = b.header
        var counts: [[String]: Int] = [:]
        for row in a.rows { counts[row, default: 0] += 1 }
        for row in b.rows {
            if let n = counts[row], n > 0 { counts[row] = n - 1 } else { added.append(row) }
        }
        for row in a.rows where (counts[row] ?? 0) > 0 {
            removed.append(row)
            counts[row]! -= 1
        }
    }

    private static func changes(_ a: [String: String], _ b: [String: String]) -> [(key: String, old: String, new: String)] {
        Set(a.keys).union(b.keys).sorted().compactMap { key in
            a[key] == b[key] ? nil : (key, a[key] ?? "—", b[key] ?? "—")
        }
    }

    /// Rows added and removed per rule (the anomalies.csv `rule` column), rules sorted.
    public var byRule: [(rule: String, added: Int, removed: Int)] {
        let column = header.firstIndex(of: "rule") ?? 1
        var counts: [String: (Int, Int)] = [:]
        for row in added where column < row.count { counts[row[column], default: (0, 0)].0 += 1 }
        for row in removed where column < row.count { counts[row[column], default: (0, 0)].1 += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!.0, counts[$0]!.1) }
    }
}
