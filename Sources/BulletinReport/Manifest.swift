import BulletinCore
import BulletinValidate
import Foundation

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
        /// What the manifest says of the file's reading: its sheets' accounting, whether it was rejected
        /// whole, its warnings (the file's records stay with it: copying them for every input was most of
        /// what listing a season's files cost).
        public var sheets: [ValidatedFile.SheetAccount]
        public var fileRejected: Bool
        public var warnings: [String]
        /// Whether every row of the file is in a roster snapshot that a newer one of its institution
        /// replaced on or before the date (`ValidatedFile.isSuperseded`): the date uses none of them.
        public var superseded: Bool

        public init(source: String, sha256: String, bytes: Int, format: String, encoding: String?,
                    landingDay: String, validated: ValidatedFile, superseded: Bool = false) {
            self.source = source
            self.sha256 = sha256
            self.bytes = bytes
            self.format = format
            self.encoding = encoding
            self.landingDay = landingDay
            sheets = validated.sheets
            fileRejected = validated.fileRejected
            warnings = validated.warnings
            self.superseded = superseded
        }

        /// A sheet's rows as the date counts them: a superseded file's data rows are neither accepted
        /// nor rejected but skipped, as superseded (they may not have been typed at all).
        public func counted(_ s: ValidatedFile.SheetAccount) -> Rows {
            guard superseded else { return Rows(read: s.rowsRead, accepted: s.accepted, rejected: s.rejected, skipped: s.skipped) }
            let rows = s.rowsRead - s.skipped
            return Rows(read: s.rowsRead, accepted: 0, rejected: 0, skipped: s.rowsRead, superseded: rows)
        }

        /// The file's rows as the date counts them, all sheets together.
        public var rows: Rows { sheets.reduce(into: Rows()) { $0.add(counted($1)) } }
    }

    /// Every input's rows together (by index: a closure given each input copied its file's records).
    public static func totals(_ inputs: [Input]) -> Rows {
        inputs.indices.reduce(into: Rows()) { $0.add(inputs[$1].rows) }
    }

    /// Row accounting: read = accepted + rejected + skipped; `superseded` rows are among the skipped.
    public struct Rows: Sendable, Equatable {
        public var read = 0, accepted = 0, rejected = 0, skipped = 0, superseded = 0

        public init(read: Int = 0, accepted: Int = 0, rejected: Int = 0, skipped: Int = 0, superseded: Int = 0) {
            (self.read, self.accepted, self.rejected, self.skipped, self.superseded) = (read, accepted, rejected, skipped, superseded)
        }

        public mutating func add(_ other: Rows) {
            read += other.read
            accepted += other.accepted
            rejected += other.rejected
            skipped += other.skipped
            superseded += other.superseded
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
    /// The inputs' entries as earlier manifests of the run wrote them, shared by its dates; nil: each
    /// written anew.
    public var entries: Entries?

    public init(date: LocalDate, toolVersion: String, pipelineFile: String, pipelineSHA256: String,
                parameters: PipelineParameters, view: String, registrySource: String?, inputs: [Input], landingNotes: [String] = [],
                entries: Entries? = nil) {
        self.entries = entries
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
    public static let schema = "bulletin-manifest/2"

    /// manifest.json: inputs with their digests and row accounting, the definition, the landing notes.
    public func render() -> String { String(decoding: renderedBytes(), as: UTF8.self) }

    /// `render()` as UTF-8, as it is written: the inputs straight into bytes (as a tree, building and
    /// freeing 2,935 inputs' values cost more than writing them).
    public func renderedBytes() -> [UInt8] {
        let totals = Manifest.totals(inputs)
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
                ("rejected", .int(totals.rejected)), ("skipped", .int(totals.skipped)), ("superseded", .int(totals.superseded)),
            ])),
            ("landing_notes", .array(landingNotes.map { .string($0) })),
        ] {
            w.key(key)
            w.value(value)
        }
        w.key("inputs")
        w.openArray()
        // In order of source, the inputs themselves not moved (each holds a file's records).
        for i in inputs.indices.sorted(by: { inputs[$0].source < inputs[$1].source }) {
            if let entries { w.item(entries.entry(for: inputs[i])) } else { Manifest.write(inputs[i], into: &w) }
        }
        w.closeArray()
        w.closeObject()
        return w.finished()
    }

    private static func write(_ input: Input, into w: inout JSONWriter) {
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
        if input.sheets.count == 1 {   // most files: no list to make and sort
            if let form = input.sheets[0].form { w.code(form.rawValue) }
        } else {
            for form in input.sheets.forms { w.code(form.rawValue) }
        }
        w.closeArray()
        w.key("file_rejected"); w.bool(input.fileRejected)
        if input.superseded { w.key("superseded"); w.bool(true) }
        w.key("sheets")
        w.openArray()
        for s in input.sheets {
            let rows = input.counted(s)
            w.openObject()
            if let name = s.sheet { w.key("sheet"); w.text(name) }
            w.key("form")
            if let form = s.form { w.code(form.rawValue) } else { w.value(.null) }
            w.key("rows_read"); w.int(rows.read)
            w.key("accepted"); w.int(rows.accepted)
            w.key("rejected"); w.int(rows.rejected)
            w.key("skipped"); w.int(rows.skipped)
            if input.superseded { w.key("superseded"); w.int(rows.superseded) }
            if let note = s.note { w.key("note"); w.text(note) }
            w.closeObject()
        }
        w.closeArray()
        w.key("warnings")
        w.openArray()
        for warning in input.warnings { w.text(warning) }
        w.closeArray()
        w.closeObject()
    }

    /// Inputs' entries as `renderedBytes` writes them, each written once and shared by every manifest of a
    /// run that lists the file alike (one run reads each file once: its path names it). A rerun's dates
    /// list the season's files again and again: a 30-day rerun wrote 51k entries of 2,935 files, each a
    /// few thousand instructions. Safe from any thread.
    public final class Entries: @unchecked Sendable {
        /// What an entry follows from: the file, named by its path (a run reads each path once), and whether
        /// the date supersedes it. Hashed and compared as bytes: a Chinese path hashed as a String is
        /// normalised first (2k instructions a lookup).
        private struct Key: Hashable {
            let source: String, superseded: Bool

            func hash(into hasher: inout Hasher) {
                var source = source
                source.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                hasher.combine(superseded)
            }

            static func == (a: Key, b: Key) -> Bool {
                guard a.superseded == b.superseded, a.source.utf8.count == b.source.utf8.count else { return false }
                var (x, y) = (a.source, b.source)
                return x.withUTF8 { x in y.withUTF8 { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
            }
        }

        private let lock = NSLock()
        private var written: [Key: [UInt8]] = [:]

        public init() {}

        /// `input`'s entry, from its first `{` to its last `}`, as `Manifest.write` puts it in the inputs.
        func entry(for input: Input) -> [UInt8] {
            let key = Key(source: input.source, superseded: input.superseded)
            if let known = lock.withLock({ written[key] }) { return known }
            // Written at the depth of the manifest's inputs (inside the document and its array), then
            // taken from its first brace: the item's comma, line and indent are the manifest's to write.
            var w = JSONWriter(capacity: 1024)
            w.openArray()
            w.openArray()
            Manifest.write(input, into: &w)
            let document = w.finished()
            let entry = Array(document[document.firstIndex(of: UInt8(ascii: "{"))!..<(document.count - 1)])
            lock.withLock { written[key] = entry }
            return entry
        }
    }

    /// Why this data is processed (PIPL art. 6: a stated, limited purpose); inputs are referenced by digest only.
    static let purpose = "仅用于疫情防控工作（epidemic prevention and control only）；输入文件仅以SHA-256引用，不复制其内容"
}
