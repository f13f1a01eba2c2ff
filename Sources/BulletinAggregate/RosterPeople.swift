import BulletinCore
import BulletinValidate

/// The distinct people of the rosters in force on a date, found in one pass over their rows: what
/// `roster.*` counts of each person, and the rows that list a person a row before them already listed
/// (`duplicate_person`).
///
/// People are the same person by pseudonym (`PersonID`'s equality). They are kept in an open-addressing
/// table of their own, indexed by the pseudonym's low word (keyed digest bits are uniform, and no one
/// can make two collide without the bureau's key): two Swift dictionaries — one of figures, one of each
/// person's first row with its institution code, retained per row — were the roster rules' largest cost
/// and a sixth of a warm night's memory.
struct RosterPeople {
    /// The `roster.*` figures.
    let summary: Summary.Roster
    /// Each person's first repeat: the row (by its place in `RosterInForce.forEachEntry`'s order) and
    /// the institution code and row of the person's first listing; in row order.
    let repeats: [Repeat]

    struct Repeat {
        let ordinal: Int
        let firstCode: String
        let firstRow: Int?
    }

    /// The people of `rosters` on `date` (observation and recent return as `parameters` say).
    init(_ rosters: RosterInForce, on date: LocalDate, parameters: PipelineParameters) {
        let codes = rosters.byCode.keys.sorted()
        let rows = codes.reduce(0) { $0 + rosters.byCode[$1]!.count }
        var table = PersonTable(rows: rows)
        var repeats: [Repeat] = []
        var ordinal = 0
        let observationDays = parameters.observationDays
        for (c, code) in codes.enumerated() {
            rosters.byCode[code]!.withUnsafeBufferPointer { entries in
                for r in entries.indices {
                    let e = entries.baseAddress! + r
                    if r + Self.lookAhead < entries.count { table.prefetch(e[Self.lookAhead].person.pseudonym) }
                    let place = PersonTable.Place(code: UInt32(c), row: UInt32(r))
                    if let first = table.add(e.pointee.person.pseudonym, Marks(e, on: date, observationDays: observationDays), at: place) {
                        let listed = rosters.byCode[codes[Int(first.code)]]![Int(first.row)]
                        repeats.append(Repeat(ordinal: ordinal, firstCode: listed.code, firstRow: listed.position.row))
                    }
                    ordinal += 1
                }
            }
        }
        summary = table.summary()
        self.repeats = repeats
    }

    /// How many rows ahead a person's slot is prefetched: the table is larger than the caches, so each
    /// row's lookup misses, and eight misses in flight hide most of their wait (`perf`: four fifths of
    /// this pass was the load of the slot).
    private static let lookAhead = 8
}

/// What counts toward `roster.*` about one person, as bits (a person may appear in several rows).
private struct Marks: OptionSet {
    let rawValue: UInt16
    static let student = Marks(rawValue: 1), staff = Marks(rawValue: 2), worker = Marks(rawValue: 4)
    static let home = Marks(rawValue: 8), central = Marks(rawValue: 16), returned = Marks(rawValue: 32)
    static let hubei = Marks(rawValue: 64), fever = Marks(rawValue: 128), suspected = Marks(rawValue: 256)
    static let confirmed = Marks(rawValue: 512)
    /// Not a figure: the person was listed again, and that repeat is already known.
    static let repeated = Marks(rawValue: 1 << 15)

    init(rawValue: UInt16) { self.rawValue = rawValue }

    /// What row `e` says of its person on `date` (returned within `observationDays`: recently).
    init(_ e: UnsafePointer<RosterEntry>, on date: LocalDate, observationDays: Int) {
        switch e.pointee.personType {
        case .student: self = .student
        case .staff: self = .staff
        case .worker: self = .worker
        }
        if RosterInForce.underObservation(e, on: date) { insert(e.pointee.observation == .home ? .home : .central) }
        if RosterInForce.returnedRecently(e, on: date, days: observationDays) { insert(.returned) }
        if e.pointee.hubeiHistory == true { insert(.hubei) }
        switch e.pointee.health?.caseFigure {
        case .fever: insert(.fever)
        case .suspected: insert(.suspected)
        case .confirmed: insert(.confirmed)
        default: break
        }
    }
}

/// People by pseudonym with their marks and first listing: linear probing in a table at most 70 % full
/// (half full, it was twice the memory to fill and to miss for a district's 133k people, and no fewer probes
/// in cache lines of two slots).
private struct PersonTable {
    /// Where a row sits: its institution among the codes in order, and its index in that roster.
    struct Place {
        let code: UInt32
        let row: UInt32
    }

    private struct Slot {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var first = Place(code: .max, row: .max)
        var marks = Marks()
        var isEmpty: Bool { first.code == .max }
    }

    private var slots: [Slot]
    private let mask: Int
    private var people = 0
    /// People per mark, counted as marks are first given to each person (by the mark's bit).
    private var counts = [Int](repeating: 0, count: 16)

    /// Room for the people of `rows` rows (each row at most one new person).
    init(rows: Int) {
        var capacity = 16
        while capacity * 7 < rows * 10 { capacity <<= 1 }
        slots = Array(repeating: Slot(), count: capacity)
        mask = capacity - 1
    }

    /// Starts bringing the person `p`'s first slot into the cache, for an `add` a few rows later.
    func prefetch(_ p: Pseudonym) {
        slots.withUnsafeBufferPointer { s in BulletinCore.prefetch(s.baseAddress! + (Int(truncatingIfNeeded: p.low) & mask)) }
    }

    /// Adds `marks` to the person `p` listed at `place`; returns the person's first listing when this is
    /// the person's first repeat (nil for a new person, and for a person already known to repeat).
    mutating func add(_ p: Pseudonym, _ marks: Marks, at place: Place) -> Place? {
        let mask = self.mask
        let (isNew, added, first) = slots.withUnsafeMutableBufferPointer { s -> (Bool, Marks, Place?) in
            var i = Int(truncatingIfNeeded: p.low) & mask
            while true {
                if s[i].isEmpty {
                    s[i] = Slot(high: p.high, low: p.low, first: place, marks: marks)
                    return (true, marks, nil)
                }
                if s[i].low == p.low && s[i].high == p.high {
                    let known = s[i].marks
                    s[i].marks.formUnion(marks.union(.repeated))
                    return (false, marks.subtracting(known), known.contains(.repeated) ? nil : s[i].first)
                }
                i = (i + 1) & mask
            }
        }
        if isNew { people += 1 }
        var bits = added.rawValue & ~Marks.repeated.rawValue
        counts.withUnsafeMutableBufferPointer { c in
            while bits != 0 {
                c[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
        return first
    }

    /// The `roster.*` figures of the people added.
    func summary() -> Summary.Roster {
        func count(_ m: Marks) -> Int { counts[m.rawValue.trailingZeroBitCount] }
        var s = Summary.Roster()
        s.persons = people
        s.byType = [count(.student), count(.staff), count(.worker)]
        s.home = count(.home)
        s.central = count(.central)
        s.returned14d = count(.returned)
        s.hubeiHistory = count(.hubei)
        s.fever = count(.fever)
        s.suspected = count(.suspected)
        s.confirmed = count(.confirmed)
        return s
    }
}
