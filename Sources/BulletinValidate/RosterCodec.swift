import BulletinCore

/// Roster rows as the store keeps them and parse workers send them: every string the rows name
/// (institution codes, sheets, ID problems, masked text) once, then one fixed-size record per row.
/// Reading a row is a few loads and range checks: read value by value, as varints, it took 1,700
/// instructions, a sixth of a warm night (which decodes every row in force) and part of what parse
/// workers add to a cold one.
enum RosterCodec {
    /// Bytes per row; the layout is `Field`'s.
    static let recordSize = 80

    /// Where each value sits in a row's record (little-endian). Optional values hold a sentinel when
    /// blank: 0xFF for a choice, `Int32.min` for a date, `Int64.min` for a row, `UInt32.max` for a
    /// string; three-valued yes/no is 0 blank, 1 no, 2 yes.
    private enum Field {
        static let asOf = 0, code = 4, personType = 8, gender = 9, location = 10, health = 11, observation = 12
        static let hubei = 13, onDuty = 14, frontline = 15, returnDate = 16, observationStart = 20, observationEnd = 24
        static let isMale = 28, maskedIsText = 29, pseudonymHigh = 32, pseudonymLow = 40, maskedHead = 48, maskedTail = 56
        static let problem = 60, source = 64, column = 68, row = 72
    }

    private static let blank = UInt32.max

    /// Writes `entries` of the file at `file` (positions relative to it, as the rest of the file's encoding).
    static func write(_ entries: [RosterEntry], file: String, into w: inout BinaryWriter) {
        var strings = StringTable()
        var positions = ValidatedFile.PositionWriter(file: file)
        // The strings first (the reader needs them before the rows): each row's references, five a row.
        var references: [UInt32] = []
        references.reserveCapacity(entries.count * 5)
        // Rows are read in place through a pointer: binding each row to a name copied it, retaining and
        // releasing its strings and person, and that was most of a parse worker's encoding of a roster.
        entries.withUnsafeBufferPointer { rows in
            for k in rows.indices {
                references.append(strings.reference(rows[k].code, slot: 0))
                references.append(rows[k].person.problem.map { strings.reference($0, slot: 2) } ?? blank)
                references.append(rows[k].person.maskedID.visible == nil ? strings.reference(rows[k].person.masked, slot: 2) : blank)
                references.append(strings.reference(positions.relative(rows[k].position.source), slot: 1))
                references.append(rows[k].position.column.map { strings.reference($0, slot: 2) } ?? blank)
            }
            w.array(strings.texts) { $0.string($1) }
            w.int(rows.count)
            for k in rows.indices {
                let refs = 5 * k
                w.fixed(recordSize) { record in
                    func put<T: FixedWidthInteger>(_ value: T, _ at: Int) { record.storeBytes(of: value.littleEndian, toByteOffset: at, as: T.self) }
                    func choice<C: Choosable>(_ c: C?, _ at: Int) { put(c.map { UInt8(truncatingIfNeeded: $0.ordinal) } ?? 0xFF, at) }
                    func yesNo(_ b: Bool?, _ at: Int) { put(UInt8(b.map { $0 ? 2 : 1 } ?? 0), at) }
                    func date(_ d: LocalDate?, _ at: Int) { put(d.map { Int32(truncatingIfNeeded: $0.dayNumber) } ?? Int32.min, at) }
                    date(rows[k].asOf, Field.asOf)
                    put(references[refs], Field.code)
                    choice(rows[k].personType, Field.personType)
                    choice(rows[k].gender, Field.gender)
                    choice(rows[k].location, Field.location)
                    choice(rows[k].health, Field.health)
                    choice(rows[k].observation, Field.observation)
                    yesNo(rows[k].hubeiHistory, Field.hubei)
                    yesNo(rows[k].onDuty, Field.onDuty)
                    yesNo(rows[k].frontlineFamily, Field.frontline)
                    date(rows[k].returnDate, Field.returnDate)
                    date(rows[k].observationStart, Field.observationStart)
                    date(rows[k].observationEnd, Field.observationEnd)
                    yesNo(rows[k].person.isMale, Field.isMale)
                    put(rows[k].person.pseudonym.high, Field.pseudonymHigh)
                    put(rows[k].person.pseudonym.low, Field.pseudonymLow)
                    if let visible = rows[k].person.maskedID.visible {
                        put(visible.head, Field.maskedHead)
                        put(visible.tail, Field.maskedTail)
                    } else {
                        put(UInt8(1), Field.maskedIsText)
                        put(UInt64(references[refs + 2]), Field.maskedHead)
                    }
                    put(references[refs + 1], Field.problem)
                    put(references[refs + 3], Field.source)
                    put(references[refs + 4], Field.column)
                    put(rows[k].position.row.map { Int64($0) } ?? Int64.min, Field.row)
                }
            }
        }
    }

