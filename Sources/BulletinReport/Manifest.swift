import BulletinCore
import BulletinValidate

/// manifest.json: what a run read and how every row was accounted for.
public struct Manifest: Sendable {
    /// One input file of the run.
    public struct Input: Sendable {
        public var source: String
        public var sha256: String
        public var bytes: Int
        public var format: String
        public var encoding: String?
        public var landingDay: String
        public var validated: ValidatedFile

        public init(source: String, sha256: String, bytes: Int, format: String, encoding: String?,
                    landingDay: String, validated: ValidatedFile) {
            self.source = source
            self.sha256 = sha256
            self.bytes = bytes
            self.format = format
            self.encoding = encoding
            self.landingDay = landingDay
            self.validated = validated
        }
    }

    public var date: LocalDate
    public var toolVersion: String
    public var pipelineFile: String
    public var pipelineSHA256: String
    /// The definition's values (see `ParametersJSON`).
    public var parameters: PipelineParameters
    /// `as_of` (landing days up to the date) or `final` (every landing day).
    public var view: String
    public var registrySource: String?
    public var inputs: [Input]
    /// What the run found wrong with the landing folder itself (misnamed or unreadable folders,
    /// links not followed, files skipped).
    public var landingNotes: [String]

    public init(date: LocalDate, toolVersion: String, pipelineFile: String, pipelineSHA256: String,
                parameters: PipelineParameters, view: String, registrySource: String?, inputs: [Input], landingNotes: [String] = []) {
        self.parameters = parameters
        self.landingNotes = landingNotes
        self.date = date
        self.toolVersion = toolVersion
        self.pipelineFile = pipelineFile
        self.pipelineSHA256 = pipelineSHA256
        self.view = view
        self.registrySource = registrySource
        self.inputs = inputs
    }

    /// The version of manifest.json's shape; the changelog records what each version changed.
    public static let schema = "bulletin-manifest/1"

    /// manifest.json: inputs with their digests and row accounting, the definition, the landing notes.
    public func render() -> String { String(decoding: renderedBytes(), as: UTF8.self) }

    /// `render()` as UTF-8, as it is written: the inputs straight into bytes (as a tree, building and
    /// freeing 2,935 inputs' values cost more than writing them).
    public func renderedBytes() -> [UInt8] {
        var totals = (read: 0, accepted: 0, rejected: 0, skipped: 0)
        for s in inputs.lazy.flatMap(\.validated.sheets) {
            totals.read += s.rowsRead
            totals.accepted += s.accepted
            totals.rejected += s.rejected
            totals.skipped += s.skipped
        }
        var w = JSONWriter(capacity: 4096 + 600 * inputs.count)
        w.openObject()
        for (key, value): (StaticString, JSONValue) in [
            ("schema", .string(Manifest.schema)),
            ("date", .string(date.description)),
            ("tool", .string("bulletin")),
            ("tool_version", .string(toolVersion)),
            ("purpose", .string(Manifest.purpose)),
            ("pipeline", .object([("file", .string(pipelineFile)), ("sha256", .digest(pipelineSHA256)),
                                  ("parameters", ParametersJSON.value(parameters))])),
            ("view", .string(view)),
            ("registry", registrySource.map { .string($0) } ?? .null),
            ("rows", .object([
                ("read", .int(totals.read)), ("accepted", .int(totals.accepted)),
                ("rejected", .int(totals.rejected)), ("skipped", .int(totals.skipped)),
            ])),
            ("landing_notes", .array(landingNotes.map { .string($0) })),
        ] {
            w.key(key)
            w.value(value)
        }
        w.key("inputs")
        w.openArray()
        for input in inputs.sorted(by: { $0.source < $1.source }) {
            Manifest.write(input, into: &w)
        }
        w.closeArray()
        w.closeObject()
        return w.finished()
    }

    private static func write(_ input: Input, into w: inout JSONWriter) {
        let v = input.validated
        w.openObject()
        w.key("source"); w.text(input.source)
        w.key("sha256"); w.code(input.sha256)
        w.key("bytes"); w.int(input.bytes)
        // The landing day, format and encoding are the tool's own words (a date, a format's and an encoding's name).
        w.key("landing_day"); w.code(input.landingDay)
        w.key("format"); w.code(input.format)
        if let e = input.encoding { w.key("encoding"); w.code(e) }
        w.key("forms")
        w.openArray()
        for form in v.forms { w.code(form.rawValue) }
        w.closeArray()
        w.key("file_rejected"); w.bool(v.fileRejected)
        w.key("sheets")
        w.openArray()
        for s in v.sheets {
            w.openObject()
            if let name = s.sheet { w.key("sheet"); w.text(name) }
            w.key("form")
            if let form = s.form { w.code(form.rawValue) } else { w.value(.null) }
            w.key("rows_read"); w.int(s.rowsRead)
            w.key("accepted"); w.int(s.accepted)
            w.key("rejected"); w.int(s.rejected)
            w.key("skipped"); w.int(s.skipped)
            if let note = s.note { w.key("note"); w.text(note) }
            w.closeObject()
        }
        w.closeArray()
        w.key("warnings")
        w.openArray()
        for warning in v.warnings { w.text(warning) }
        w.closeArray()
        w.closeObject()
    }

    /// Why this data is processed (PIPL art. 6: a stated, limited purpose); inputs are referenced by digest only.
    static let purpose = "仅用于疫情防控工作（epidemic prevention and control only）；输入文件仅以SHA-256引用，不复制其内容"
}
