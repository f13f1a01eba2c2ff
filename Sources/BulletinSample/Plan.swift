import BulletinCore

/// The problems planted in the sample: which institution gets which, on which day.
struct Plan {
    /// Daily-report problems by day: kind → institution codes.
    var daily: [Int: [DailyProblem: [String]]] = [:]
    /// Institutions whose registry 在册学生数 is off by more than 10%.
    var enrollmentOff: Set<String> = []
    /// Institutions that stop resending rosters after day 0.
    var staleRosters: Set<String> = []
    /// The training institution closed by the registry revision, and from which day.
    var closed: (code: String, day: Int)?

    enum DailyProblem: CaseIterable {
        case missing, lateSameDay, lateNextDay, duplicate, nameMismatch, zeroFlag, sumMismatch, countExceeds
        case badCount, missingValue, badDateTime, missingColumn, spike
    }

    func codes(_ p: DailyProblem, day: Int) -> [String] { daily[day]?[p] ?? [] }

    func problem(of code: String, day: Int) -> DailyProblem? {
        daily[day]?.first { $0.value.contains(code) }?.key
    }
}
