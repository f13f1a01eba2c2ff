import BulletinAggregate
import BulletinCore

/// Lays the bulletin model out on A4 pages: masthead, sections, tables that repeat their
/// header on a new page and never split a row, lists that continue with a count, vector charts.
public enum BulletinPDF {
    /// Whether this machine has a font that shows Chinese; without one the PDF would be boxes. (False too
    /// when cairo and pango cannot be opened: `librariesMissing` says so.)
    public static var canShowChinese: Bool { PDFCanvas.hasChineseFont() }

    /// Why cairo and pango cannot be opened on this machine (in Chinese and English), or nil when they can.
    public static var librariesMissing: String? { PDFCanvas.unavailable }

    /// cairo reported an error while drawing.
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// The document as an A4 PDF with the CJK font embedded; `isoDate` dates it (never the clock).
    public static func render(_ doc: BulletinDocument, isoDate: String) throws(Failed) -> [UInt8] {
        try draw(doc, isoDate: isoDate, fontMap: nil)
    }

    /// Lays out, on the other core now, the bulletin of a date with nothing in it, so that the PDF drawn
    /// next finds its fonts loaded and its glyphs measured (a process's first PDF took twice the time of
    /// the next). Nothing is drawn: drawing, compressing and embedding fonts leave nothing in the font
    /// map for the next PDF, and cost twice the layout. For when that core is idle: a warm night's
    /// aggregation runs on one. The answer's `value` waits for the layout to end (a process must not
    /// exit while pango works).
    public static func warmUp(on date: LocalDate, parameters: PipelineParameters) -> Concurrently.Pending<Void> {
        FontMaps.warm { loan in
            let doc = BulletinBuilder.build(DayResult(empty: date), previous: nil, trend: [], parameters: parameters,
                                            sources: .init(files: 0, rowsAccepted: 0, rowsRejected: 0, pipelineSHA256: ""))
            _ = try? draw(doc, isoDate: date.description, fontMap: loan, drawing: false)
        }
    }

    /// `drawing` false: laid out only (`PDFCanvas.init`).
    private static func draw(_ doc: BulletinDocument, isoDate: String, fontMap: FontMapLoan?, drawing: Bool = true) throws(Failed) -> [UInt8] {
        var layout = Layout(canvas: try PDFCanvas(title: "\(doc.title) \(doc.date)", date: isoDate, fontMap: fontMap, drawing: drawing))
        layout.masthead(doc)
        for section in doc.sections {
            layout.heading(section.heading)
            for block in section.blocks {
                switch block {
                case .paragraph(let text): layout.paragraph(text)
                case .list(let items, let more): layout.list(items, more: more)
                case .table(let table): layout.table(table)
                case .chart(let chart): layout.chart(chart)
                }
            }
        }
        layout.footer(doc.footer)
        return try layout.canvas.finish()
    }
}

private struct Layout {
    let canvas: PDFCanvas
    var y = PDFCanvas.top
    let width = PDFCanvas.right - PDFCanvas.left
    let body = 10.5

    init(canvas: PDFCanvas) { self.canvas = canvas }

    /// Starts a new page when `height` does not fit below `y`.
    mutating func ensure(_ height: Double) {
        if y + height > PDFCanvas.bottom {
            canvas.newPage()
            y = PDFCanvas.top
        }
    }

    mutating func masthead(_ doc: BulletinDocument) {
        y += canvas.text(doc.title, x: PDFCanvas.left, y: y, size: 20, bold: true, width: width, align: .center,
                         rgb: (0.7, 0, 0)) + 8
        canvas.text("第\(doc.issueNumber)期", x: PDFCanvas.left, y: y, size: 10)
        canvas.text(doc.issuer, x: PDFCanvas.left, y: y, size: 10, width: width, align: .center)
        y += canvas.text(doc.date, x: PDFCanvas.left, y: y, size: 10, width: width, align: .right) + 4
        canvas.line(PDFCanvas.left, y, PDFCanvas.right, y, width: 2, rgb: (0.7, 0, 0))
        y += 10
    }

    mutating func heading(_ text: String) {
        ensure(60)     // a heading never ends a page alone
        y += 6
        y += canvas.text(text, x: PDFCanvas.left, y: y, size: 13, bold: true) + 4
    }

    // Paragraphs, items and table cells are laid out once: measured for the page break, then drawn as laid out.

    mutating func paragraph(_ text: String) {
        let laid = canvas.lay(text, size: body, width: width)
        ensure(laid.size.h)
        canvas.draw(laid, x: PDFCanvas.left, y: y)
        y += laid.size.h + 4
    }

    mutating func list(_ items: [String], more: Int) {
        for item in items + (more > 0 ? ["……另有\(more)项，详见 anomalies.csv"] : []) {
            let laid = canvas.lay(item, size: body - 0.5, width: width - 14)
            ensure(laid.size.h)
            canvas.text("•", x: PDFCanvas.left + 2, y: y, size: body - 0.5)
            canvas.draw(laid, x: PDFCanvas.left + 14, y: y)
            y += laid.size.h + 2
        }
        y += 4
    }

