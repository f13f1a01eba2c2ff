import BulletinCore

/// Why the pipeline layer could not do what it was asked: its one error type. Each case says what is
/// wrong and where, in Chinese with the English detail; the command line maps them to exit codes.
public enum PipelineError: Error, CustomStringConvertible {
    /// The landing folder does not exist or is not a folder.
    case landingMissing(path: String)
    /// A pipeline definition that cannot be used, with the key at fault.
    case invalidDefinition(path: String, message: String)
    /// No usable registry revision is dated on or before the date (`why`: revisions that exist but cannot be used).
    case noRegistry(date: LocalDate, why: String)
    /// A date's outputs could not be written (`detail`: the path and the system's reason).
    case cannotPublish(detail: String)
    /// The state folder or the bureau key cannot be used.
    case state(detail: String)
    /// A folder holds no published date (no readable summary.json).
    case notPublished(detail: String)
    /// Some dates of a run could not be published: those that were, and why the others were not.
    case partial(published: [Pipeline.DayOutcome], failures: [(date: LocalDate, error: any Error)])

    public var description: String {
        switch self {
        case .landingMissing(let path):
            return "接收目录不存在：\(path)；请检查 --landing / the landing folder does not exist: \(path)"
        case .invalidDefinition(let path, let message):
            return "流程定义有误 / invalid pipeline definition: \(path): \(message)"
        case .noRegistry(let date, let why):
            return "没有\(date)及以前可用的机构名录（registry/）\(why.isEmpty ? "" : "：" + why) / no usable registry on or before \(date)"
        case .cannotPublish(let detail), .state(let detail), .notPublished(let detail):
            return detail
        case .partial(_, let failures):
            return failures.map { "\($0.date)：\($0.error)" }.joined(separator: "\n")
        }
    }

    /// Whether this is a date without a usable registry (the night then had no input, not a write failure).
    public var isNoRegistry: Bool {
        if case .noRegistry = self { return true }
        return false
    }
}
