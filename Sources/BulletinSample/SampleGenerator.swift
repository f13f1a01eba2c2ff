import BulletinCore
import BulletinIngest
import Foundation

/// Generates a realistic sample district into a landing folder, with planted problems,
/// and returns the truth a correct pipeline must publish.
///
///     var config = SampleConfig()
///     config.days = 21
///     let truth = try SampleGenerator(config: config).generate(into: URL(fileURLWithPath: "SampleData/landing"))
public struct SampleGenerator {
    public let config: SampleConfig
    var r: SeededRandom
    var institutions: [SampleInstitution] = []
    var people: [String: [SamplePerson]] = [:]
    var plan = Plan()
    var ledger: [LedgerRow] = []
    /// Roster snapshots written: code → day → rows (as typed; `rejected` rows excluded from what the pipeline sees).
    var snapshots: [String: [Int: [RosterRow]]] = [:]
    var rejectedRosterIDs: Set<String> = []
    var expectedRejects: [Int: [String]] = [:]
    var totalRowAnomalies: [Int: [String]] = [:]
    var careContacted: [Int: Set<String>] = [:]
    var careAttention: [Int: [String]] = [:]
    var cadreList: [(name: String, id: String)] = []
    var dutyShifts: [SampleShift] = []
    var doubleBooked: [Int: [String]] = [:]
    var inspectionList: [SampleInspection] = []
    let root: URL

    /// A generator of the district `config` describes.
    public init(config: SampleConfig, root: URL = URL(fileURLWithPath: "/")) {
        self.config = config
        self.r = SeededRandom(seed: config.seed)
        self.root = root
    }

    func date(_ d: Int) -> LocalDate { config.firstDay.adding(days: d) }

    /// Writes the landing folder at `url` (replacing its contents) and, unless `withTruth` is false
    /// (benchmark data), `truth.json` beside it.
    @discardableResult
    public func generate(into url: URL, withTruth: Bool = true) throws -> Truth {
        var g = SampleGenerator(config: config, root: url)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        g.buildDistrict()
        try g.writeRegistry()
        for d in 0..<config.days {
            try g.writeRosters(day: d)
            try g.writeDailyReports(day: d)
            try g.writeJunk(day: d)
            try g.writeCare(day: d)
            try g.writeDuty(day: d)
            try g.writeInspections(day: d)
        }
        guard withTruth else { return Truth() }
        let truth = g.truth()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(truth).write(to: url.deletingLastPathComponent().appendingPathComponent("truth.json"))
        return truth
    }

    /// Writes `sheets` as `relative` in a format picked for the file; returns the path actually used.
    mutating func write(_ sheets: [SheetSpec], relative: String, style: TypingStyle) throws -> String {
        let format = r.pick(config.formats)
        let path = relative + "." + (format == .spreadsheetML ? "xml" : format.rawValue)
        try SampleFileWriter.write(SampleFileWriter.bytes(sheets, format: format, encoding: style.encoding),
                                   to: root.appendingPathComponent(path))
        return format == .csv ? path : path + "#" + sheets[0].name
    }

    /// A file's header in the author's language and column order, and the permutation applied to rows.
    mutating func header(_ form: FormKind, style: TypingStyle, drop: Set<Int> = []) -> (names: [String], order: [Int]) {
        var order = form.columns.indices.filter { !drop.contains($0) }
        if style.shuffle {
            // A stream of its own: how many columns a form has does not move the draws after it.
            var shuffler = SeededRandom(seed: r.next())
            order.shuffle(using: &shuffler)
        }
        return (order.map { style.english ? form.columns[$0].english : form.columns[$0].chinese }, order)
    }
}
