import BulletinCore

/// The outward edition of the bulletin, for readers outside the bureau: below district level, counts
/// of 1 to `threshold − 1` in the sensitive figures (under observation, fever, suspected, confirmed)
/// show as "<threshold", with complementary suppression so no hidden cell can be recovered from a
/// total; the work list (需处置事项), which names institutions, is left out.
extension BulletinDocument {
    /// The columns of the health table that hold sensitive figures.
    static let sensitiveHealthColumns = [Figure.observation, .fever, .suspected, .confirmed].map(\.chinese)

    /// The outward edition: sensitive counts from 1 to `threshold` − 1 below district level shown as `<threshold`, with complementary suppression.
    public func outward(threshold: Int) -> BulletinDocument {
        var doc = self
        doc.title += "（对外版）"
        doc.sections = sections.compactMap { section in
            if section.heading.hasPrefix("八、") { return nil }
            var s = section
            s.blocks = section.blocks.map { block in
                guard case .table(let table) = block, section.heading.hasPrefix("二、") else { return block }
                return .table(BulletinDocument.suppressed(table, threshold: threshold))
            }
            return s
        }
        doc.footer = ["对外版：基层（分类）数据中1至\(threshold - 1)的敏感人数显示为“<\(threshold)”，并作相应补充隐藏；全区合计为实际数。"]
            + footer.filter { !$0.hasPrefix("内部资料") }
        return doc
    }

    /// Rows ending in 合计 close a block of group rows: within each block, each sensitive column's small
    /// counts are hidden, and when exactly one is, the smallest other cell of the block is hidden too.
    static func suppressed(_ table: Table, threshold: Int) -> Table {
        var t = table
        t.emphasised = []
        let columns = table.columns.indices.filter { sensitiveHealthColumns.contains(table.columns[$0]) }
        var start = 0
        for (r, row) in table.rows.enumerated() where row.first?.hasSuffix("合计") == true {
            let block = Array(start..<r)
            for c in columns {
                let values = block.map { Int(t.rows[$0][c]) ?? 0 }
                var hidden = Set(block.indices.filter { (1..<threshold).contains(values[$0]) })
                if hidden.count == 1, let other = block.indices.filter({ !hidden.contains($0) }).min(by: { values[$0] < values[$1] }) {
                    hidden.insert(other)
                }
                for k in hidden { t.rows[block[k]][c] = "<\(threshold)" }
            }
            start = r + 1
        }
        return t
    }
}
