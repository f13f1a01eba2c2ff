import BulletinSample
import BulletinTestSupport
import Foundation
import Testing

/// The outward edition hides small sensitive counts below district level, with complementary
/// suppression, and leaves out the work list; the internal edition stays exact and says 内部资料.
@Suite(.serialized)
struct OutwardEditionTests {
    /// The health table's rows (类别 and its nine figures) as the HTML writes them.
    func healthRows(_ html: String) throws -> [[String]] {
        let section = try #require(html.range(of: "<h2>二、师生健康状况</h2>").map { String(html[$0.upperBound...]) })
        let table = String(section[..<(section.range(of: "</table>")?.lowerBound ?? section.endIndex)])
        return table.components(separatedBy: "<tr").dropFirst().compactMap { piece -> [String]? in
            let opened = piece[(piece.range(of: ">")?.upperBound ?? piece.startIndex)...]   // <tr> or <tr class=…>
            let row = opened.components(separatedBy: "</tr>")[0]
            guard row.hasPrefix("<td") else { return nil }          // the header row has <th> cells
            return row.components(separatedBy: "</td>").dropLast().map { cell in
                String(cell[(cell.range(of: ">")?.upperBound ?? cell.startIndex)...])
            }
        }
    }

    @Test func smallCellsAreHiddenWithComplementarySuppression() throws {
        let (root, landing, truth) = try sampleDistrict("outward", days: 8, seed: 51)
        let yaml = try String(contentsOfFile: "Pipelines/daily.yaml", encoding: .utf8)
            .replacingOccurrences(of: "outward_edition: false", with: "outward_edition: true")
        let pipeline = root.appendingPathComponent("outward.yaml")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("out")
        let dates = truth.days.keys.sorted()
        #expect(try runBulletin(["rerun", "--landing", landing.path, "--from", dates.first!, "--to", dates.last!, "--out", out.path,
                                 "--pipeline", pipeline.path]).status == 0)
        var hiddenSomewhere = false
        for date in dates {
            let folder = out.appendingPathComponent(date)
            let inside = try String(contentsOf: folder.appendingPathComponent("bulletin.html"), encoding: .utf8)
            let outward = try String(contentsOf: folder.appendingPathComponent("bulletin-outward.html"), encoding: .utf8)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("bulletin-outward.pdf").path))
            #expect(inside.contains("内部资料") && !outward.contains("内部资料"))
            #expect(inside.contains("八、需处置事项") && !outward.contains("八、需处置事项"))
            let exact = try healthRows(inside), shown = try healthRows(outward)
            #expect(exact.count == shown.count && exact.count == 8)
            // Columns 6…9: 居家观察, 发热, 疑似病例, 确诊病例. Blocks: rows 0–2 (+3 total), 4–6 (+7 total).
            for block in [0..<3, 4..<7] {
                #expect(shown[block.upperBound] == exact[block.upperBound])      // district totals exact
                for c in 6...9 {
                    let hidden = block.filter { shown[$0][c] == "&lt;5" }
                    #expect(hidden.count != 1, "\(date) column \(c): one hidden cell is recoverable from the total")
                    for r in block {
                        if let v = Int(exact[r][c]), (1...4).contains(v) { #expect(shown[r][c] == "&lt;5") }
                        if shown[r][c] != "&lt;5" { #expect(shown[r][c] == exact[r][c]) }
                    }
                    hiddenSomewhere = hiddenSomewhere || !hidden.isEmpty
                }
            }
        }
        #expect(hiddenSomewhere)
    }
}
