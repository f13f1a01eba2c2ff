/// The printed tables: the ratios, each with its target, then the absolute measurements.
struct BenchTable {
    private var ratios: [[String]] = []
    private var lines: [[String]] = []
    private var notes: [String] = []

    mutating func note(_ s: String) { notes.append(s) }

    /// An absolute measurement.
    mutating func row(_ what: String, _ value: String, _ detail: String = "") { lines.append([what, value, detail]) }

    /// A ratio against a peer or a limit measured in the same run, with its goal (`≤ 0.5`, `≥ 1.2`).
    mutating func ratio(_ what: String, _ value: Double, atMost: Double? = nil, atLeast: Double? = nil, _ detail: String) {
        let met = atMost.map { value <= $0 } ?? atLeast.map { value >= $0 } ?? true
        let goal = atMost.map { "≤ \($0)" } ?? atLeast.map { "≥ \($0)" } ?? ""
        ratios.append([what, String(format: "%.2f", value), goal, met ? "met" : "missed", detail])
    }

    func rendered() -> String {
        func table(_ head: [String], _ rows: [[String]]) -> [String] {
            var widths = head.map(\.count)
            for l in rows { for (i, c) in l.enumerated() { widths[i] = max(widths[i], c.count) } }
            func line(_ cells: [String]) -> String {
                "| " + cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
            }
            return [line(head), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"] + rows.map(line)
        }
        return (notes.map { "# " + $0 } + [""] + table(["ratio", "now", "goal", "", "measured in this run"], ratios)
                + [""] + table(["what", "value", "detail"], lines)).joined(separator: "\n")
    }
}

/// Compares a peer's figures with bulletin's summary.json.
enum Peer {
    static let keys = ["total", "in_city", "away", "returned", "hubei", "observation", "fever", "suspected", "confirmed"]

    static func agrees(_ peer: [String: Any], _ summary: [String: Any]) -> Bool {
        let reporting = summary["reporting"] as! [String: Any]
        let roster = summary["roster"] as! [String: Any]
        let observation = roster["under_observation"] as! [String: Any]
        guard peer["expected"] as? Int == reporting["expected"] as? Int, peer["valid"] as? Int == reporting["valid"] as? Int,
              peer["on_time"] as? Int == reporting["on_time"] as? Int, peer["persons"] as? Int == roster["persons"] as? Int,
              peer["home"] as? Int == observation["home"] as? Int, peer["central"] as? Int == observation["central"] as? Int
        else { return false }
        let groups = (summary["counts"] as! [String: Any])["by_group"] as! [String: Any]
        let peerGroups = peer["by_group"] as! [String: Any]
        for (group, value) in groups {
            let ours = value as! [String: Any]
            let theirs = peerGroups[group] as? [String: Any]
            for population in ["students", "staff"] {
                let mine = keys.map { (ours[population] as! [String: Any])[$0] as! Int }
                let other = (theirs?[population] as? [Int]) ?? Array(repeating: 0, count: 9)
                if mine != other { return false }
            }
        }
        return true
    }
}
