import BulletinCore
import BulletinIngest

/// Finds the header row of a sheet and recognises which form it is (forms.md, "Header row").
public enum HeaderMatcher {
    /// A recognised header: which form, on which row, and where each form column sits.
    public struct Match: Sendable {
        public let form: FormKind
        /// Index of the header row in the sheet.
        public let headerRow: Int
        /// For each column of the form, the sheet column holding it, or nil when absent.
        public let columnMap: [Int?]
        /// Header texts the form does not know (warned once per file).
        public let unknownColumns: [String]
        /// Required columns of the form the header does not name.
        public let missingRequired: [Int]
    }

    /// Which form a sheet's header is, if any.
    public enum Outcome: Sendable {
        case matched(Match)
        /// No row among the first 10 names half of any form's required columns and two of its columns.
        case noHeader
        /// Two forms are named by the same share of their required columns.
        case ambiguous([FormKind], headerRow: Int)
    }

    /// Rows searched for the header.
    public static let searchDepth = 10

    /// The forms, by their position here (the matcher counts named columns per position).
    private static let forms = FormKind.allCases

    /// Normalised header text, as UTF-8 → the (form position, column) pairs it names.
    private static let index: NameIndex = {
        var names: [[UInt8]: [(form: Int, column: Int)]] = [:]
        for (f, form) in forms.enumerated() {
            precondition(form.columns.count <= 64, "a form's named columns are counted in 64 bits")
            for (i, column) in form.columns.enumerated() {
                for name in Set([normalise(column.chinese), normalise(column.english)]) {
                    names[Array(name.utf8), default: []].append((f, i))
                }
            }
        }
        return NameIndex(names.sorted { $0.key.lexicographicallyPrecedes($1.key) })
    }()

    /// The forms' names in a table of their own, probed by an FNV-1a hash of a cell's bytes folded as
    /// `headerKey` folds them, computed as they are folded: no key array is made, a cell longer than
    /// every name is not folded at all. (A `Dictionary` keyed by each cell's folded bytes, copied into an
    /// array and hashed with SipHash, took ~850 instructions a cell: 4 % of a cold day on raw CSV.)
    private struct NameIndex {
        /// Every name's bytes, one after another: name `i` is `bytes[starts[i] ..< starts[i + 1]]`.
        private let bytes: [UInt8]
        private let starts: [Int]
        /// The (form position, column) pairs each name names.
        let hits: [[(form: Int, column: Int)]]
        /// Each slot the name's index + 1, or 0; linear probing in a power-of-two table at most half full.
        private let slots: [Int]
        /// The longest name's byte count.
        private let longest: Int

        init(_ names: [(key: [UInt8], value: [(form: Int, column: Int)])]) {
            bytes = names.flatMap(\.key)
            starts = names.reduce(into: [0]) { $0.append($0.last! + $1.key.count) }
            hits = names.map(\.value)
            longest = names.map(\.key.count).max() ?? 0
            var size = 16
            while size < 2 * names.count { size <<= 1 }
            var slots = [Int](repeating: 0, count: size)
            for (i, name) in names.enumerated() {
                var s = Int(truncatingIfNeeded: NameIndex.hash(name.key)) & (size - 1)
                while slots[s] != 0 { s = (s + 1) & (size - 1) }
                slots[s] = i + 1
            }
            self.slots = slots
        }

        /// FNV-1a of `folded`.
        private static func hash<C: Collection>(_ folded: C) -> UInt64 where C.Element == UInt8 {
            folded.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        }

