import BulletinCore

/// One daily-report row the generator wrote, with what it means for the truth.
struct LedgerRow {
    var code: String
    var day: Int
    var folderDay: Int
    var submittedSecond: Int
    /// Submitted on a later day than the report date (arrived the next day).
    var submittedDayOffset = 0
    /// False when a planted problem makes the row a reject.
    var usable = true
    var students: [Int]
    var staff: [Int]
    var learners: Int?
    var difficulty: Int?
    var zeroFlag: Bool
    var name: String
    var source = ""
    var row = 0

    var hasCases: Bool { Figure.cases.contains { students[$0.rawValue] > 0 || staff[$0.rawValue] > 0 } }
    var submittedKey: Int { (day + submittedDayOffset) * 86_400 + submittedSecond }
}
