import BulletinCore

/// The ID numbers of a roster sheet's rows waiting for their pseudonyms, made a batch of rows at a
/// time (`Pseudonymizer.pseudonyms(of:into:)`: AES on many blocks in one call) instead of a MAC per
/// row. Each number is where it lies in the sheet's bytes (nothing is copied): `fill` before the rows
/// are let go.
struct PendingPseudonyms {
    private var waiting: [(number: UnsafeRawBufferPointer, entry: Int)] = []

    /// Rows a batch takes: enough that OpenSSL's call is paid a few times per sheet, few enough that the
    /// numbers' blocks stay in the cache.
    static let batchRows = 256

    /// Whether a batch is waiting whole (`fill` it).
    var isFull: Bool { waiting.count >= Self.batchRows }

    /// Adds `number` (valid until `fill`) for the roster's entry at `entry` (a later number for the same
    /// entry takes its place: that entry was not kept, and a later row's took its index).
    mutating func add(_ number: UnsafeBufferPointer<UInt8>, for entry: Int) {
        if waiting.isEmpty { waiting.reserveCapacity(Self.batchRows) }
        waiting.append((UnsafeRawBufferPointer(number), entry))
    }

    /// Gives each waiting entry of `roster` its pseudonym under `pseudonyms`, then forgets the numbers.
    mutating func fill(_ roster: inout [RosterEntry], under pseudonyms: Pseudonymizer) {
        guard !waiting.isEmpty else { return }
        let count = waiting.count
        withUnsafeTemporaryAllocation(of: UnsafeRawBufferPointer.self, capacity: count) { numbers in
            withUnsafeTemporaryAllocation(of: Pseudonym.self, capacity: count) { made in
                for k in 0..<count { numbers.initializeElement(at: k, to: waiting[k].number) }
                pseudonyms.pseudonyms(of: UnsafeBufferPointer(numbers), into: made)
                roster.withUnsafeMutableBufferPointer { roster in
                    for k in 0..<count where waiting[k].entry < roster.count { roster[waiting[k].entry].person.pseudonym = made[k] }
                }
            }
        }
        waiting.removeAll(keepingCapacity: true)
    }
}
