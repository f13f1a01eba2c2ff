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

    /// `render()` as UTF-8, as it is written.
    public func renderedBytes() -> [UInt8] {
        var totals = (read: 0, accepted: 0, rejected: 0, skipped: 0)
        let files: [JSONValue] = inputs.sorted { $0.source < $1.source }.map { input in
            let v = input.validated
            let sheets: [JSONValue] = v.sheets.map { s in
                totals.read += s.rowsRead
                totals.accepted += s.accepted
                totals.rejected += s.rejected
                totals.skipped += s.skipped
                var members: [(String, JSONValue)] = []
                if let name = s.sheet { members.append(("sheet", .string(name))) }
                members += [
                    ("form", s.form.map { .string($0.rawValue) } ?? .null),
                    ("rows_read", .int(s.rowsRead)), ("accepted", .int(s.accepted)),
                    ("rejected", .int(s.rejected)), ("skipped", .int(s.skipped)),
                ]
                if let note = s.note { members.append(("note", .string(note))) }
                return .object(members)
            }
            var members: [(String, JSONValue)] = [
                ("source", .string(input.source)), ("sha256", .digest(input.sha256)), ("bytes", .int(input.bytes)),
                ("landing_day", .string(input.landingDay)), ("format", .string(input.format)),
            ]
            if let e = input.encoding { members.append(("encoding", .string(e))) }
            members += [
                ("forms", .array(v.forms.map { .string($0.rawValue) })),
                ("file_rejected", .bool(v.fileRejected)),
                ("sheets", .array(sheets)),
                ("warnings", .array(v.warnings.map { .string($0) })),
            ]
            return .object(members)
        }
        return JSONValue.object([
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
            ("inputs", .array(files)),
        ]).renderedBytes()
    }

    /// Why this data is processed (PIPL art. 6: a stated, limited purpose); inputs are referenced by digest only.
    static let purpose = "仅用于疫情防控工作（epidemic prevention and control only）；输入文件仅以SHA-256引用，不复制其内容"
}
