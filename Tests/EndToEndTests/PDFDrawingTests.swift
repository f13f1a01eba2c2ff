import BulletinCore
import BulletinPipeline
import BulletinReport
import BulletinTestSupport
import BulletinValidate
import Dispatch
import Testing

/// The PDF is drawn with pango font maps that are kept from one drawing to the next, with the texts the
/// last drawing laid out on them (and one is warmed on the other core while a night aggregates): which
/// map, which thread and which bulletins came before must not show.
struct PDFDrawingTests {
    @Test func theSameBulletinGivesTheSameBytesWhicheverMapAndThreadDrawsIt() throws {
        let (_, folder, truth) = try sampleDistrict("pdf-drawing", days: 3, seed: 17)
        let landing = try Landing(root: folder.path)
        let definition = try PipelineDefinition.load("Pipelines/daily.yaml")
        let reading = IngestedFile.Reading(pseudonyms: .testing)
        let dayFiles = try IngestedFile.ingestAll(landing.days.values.flatMap { $0 }, root: landing.root, reading: reading)
        let registryFiles = try IngestedFile.ingestAll(landing.registries.values.flatMap { $0 }, root: landing.root, reading: reading)
        let date = try #require(LocalDate(iso: truth.lastDay))
        let pipeline = Pipeline(landing: landing, definition: definition, pseudonyms: .testing)
        let (result, _, _) = try pipeline.aggregate(date: date, registryFiles: registryFiles, dayFiles: dayFiles)
        #expect(result.summary.reporting.valid > 0 && !result.anomalies.isEmpty)
        let doc = BulletinBuilder.build(result, previous: nil, trend: [result.summary], parameters: definition.parameters,
                                        sources: .init(files: dayFiles.count, rowsAccepted: 1, rowsRejected: 0, pipelineSHA256: ""))

        let first = try BulletinPDF.render(doc, isoDate: truth.lastDay)
        // Another date's bulletin in between (as a rerun draws them): the map keeps that one's texts.
        let dayBefore = date.adding(days: -1)
        let (other, _, _) = try pipeline.aggregate(date: dayBefore, registryFiles: registryFiles, dayFiles: dayFiles)
        let otherDoc = BulletinBuilder.build(other, previous: nil, trend: [other.summary], parameters: definition.parameters,
                                             sources: .init(files: dayFiles.count, rowsAccepted: 1, rowsRejected: 0, pipelineSHA256: ""))
        let otherAlone = try BulletinPDF.render(otherDoc, isoDate: dayBefore.description)
        let again = try BulletinPDF.render(doc, isoDate: truth.lastDay)
        let otherAgain = try BulletinPDF.render(otherDoc, isoDate: dayBefore.description)
        // The next drawing waits for the map being warmed, and draws with it.
        let warming = BulletinPDF.warmUp(on: date, parameters: definition.parameters)
        let afterWarmUp = try BulletinPDF.render(doc, isoDate: truth.lastDay)
        warming.value
        // Four at once: each map is lent to one drawing at a time, and more are made when every one is out.
        let together = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: 4)
        together.initialize(repeating: [])
        defer { together.deallocate() }
        nonisolated(unsafe) let slots = together
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            slots[i] = (try? BulletinPDF.render(doc, isoDate: truth.lastDay)) ?? []
        }

        #expect(first.starts(with: Array("%PDF-".utf8)) && first.count > 10_000)
        #expect(afterWarmUp == first)
        #expect(otherAlone != first && otherAgain == otherAlone && again == first)
        #expect(together.allSatisfy { $0 == first })
    }
}
