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

    /// The date's files, by name; throws when a PDF cannot be drawn.
    public static func render(_ result: DayResult, _ context: Context, parameters p: PipelineParameters) throws
        -> [(name: String, bytes: [UInt8])] {
        var files: [(name: String, bytes: [UInt8])] = []
        func add(_ kind: OutputKind, _ bytes: @autoclosure () throws -> [UInt8]) rethrows {
            if p.outputs.contains(kind) { files.append((kind.fileName, try bytes())) }
        }
        let isoDate = result.summary.date.description
        add(.summary, Array(SummaryJSON.render(result.summary).utf8))
        add(.anomalies, TableOutputs.anomalies(result.anomalies))
        add(.rejects, TableOutputs.rejects(result.rejects))
        add(.reports, TableOutputs.reports(result, deadline: p.reportDeadline))
        add(.anomaliesWorkbook, AnomalyWorkbook.render(result, parameters: p))
        add(.series, Array(SeriesJSON.render(context.trend, firstDay: p.firstDay).utf8))
        let doc = BulletinBuilder.build(result, previous: context.previous, trend: context.trend, parameters: p,
                                        sources: context.sources)
        add(.bulletinHTML, Array(BulletinHTML.render(doc).utf8))
        try add(.bulletinPDF, try BulletinPDF.render(doc, isoDate: isoDate))
        if p.outwardEdition {
            let outward = doc.outward(threshold: p.smallCellThreshold)
            if p.outputs.contains(.bulletinHTML) { files.append(("bulletin-outward.html", Array(BulletinHTML.render(outward).utf8))) }
            if p.outputs.contains(.bulletinPDF) { files.append(("bulletin-outward.pdf", try BulletinPDF.render(outward, isoDate: isoDate))) }
        }
        add(.manifest, context.manifest.renderedBytes())
        return files
    }
}