    mutating func table(_ t: BulletinDocument.Table) {
        let size = 9.0, pad = 3.0
        // The first column is as wide as its longest cell (capped); the rest share what is left.
        let firstWidth = min(width * 0.4, (t.rows.map { $0.first ?? "" } + [t.columns.first ?? ""])
            .map { canvas.measure($0, size: size).w }.max()! + 2 * pad)
        let otherWidth = t.columns.count > 1 ? (width - firstWidth) / Double(t.columns.count - 1) : 0
        func x(_ c: Int) -> Double { PDFCanvas.left + (c == 0 ? 0 : firstWidth + otherWidth * Double(c - 1)) }
        func w(_ c: Int) -> Double { c == 0 ? firstWidth : otherWidth }
        func align(_ c: Int, _ cell: String, header: Bool) -> PDFCanvas.Align {
            header ? .center : (c > 0 && BulletinDocument.Table.isFigure(cell) ? .right : .left)
        }
        // The edges of the rows drawn on this page (the first the top of its first): their borders are drawn
        // once the page's rows are, last, as the text sits inside them.
        let columnEdges = t.columns.indices.map(x) + t.columns.indices.suffix(1).map { x($0) + w($0) }
        var edges: [Double] = []
        /// A row's cells as they are drawn (alignment changes no height); the tallest is the row's height.
        func laid(_ cells: [String], header: Bool) -> (cells: [PDFCanvas.LaidText], height: Double) {
            let texts = cells.enumerated().map { c, cell in
                canvas.lay(cell, size: size, bold: header, width: w(c) - 2 * pad, align: align(c, cell, header: header))
            }
            return (texts, texts.map(\.size.h).max()! + 2 * pad)
        }
        func draw(_ cells: [String], _ row: (cells: [PDFCanvas.LaidText], height: Double), header: Bool, index: Int? = nil) {
            let h = row.height
            if header { canvas.fill(x: PDFCanvas.left, y: y, w: width, h: h, rgb: (0.92, 0.92, 0.92)) }
            for (c, cell) in cells.enumerated() {
                let emphasised = index.map { t.emphasised.contains(.init(row: $0, column: c)) } ?? false
                if emphasised {
                    // Drawn bold in red: laid out again (the row's height is the regular text's).
                    canvas.text(cell, x: x(c) + pad, y: y + pad, size: size, bold: true, width: w(c) - 2 * pad,
                                align: align(c, cell, header: header), rgb: (0.7, 0, 0))
                } else {
                    canvas.draw(row.cells[c], x: x(c) + pad, y: y + pad)
                }
            }
            y += h
            edges.append(y)
        }
        let header = laid(t.columns, header: true)
        let rows = t.rows.map { laid($0, header: false) }
        ensure(header.height + (rows.first?.height ?? 0))
        edges = [y]
        draw(t.columns, header, header: true)
        for (i, row) in t.rows.enumerated() {
            if y + rows[i].height > PDFCanvas.bottom {
                canvas.grid(columns: columnEdges, rows: edges)
                canvas.newPage()
                y = PDFCanvas.top
                edges = [y]
                draw(t.columns, header, header: true)   // the header repeats on the new page
            }
            draw(row, rows[i], header: false, index: i)
        }
        canvas.grid(columns: columnEdges, rows: edges)
        y += 8
    }

    mutating func chart(_ chart: BulletinDocument.Chart) {
        let height = 170.0, plotLeft = PDFCanvas.left + 34, plotRight = PDFCanvas.right - 8
        ensure(height + 10)
        let top = y + 20, plotBottom = y + height - 22
        canvas.text(chart.title, x: PDFCanvas.left, y: y, size: 10, bold: true)
        let colours: [(Double, Double, Double)] = [(0.7, 0, 0), (0.12, 0.37, 0.66)]
        for (k, series) in chart.series.enumerated() {
            let lx = plotRight - 130 + 65 * Double(k)
            canvas.line(lx, y + 7, lx + 14, y + 7, width: 2, rgb: colours[k % 2])
            canvas.text(series.name, x: lx + 18, y: y, size: 9)
        }
        func yy(_ v: Double) -> Double { plotBottom - (plotBottom - top) * chart.position(v) }
        for tick in chart.ticks {
            let ly = yy(tick)
            canvas.line(plotLeft, ly, plotRight, ly, width: 0.3, rgb: (0.8, 0.8, 0.8))
            canvas.text(chart.tickLabel(tick), x: PDFCanvas.left, y: ly - 5, size: 7.5, width: 30, align: .right)
        }
        let n = max(1, chart.labels.count - 1)
        func xx(_ i: Int) -> Double { plotLeft + (plotRight - plotLeft) * Double(i) / Double(n) }
        for (i, label) in chart.labels.enumerated() where chart.labelled(i) {
            canvas.text(label, x: xx(i) - 15, y: plotBottom + 4, size: 7.5, width: 30, align: .center)
        }
        for (k, series) in chart.series.enumerated() {
            canvas.polyline(series.values.enumerated().map { (xx($0.offset), yy($0.element)) }, width: 1.8, rgb: colours[k % 2])
        }
        y += height
    }

    mutating func footer(_ lines: [String]) {
        ensure(16 * Double(lines.count) + 10)
        y += 6
        canvas.line(PDFCanvas.left, y, PDFCanvas.right, y)
        y += 4
        for line in lines { y += canvas.text(line, x: PDFCanvas.left, y: y, size: 8.5, width: width, rgb: (0.3, 0.3, 0.3)) + 2 }
    }
}
