import BulletinCore
import BulletinPipeline
import BulletinReport
import BulletinSample
import BulletinTestSupport
import BulletinValidate
import Foundation
import Testing

/// manifest.json is written straight into bytes; its text must be what the same document gives as a
/// `JSONValue` tree, on a real landing in every format with broken files among it.
struct ManifestLayoutTests {
    @Test func manifestIsWrittenExactlyAsItsTreeRenders() throws {
        var config = SampleConfig()
        config.days = 2
        config.peopleScale = 0.02
        config.seed = 5
        config.formats = [.csv, .spreadsheetML, .xlsx, .xls]
        let landing = temporaryFolder("manifest-layout").appendingPathComponent("landing")
        let truth = try SampleGenerator(config: config).generate(into: landing)
        let day = landing.appendingPathComponent(truth.lastDay).appendingPathComponent("其他")
        try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true)
        // A name to escape, a control character (a rejected row), a cut-off workbook (a rejected file),
        // a sheet with no header (a note), a file of no form (a warning).
        try Data("检查日期,机构代码\n\(truth.lastDay),HYK\u{0}001\n".utf8).write(to: day.appendingPathComponent("引号\"与\\斜杠.csv"))
        try Data(SampleWorkbook.xls(sheet: "日报", rows: [["报告日期", "机构代码"]]).prefix(700)).write(to: day.appendingPathComponent("截断.xls"))
        try Data("甲,乙\n1,2\n".utf8).write(to: day.appendingPathComponent("无表头.csv"))

        let found = try Landing(root: landing.path)
        let files = found.days.values.flatMap { $0 } + found.registries.values.flatMap { $0 }
        let ingested = try IngestedFile.ingestAll(files, root: found.root, reading: .init(pseudonyms: .testing))
        // Every other roster file as a date would list it were its rows all in replaced snapshots.
        var rosterFiles = 0
        let inputs = ingested.map {
            let superseded = $0.validated.rowSnapshots != nil && { rosterFiles += 1; return rosterFiles % 2 == 0 }()
            return Manifest.Input(source: $0.file.relativePath, sha256: $0.sha256, bytes: $0.bytes, format: $0.file.format.rawValue,
                                  encoding: $0.encoding, landingDay: $0.file.day.description, validated: $0.validated,
                                  superseded: superseded)
        }
        #expect(inputs.contains { $0.superseded }
                && zip(inputs, ingested).contains { !$0.superseded && $1.validated.rowSnapshots != nil })
        #expect(inputs.contains { $0.fileRejected })
        #expect(inputs.contains { $0.sheets.contains { $0.note != nil } })
        #expect(inputs.contains { $0.sheets.contains { $0.sheet != nil } })
        #expect(inputs.contains { $0.encoding == nil })
        let manifest = Manifest(date: try #require(LocalDate(iso: truth.lastDay)), toolVersion: "1.2.3", pipelineFile: "daily.yaml",
                                pipelineSHA256: String(repeating: "ab", count: 32), parameters: PipelineParameters(), view: "as_of",
                                registrySource: nil, inputs: inputs, landingNotes: found.notes + ["备注"])
        let written = manifest.renderedBytes()
        #expect(written == tree(of: manifest).renderedBytes())
        #expect(String(decoding: written, as: UTF8.self).contains(#""source": "\#(truth.lastDay)/其他/引号\"与\\斜杠.csv""#))
        #expect(try JSONSerialization.jsonObject(with: Data(written)) is [String: Any])

        // Through a run's shared entries (a rerun's dates): written once, taken again, and told apart by
        // whether the date supersedes the file.
        var shared = manifest
        shared.entries = Manifest.Entries()
        #expect(shared.renderedBytes() == written)
        #expect(shared.renderedBytes() == written)
        var flipped = shared
        flipped.inputs = inputs.map { var input = $0; input.superseded.toggle(); return input }
        var flippedDirect = flipped
        flippedDirect.entries = nil
        #expect(flipped.renderedBytes() == tree(of: flippedDirect).renderedBytes())
        #expect(flipped.renderedBytes() != written)
    }

    /// The manifest as a tree, its members in the order manifest.json has always had them.
    private func tree(of m: Manifest) -> JSONValue {
        var totals = (read: 0, accepted: 0, rejected: 0, skipped: 0, superseded: 0)
        let inputs: [JSONValue] = m.inputs.sorted { $0.source < $1.source }.map { input in
            let sheets: [JSONValue] = input.sheets.map { s in
                // A superseded file's data rows are skipped, as superseded; its other rows as they were.
                let data = input.superseded ? s.rowsRead - s.skipped : 0
                let (accepted, rejected, skipped) = input.superseded ? (0, 0, s.rowsRead) : (s.accepted, s.rejected, s.skipped)
                totals.read += s.rowsRead
                totals.accepted += accepted
                totals.rejected += rejected
                totals.skipped += skipped
                totals.superseded += data
                var members: [(String, JSONValue)] = s.sheet.map { [("sheet", .string($0))] } ?? []
                members += [("form", s.form.map { .string($0.rawValue) } ?? .null), ("rows_read", .int(s.rowsRead)),
                            ("accepted", .int(accepted)), ("rejected", .int(rejected)), ("skipped", .int(skipped))]
                if input.superseded { members.append(("superseded", .int(data))) }
                if let note = s.note { members.append(("note", .string(note))) }
                return .object(members)
            }
            var members: [(String, JSONValue)] = [
                ("source", .string(input.source)), ("sha256", .digest(input.sha256)), ("bytes", .int(input.bytes)),
                ("landing_day", .string(input.landingDay)), ("format", .string(input.format)),
            ]
            if let e = input.encoding { members.append(("encoding", .string(e))) }
            let forms = Set(input.sheets.compactMap(\.form)).map(\.rawValue).sorted()
            members += [("forms", .array(forms.map { .string($0) })), ("file_rejected", .bool(input.fileRejected))]
            if input.superseded { members.append(("superseded", .bool(true))) }
            return .object(members + [("sheets", .array(sheets)), ("warnings", .array(input.warnings.map { .string($0) }))])
        }
        return .object([
            ("schema", .string(Manifest.schema)), ("date", .string(m.date.description)), ("tool", .string("bulletin")),
            ("tool_version", .string(m.toolVersion)),
            ("purpose", .string("仅用于疫情防控工作（epidemic prevention and control only）；输入文件仅以SHA-256引用，不复制其内容")),
            ("pipeline", .object([("file", .string(m.pipelineFile)), ("sha256", .digest(m.pipelineSHA256)),
                                  ("parameters", ParametersJSON.value(m.parameters))])),
            ("view", .string(m.view)), ("registry", m.registrySource.map { .string($0) } ?? .null),
            ("rows", .object([("read", .int(totals.read)), ("accepted", .int(totals.accepted)),
                              ("rejected", .int(totals.rejected)), ("skipped", .int(totals.skipped)),
                              ("superseded", .int(totals.superseded))])),
            ("landing_notes", .array(m.landingNotes.map { .string($0) })),
            ("inputs", .array(inputs)),
        ])
    }
}
