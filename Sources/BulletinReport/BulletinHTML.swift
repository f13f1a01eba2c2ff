import BulletinCore

/// Renders the bulletin model as one self-contained HTML file: inline CSS, no scripts, A4 print rules.
public enum BulletinHTML {
    /// The document as one self-contained HTML page (inline CSS and SVG charts, A4 print CSS, no script).
    public static func render(_ doc: BulletinDocument) -> String {
        var h = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(doc.title)) \(escape(doc.date))</title>
        <style>
        @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
        body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; color: #111; margin: 0 auto; max-width: 180mm; padding: 8px; line-height: 1.6; font-size: 11pt; }
        header { text-align: center; border-bottom: 2px solid #b00; margin-bottom: 12px; }
        header h1 { color: #b00; font-size: 20pt; margin: 8px 0 4px; letter-spacing: 2px; }
        header .meta { display: flex; justify-content: space-between; font-size: 10pt; padding-bottom: 4px; }
        h2 { font-size: 13pt; margin: 16px 0 6px; break-after: avoid; }
        table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 6px 0; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; }
        th, td { border: 1px solid #999; padding: 2px 5px; }
        th { background: #eee; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.em { color: #b00; font-weight: bold; }
        ul { margin: 4px 0; padding-left: 22px; }
        footer { margin-top: 18px; border-top: 1px solid #999; font-size: 9pt; color: #444; }
        .wrap { overflow-x: auto; }
        @media print { body { padding: 0; } }
        @media (max-width: 600px) {
          body { font-size: 10.5pt; padding: 6px; }
          header h1 { font-size: 15pt; letter-spacing: 0; }
          header .meta { flex-wrap: wrap; gap: 0 8px; font-size: 9pt; }
          table { font-size: 8.5pt; }
          th, td { padding: 1px 3px; }
          th:first-child, td:first-child { white-space: nowrap; }
          table.wide { min-width: 600px; }
          figure { margin: 6px 0; }
          figure svg text { font-size: 17px; }
        }
        </style>
        </head>
        <body>
        <header>
        <h1>\(escape(doc.title))</h1>
        <div class="meta"><span>第\(doc.issueNumber)期</span><span>\(escape(doc.issuer))</span><span>\(escape(doc.date))</span></div>
        </header>

        """
        for section in doc.sections {
            h += "<section>\n<h2>\(escape(section.heading))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    h += "<p>\(escape(text))</p>\n"
                case .list(let items, let more):
                    h += "<ul>\n" + items.map { "<li>\(escape($0))</li>\n" }.joined()
                    if more > 0 { h += "<li>……另有\(more)项，详见 anomalies.csv</li>\n" }
                    h += "</ul>\n"
                case .chart(let chart):
                    h += svg(chart)
                case .table(let t):
                    h += "<div class=\"wrap\"><table\(t.columns.count > 7 ? " class=\"wide\"" : "")>\n<thead><tr>" + t.columns.map { "<th>\(escape($0))</th>" }.joined()
                        + "</tr></thead>\n<tbody>\n"
                    for (i, row) in t.rows.enumerated() {
                        h += "<tr>"
                        for (c, cell) in row.enumerated() {
                            let classes = [c > 0 && BulletinDocument.Table.isFigure(cell) ? "n" : nil,
                                           t.emphasised.contains(.init(row: i, column: c)) ? "em" : nil].compactMap { $0 }
                            h += classes.isEmpty ? "<td>\(escape(cell))</td>" : "<td class=\"\(classes.joined(separator: " "))\">\(escape(cell))</td>"
                        }
                        h += "</tr>\n"
                    }
                    h += "</tbody>\n</table></div>\n"
                }
            }
            h += "</section>\n"
        }
        h += "<footer>\n" + doc.footer.map { "<p>\(escape($0))</p>\n" }.joined() + "</footer>\n</body>\n</html>\n"
        return h
    }

    static let seriesColours = ["#b00", "#1f5fa8"]

    /// An inline SVG line chart.
    static func svg(_ chart: BulletinDocument.Chart) -> String {
        let width = 640.0, height = 216.0, left = 40.0, right = 12.0, top = 40.0, bottom = 28.0
        let plotW = width - left - right, plotH = height - top - bottom
        let n = max(1, chart.labels.count - 1)
        func x(_ i: Int) -> Double { left + plotW * Double(i) / Double(n) }
        func y(_ v: Double) -> Double { top + plotH * (1 - chart.position(v)) }
        func f(_ v: Double) -> String { String(Int((v * 10).rounded()) / 10) + "." + String(Int((v * 10).rounded()) % 10) }
        var svg = "<figure><svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"\(escape(chart.title))\">\n"
        svg += "<text x=\"\(Int(left))\" y=\"14\" font-size=\"12\">\(escape(chart.title))</text>\n"
        for tick in chart.ticks {
            let yy = f(y(tick))
            svg += "<line x1=\"\(Int(left))\" y1=\"\(yy)\" x2=\"\(Int(width - right))\" y2=\"\(yy)\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(Int(left) - 4)\" y=\"\(yy)\" font-size=\"9\" text-anchor=\"end\" dy=\"3\">\(chart.tickLabel(tick))</text>\n"
        }
        for (i, label) in chart.labels.enumerated() where chart.labelled(i) {
            svg += "<text x=\"\(f(x(i)))\" y=\"\(Int(height) - 10)\" font-size=\"9\" text-anchor=\"middle\">\(escape(label))</text>"
        }
        svg += "\n"
        for (k, series) in chart.series.enumerated() {
            let colour = seriesColours[k % seriesColours.count]
            let points = series.values.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
            svg += "<text x=\"\(Int(left) + 110 * k)\" y=\"30\" font-size=\"11\" fill=\"\(colour)\">— \(escape(series.name))</text>\n"
        }
        return svg + "</svg></figure>\n"
    }

    static func escape(_ s: String) -> String { Markup.escape(Masking.scrub(s)) }
}
