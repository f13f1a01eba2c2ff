import BulletinAggregate
import BulletinCore
import BulletinValidate

/// `bulletin check`'s judgement of one file: the night's own rules, run on the file as if it were
/// the only one to arrive, keeping those a single file decides.
public enum FileCheck {
    /// Rules one file decides by itself, whatever else arrives.
    public static let fileRules = Set(Rule.allCases.filter { $0.scope == .file })
    /// Rules that also need the registry in force (`--registry`, `--landing`).
    public static let registryRules = Set(Rule.allCases.filter { $0.scope == .registry })

    /// What the night would say about a file beyond its rejects.
    public struct Verdict: Sendable {
        /// The file's own dates (报告日期, 摸排日期, …), oldest first.
        public var dates: [LocalDate]
        /// The institution codes the file's rows name, sorted.
        public var institutions: [String]
        /// The anomalies of `fileRules` (and of `registryRules` with a registry), in anomalies.csv order.
        public var anomalies: [Anomaly]
        /// Rows only the registry can reject (a training institution's inspection without 是否停课).
        public var registryRejects: [Reject]
    }

    /// Judges `file` on each of its own dates. With `registry` nil, every institution the file names
    /// is taken as active and known, and the registry's rules are left out.
    public static func judge(_ file: ValidatedFile, registry: [String: Institution]?, parameters: PipelineParameters) -> Verdict {
        let codes = Set(file.dailyReports.map(\.code) + file.rosterEntries.map(\.code) + file.careContacts.map(\.code)
                        + file.inspections.map(\.code))
        var dates = Set(file.dailyReports.map(\.date) + file.rosterEntries.map(\.asOf) + file.careContacts.map(\.date)
                        + file.dutyShifts.map(\.date) + file.inspections.map(\.date))
        for t in file.totalRows { dates.formUnion(t.dates) }
        let known = registry ?? assumedRegistry(file, codes: codes)
        let rules = registry == nil ? fileRules : fileRules.union(registryRules)
        let wrapped = IngestedFile(file: Landing.File(relativePath: file.source, format: .csv, day: dates.max() ?? parameters.firstDay),
                                   sha256: "", bytes: 0, encoding: nil, validated: file)
        var anomalies: [Anomaly] = [], registryRejects: [Reject] = []
        for date in dates.sorted() {
            var day = wrapped
            day.file.day = date
            let inputs = DayAssembler.inputs(date: date, registry: known, registryDate: nil, registryRejects: [],
                                             dayFiles: [day], parameters: parameters)
            registryRejects += inputs.rejects.filter { !file.rejects.contains($0) && !registryRejects.contains($0) }
            for a in DayAggregator.aggregate(inputs, parameters: parameters).anomalies where rules.contains(a.rule) {
                if !anomalies.contains(a) { anomalies.append(a) }
            }
        }
        return Verdict(dates: dates.sorted(), institutions: codes.sorted(), anomalies: anomalies.sorted(by: Anomaly.precedes),
                       registryRejects: registryRejects)
    }

    /// The institutions of a registry file (later duplicates of a code rejected, as at night).
    public static func registry(of file: ValidatedFile) -> [String: Institution] {
        let wrapped = IngestedFile(file: Landing.File(relativePath: file.source, format: .csv, day: LocalDate(dayNumber: 0)),
                                   sha256: "", bytes: 0, encoding: nil, validated: file)
        return DayAssembler.registry(from: [wrapped]).institutions
    }

    /// The registry the night would hold in force on `date` (an unusable revision hands over to the one
    /// before it), from the landing's ingested registry files; nil when there is none.
    public static func registryInForce(on date: LocalDate, landing: Landing, ingested: [IngestedFile],
                                       reading: IngestedFile.Reading) -> [String: Institution]? {
        var why = ""
        return RegistryInForce.choose(on: date, landing: landing, ingested: ingested, reading: reading, why: &why)?.institutions
    }

    /// Without a registry: each institution the file names, active, a school (no training-only rules),
    /// with the name and enrolment it reports, so no registry comparison can fire.
    private static func assumedRegistry(_ file: ValidatedFile, codes: Set<String>) -> [String: Institution] {
        var registry: [String: Institution] = [:]
        for code in codes {
            let report = file.dailyReports.first { $0.code == code }
            registry[code] = Institution(code: code, name: report?.name ?? "", category: .primary, street: "",
                                         enrolledStudents: report?.counts.figure(.total, of: .students) ?? 0,
                                         staffCount: report?.counts.figure(.total, of: .staff) ?? 0, active: true,
                                         position: Position(source: file.source))
        }
        return registry
    }
}
