import BulletinAggregate
import BulletinCore

/// Turns one date's result into the files it publishes: those of outputs.md the definition's
/// `outputs` asks for, and the outward edition when it is on. The pipeline only plans, runs and
/// publishes what this returns.
public enum DayArtifacts {
    /// What the date's files say beyond its own result.
    public struct Context: Sendable {
        /// The day before, when files arrived for it (the bulletin's day-on-day changes).
        public var previous: Summary?
        /// Reporting and counts from first_day up to the date, the date last (charts, series.json).
        public var trend: [Summary]
        /// What the bulletin says about its inputs.
        public var sources: BulletinBuilder.Sources
        /// manifest.json, rendered only when asked for.
        public var manifest: Manifest

        public init(previous: Summary?, trend: [Summary], sources: BulletinBuilder.Sources, manifest: Manifest) {
            self.previous = previous
            self.trend = trend
            self.sources = sources
            self.manifest = manifest
        }
    }

    /// Makes the date's files and hands each batch, by name, to `deliver` as soon as it is made (from
    /// either thread); throws when a PDF cannot be drawn or `deliver` throws. The PDFs are drawn beside
    /// the other files, on the second core, so the other files are written while the PDFs are drawn.
    public static func render(_ result: DayResult, _ context: Context, parameters p: PipelineParameters,
                              deliver: @Sendable ([(name: String, bytes: [UInt8])]) throws -> Void) throws {
        let doc = BulletinBuilder.build(result, previous: context.previous, trend: context.trend, parameters: p,
                                        sources: context.sources)
        let outward = p.outwardEdition ? doc.outward(threshold: p.smallCellThreshold) : nil
        _ = try Concurrently.both({ try deliver(textFiles(result, context, doc: doc, outward: outward, parameters: p)) }, {
            try deliver(pdfFiles(doc: doc, outward: outward, isoDate: result.summary.date.description, parameters: p))
        })
    }

    private static func textFiles(_ result: DayResult, _ context: Context, doc: BulletinDocument, outward: BulletinDocument?,
                                  parameters p: PipelineParameters) -> [(name: String, bytes: [UInt8])] {
        var files: [(name: String, bytes: [UInt8])] = []
        func add(_ kind: OutputKind, _ bytes: @autoclosure () -> [UInt8]) {
            if p.outputs.contains(kind) { files.append((kind.fileName, bytes())) }
        }
        add(.summary, Array(SummaryJSON.render(result.summary).utf8))
        add(.anomalies, TableOutputs.anomalies(result.anomalies))
        add(.rejects, TableOutputs.rejects(result.rejects))
        add(.reports, TableOutputs.reports(result, deadline: p.reportDeadline))
        add(.anomaliesWorkbook, AnomalyWorkbook.render(result, parameters: p))
        add(.series, Array(SeriesJSON.render(context.trend, firstDay: p.firstDay).utf8))
        add(.bulletinHTML, Array(BulletinHTML.render(doc).utf8))
        if let outward, p.outputs.contains(.bulletinHTML) {
            files.append(("bulletin-outward.html", Array(BulletinHTML.render(outward).utf8)))
        }
        add(.manifest, context.manifest.renderedBytes())
        return files
    }

    private static func pdfFiles(doc: BulletinDocument, outward: BulletinDocument?, isoDate: String,
                                 parameters p: PipelineParameters) throws -> [(name: String, bytes: [UInt8])] {
        guard p.outputs.contains(.bulletinPDF) else { return [] }
        var files = [(OutputKind.bulletinPDF.fileName, try BulletinPDF.render(doc, isoDate: isoDate))]
        if let outward { files.append(("bulletin-outward.pdf", try BulletinPDF.render(outward, isoDate: isoDate))) }
        return files
    }
}
