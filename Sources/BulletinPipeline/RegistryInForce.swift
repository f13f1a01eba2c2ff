import BulletinAggregate
import BulletinCore
import BulletinValidate
import Foundation

/// The registry in force on a date: the newest revision on or before it that can be used. A revision
/// that is empty, unreadable or lacks a required column is rejected whole; the one before stays in force.
struct RegistryInForce {
    let date: LocalDate
    let files: [IngestedFile]
    let institutions: [String: Institution]
    let rejects: [Reject]
    /// Newer revisions passed over, as critical anomalies of the date.
    let passedOver: [Anomaly]
    /// The rejects of a passed-over revision dated the date itself (rejects.csv of its own date).
    let passedOverRejects: [Reject]

    /// Chooses among the revisions of `landing` on or before `date`, reading them from `ingested`
    /// (or ingesting them when absent); nil when no revision can be used, with the reason in `why`.
    static func choose(on date: LocalDate, landing: Landing, ingested: [IngestedFile],
                       reading: IngestedFile.Reading, why: inout String) -> RegistryInForce? {
        var passedOver: [Anomaly] = []
        var passedOverRejects: [Reject] = []
        for revision in landing.registries.keys.filter({ $0 <= date }).sorted(by: >) {
            var files = ingested.filter { $0.file.day == revision && $0.file.relativePath.hasPrefix("registry/") }
            if files.isEmpty { files = (try? IngestedFile.ingestAll(landing.registries[revision]!, root: landing.root, reading: reading)) ?? [] }
            let (institutions, rejects) = DayAssembler.registry(from: files)
            if !institutions.isEmpty {
                let kept = passedOver.map { a in
                    var a = a
                    a.message += "，仍沿用\(revision)的名录"
                    return a
                }
                return RegistryInForce(date: revision, files: files, institutions: institutions, rejects: rejects,
                                       passedOver: kept, passedOverRejects: passedOverRejects)
            }
            if revision == date { passedOverRejects = rejects }
            let names = files.map(\.file.relativePath).joined(separator: "、")
            let reason = files.flatMap(\.validated.rejects).first?.message ?? "没有任何机构"
            passedOver.append(Anomaly(date: date, rule: .registryRejected, source: files.first?.file.relativePath ?? "",
                                      message: "机构名录修订\(names)无法使用（\(reason)）"))
            why += "机构名录修订\(names)无法使用（\(reason)）；"
        }
        return nil
    }
}
