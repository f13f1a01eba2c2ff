import BulletinCore

/// Roster files a date does not use: every row of theirs is in a snapshot its institution replaced.
///
/// A roster snapshot is in force from its 摸排日期 until the institution's next usable one (outputs.md).
/// A file whose every row names an institution with a newer usable snapshot on or before a date gives
/// that date nothing: its manifest entry counts the rows as superseded, and a run that keeps no store
/// need not type them (`untypedRosterKeys`). The rule reads only what every reading of the file knows
/// alike, the snapshots its rows name, so a file typed, untyped or taken from the store is judged the same.
extension ValidatedFile {
    /// The snapshots the file's data rows name, when it holds roster sheets alone and each of its rows
    /// names one (an institution code and a 摸排日期 both readable, usable or not); nil otherwise.
    public var rowSnapshots: Set<RosterSnapshot>? {
        if let untypedRosterKeys { return untypedRosterKeys }
        guard !fileRejected, !sheets.isEmpty, sheets.allSatisfy({ $0.form == .roster && $0.note == nil }) else { return nil }
        var keys = rosterSnapshots
        for reject in rejects {
            guard reject.form == .roster, let date = reject.date, let code = reject.institutionCode else { return nil }
            keys.insert(RosterSnapshot(code: code, asOf: date))
        }
        return keys
    }

    /// Whether every row of the file is in a snapshot older than its institution's newest usable one in
    /// `newest` (`code → 摸排日期`, on or before the date being run): the date uses none of them. A file
    /// with no data rows is never superseded.
    public func isSuperseded(byNewest newest: [String: LocalDate]) -> Bool {
        guard let keys = rowSnapshots, !keys.isEmpty else { return false }
        return keys.allSatisfy { key in newest[key.code].map { key.asOf < $0 } ?? false }
    }
}