    /// Reads what `write` wrote for the file at `file`; anything out of range is a corrupt blob.
    static func read(_ r: inout BinaryReader, file: String) throws -> [RosterEntry] {
        let texts = try r.array { try $0.string() }
        let count = try r.int()
        guard count >= 0, count <= Int(Int32.max) else { throw BinaryReader.Corrupt() }
        var sources = ValidatedFile.PositionSources(file: file)
        // Each set's cases fetched once, not through its static property for every row.
        let personTypes = PersonType.all, genders = Gender.all, places = Whereabouts.all
        let healths = HealthStatus.all, observations = ObservationKind.all
        // The sheet a row came from, by its string's index: rows run by sheet, so the source is made
        // (and its suffix compared) when the index changes, not for every row.
        var lastSource: (index: UInt32, source: String)?
        // The helpers below are inlined by hand: left to the optimiser, they were called per value once the
        // bytes came straight from the store's row (17 M more instructions a warm night).
        return try r.fixed(count * recordSize) { records in
            // Each entry is made where the array keeps it (appending checked and copied 192 bytes a row);
            // on a corrupt row the entries made so far are counted, so the array frees them.
            try [RosterEntry](unsafeUninitializedCapacity: count) { out, made in
                for k in 0..<count {
                    let at = k * recordSize
                    @inline(__always) func get<T: FixedWidthInteger>(_ field: Int, as _: T.Type = T.self) -> T {
                        T(littleEndian: records.loadUnaligned(fromByteOffset: at + field, as: T.self))
                    }
                    @inline(__always) func text(_ field: Int) throws -> String {
                        let i = Int(get(field, as: UInt32.self))
                        guard i < texts.count else { throw BinaryReader.Corrupt() }
                        return texts[i]
                    }
                    @inline(__always) func optionalText(_ field: Int) throws -> String? { get(field, as: UInt32.self) == blank ? nil : try text(field) }
                    @inline(__always) func choice<C: Choosable>(_ field: Int, of all: [C]) throws -> C? {
                        let ordinal = Int(get(field, as: UInt8.self))
                        if ordinal == 0xFF { return nil }
                        guard ordinal < all.count else { throw BinaryReader.Corrupt() }
                        return all[ordinal]
                    }
                    @inline(__always) func yesNo(_ field: Int) throws -> Bool? {
                        switch get(field, as: UInt8.self) {
                        case 0: return nil
                        case 1: return false
                        case 2: return true
                        default: throw BinaryReader.Corrupt()
                        }
                    }
                    @inline(__always) func date(_ field: Int) throws -> LocalDate? {
                        let day = get(field, as: Int32.self)
                        if day == Int32.min { return nil }
                        guard (-719_162...2_932_896).contains(day) else { throw BinaryReader.Corrupt() }   // years 1–9999
                        return LocalDate(dayNumber: Int(day))
                    }
                    guard let asOf = try date(Field.asOf), let personType = try choice(Field.personType, of: personTypes)
                    else { throw BinaryReader.Corrupt() }
                    let masked: MaskedID
                    switch get(Field.maskedIsText, as: UInt8.self) {
                    case 0:
                        guard let m = MaskedID(head: get(Field.maskedHead), tail: get(Field.maskedTail)) else { throw BinaryReader.Corrupt() }
                        masked = m
                    case 1:
                        let i = get(Field.maskedHead, as: UInt64.self)
                        guard i < texts.count else { throw BinaryReader.Corrupt() }
                        masked = MaskedID(text: texts[Int(i)])
                    default: throw BinaryReader.Corrupt()
                    }
                    let person = PersonID(pseudonym: Pseudonym(high: get(Field.pseudonymHigh), low: get(Field.pseudonymLow)),
                                          masked: masked, problem: try optionalText(Field.problem), isMale: try yesNo(Field.isMale))
                    let row = get(Field.row, as: Int64.self)
                    let sourceIndex = get(Field.source, as: UInt32.self)
                    let source: String
                    if let last = lastSource, last.index == sourceIndex {
                        source = last.source
                    } else {
                        source = sources.source(suffix: try text(Field.source))
                        lastSource = (sourceIndex, source)
                    }
                    let position = Position(source: source, row: row == Int64.min ? nil : Int(row), column: try optionalText(Field.column))
                    (out.baseAddress! + k).initialize(to: RosterEntry(
                        asOf: asOf, code: try text(Field.code), personType: personType, gender: try choice(Field.gender, of: genders),
                        person: person, location: try choice(Field.location, of: places), returnDate: try date(Field.returnDate),
                        hubeiHistory: try yesNo(Field.hubei), health: try choice(Field.health, of: healths),
                        observation: try choice(Field.observation, of: observations), observationStart: try date(Field.observationStart),
                        observationEnd: try date(Field.observationEnd), onDuty: try yesNo(Field.onDuty),
                        frontlineFamily: try yesNo(Field.frontline), position: position))
                    made = k + 1
                }
            }
        }
    }
}

/// The distinct strings of a file's roster rows, each with its index: rows repeat their institution and
/// sheet, so each slot remembers its last string and looks up only when it changes.
private struct StringTable {
    private(set) var texts: [String] = []
    private var indexes: [String: UInt32] = [:]
    /// The last string and index of each slot (code, sheet, the rest).
    private var last: [(text: String, index: UInt32)?] = [nil, nil, nil]

    mutating func reference(_ text: String, slot: Int) -> UInt32 {
        if let known = last[slot], known.text == text { return known.index }
        let index: UInt32
        if let found = indexes[text] {
            index = found
        } else {
            index = UInt32(texts.count)
            texts.append(text)
            indexes[text] = index
        }
        last[slot] = (text, index)
        return index
    }
}