        /// The index of the name the cell `raw` holds (trimmed and folded as `headerKey` does), or nil.
        func name(of raw: UnsafeBufferPointer<UInt8>) -> Int? {
            let b = HeaderMatcher.trimmedHeader(raw)
            guard !b.isEmpty, b.count <= longest else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: b.count) { folded in
                var h: UInt64 = 0xCBF2_9CE4_8422_2325
                for k in 0..<b.count {
                    let c = HeaderMatcher.folded(b[k])
                    folded[k] = c
                    h = (h ^ UInt64(c)) &* 0x100_0000_01B3
                }
                return bytes.withUnsafeBufferPointer { names in
                    slots.withUnsafeBufferPointer { slots in
                        starts.withUnsafeBufferPointer { starts in
                            var s = Int(truncatingIfNeeded: h) & (slots.count - 1)
                            while slots[s] != 0 {
                                let i = slots[s] - 1, start = starts[i]
                                if starts[i + 1] - start == b.count, (0..<b.count).allSatisfy({ names[start &+ $0] == folded[$0] }) {
                                    return i
                                }
                                s = (s + 1) & (slots.count - 1)
                            }
                            return nil
                        }
                    }
                }
            }
        }
    }

    /// Per form position, its required columns as bits, and how many there are.
    private static let requiredBits: [UInt64] = forms.map { form in
        form.columns.indices.reduce(0) { form.columns[$1].required ? $0 | 1 << UInt64($1) : $0 }
    }
    private static let requiredCounts: [Int] = requiredBits.map(\.nonzeroBitCount)

    /// Header text as matched: trimmed of ASCII and full-width spaces, lower-cased.
    public static func normalise(_ text: String) -> String {
        var scalars = Substring(text)
        while let f = scalars.first, spaces.contains(f) { scalars = scalars.dropFirst() }
        while let l = scalars.last, spaces.contains(l) { scalars = scalars.dropLast() }
        return scalars.lowercased()
    }

    private static let spaces: Set<Character> = [" ", "\u{3000}", "\t", "\u{A0}", "\n", "\r", "\r\n", "\u{FEFF}"]

    /// `normalise` on a cell's bytes, into `key`, making no string: trimmed of the same spaces and
    /// byte-order marks, ASCII lower-cased. The forms' names are Chinese or ASCII, so folding ASCII
    /// alone finds every name `normalise` finds. The bytes every header cell is looked up by: `NameIndex`
    /// folds each one the same way (`trimmedHeader`, `folded`) as it hashes it, without the array; the
    /// tests hold this to `normalise`.
    @_spi(Testing) public static func headerKey(_ raw: UnsafeBufferPointer<UInt8>, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        for c in trimmedHeader(raw) { key.append(folded(c)) }
    }

    /// A header cell's bytes trimmed of the spaces `normalise` trims and of byte-order marks.
    private static func trimmedHeader(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var b = TextBytes.trimmed(raw)
        while b.count >= 3 {
            if b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
                b = TextBytes.trimmed(UnsafeBufferPointer(rebasing: b[3...]))
            } else if b[b.count - 3] == 0xEF, b[b.count - 2] == 0xBB, b[b.count - 1] == 0xBF {
                b = TextBytes.trimmed(UnsafeBufferPointer(rebasing: b[..<(b.count - 3)]))
            } else {
                break
            }
        }
        return b
    }

    /// An ASCII capital lower-cased; any other byte as it is.
    @inline(__always) private static func folded(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// Finds the header among the first rows of `sheet` and the form it names the largest share of.
    public static func match(_ sheet: Sheet) -> Outcome {
        sheet.withRows(match)
    }

    private static func match(_ rows: SheetRows) -> Outcome {
        var named = [UInt64](repeating: 0, count: forms.count)   // per form, the columns this row names
        for r in 0..<min(searchDepth, rows.count) {
            let row = rows[r]
            for f in named.indices { named[f] = 0 }
            for c in 0..<row.count {
                guard let name = index.name(of: row.cell(c)) else { continue }
                for hit in index.hits[name] { named[hit.form] |= 1 << UInt64(hit.column) }
            }
            // Share of required columns named, per form; the header needs at least half of them and
            // at least two of the form's columns (an instruction sheet lists one name per row).
            var best = 0.0, leaders: [FormKind] = []
            for f in named.indices where named[f].nonzeroBitCount >= 2 {
                let share = Double((named[f] & requiredBits[f]).nonzeroBitCount) / Double(requiredCounts[f])
                guard share >= 0.5, share >= best else { continue }
                if share > best { leaders.removeAll() }
                best = share
                leaders.append(forms[f])
            }
            guard !leaders.isEmpty else { continue }
            if leaders.count > 1 { return .ambiguous(leaders.sorted { $0.rawValue < $1.rawValue }, headerRow: r) }
            return .matched(buildMatch(form: leaders[0], headerRow: r, row: row))
        }
        return .noHeader
    }

    /// The header row's columns mapped onto `form`'s; names the form does not know become text
    /// (for the warning) and nothing else does.
    private static func buildMatch(form: FormKind, headerRow: Int, row: SheetRow) -> Match {
        let f = forms.firstIndex(of: form)!
        var map = [Int?](repeating: nil, count: form.columns.count)
        var unknown: [String] = []
        for sheetColumn in 0..<row.count {
            let cell = row.cell(sheetColumn)
            guard !trimmedHeader(cell).isEmpty else { continue }
            if let name = index.name(of: cell), let hit = index.hits[name].first(where: { $0.form == f }), map[hit.column] == nil {
                map[hit.column] = sheetColumn
            } else {
                unknown.append(normalise(row.text(sheetColumn)))
            }
        }
        let missing = form.columns.indices.filter { form.columns[$0].required && map[$0] == nil }
        return Match(form: form, headerRow: headerRow, columnMap: map, unknownColumns: unknown, missingRequired: missing)
    }

    /// The column of the matched form that an unknown header name was probably meant to be: an
    /// absent column whose Chinese or English name is within a small edit distance (one edit for
    /// names of up to four characters, two beyond), as a typo (`确诊病列教职工数`) would be.
    public static func suggestion(for unknown: String, in match: Match) -> String? {
        let typed = Array(unknown)
        var best: (distance: Int, name: String)?
        for (c, spec) in match.form.columns.enumerated() where match.columnMap[c] == nil {
            for candidate in [spec.chinese, spec.english] {
                let target = Array(normalise(candidate))
                let allowed = min(typed.count, target.count) <= 4 ? 1 : 2
                guard abs(typed.count - target.count) <= allowed else { continue }
                let d = editDistance(typed, target)
                if d <= allowed, d < (best?.distance ?? .max) { best = (d, spec.chinese) }
            }
        }
        return best?.name
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count), current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
