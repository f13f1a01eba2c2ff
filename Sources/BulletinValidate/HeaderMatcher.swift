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
    private static let index: [Key: [(form: Int, column: Int)]] = {
        var index: [Key: [(form: Int, column: Int)]] = [:]
        for (f, form) in forms.enumerated() {
            precondition(form.columns.count <= 64, "a form's named columns are counted in 64 bits")
            for (i, column) in form.columns.enumerated() {
                for name in Set([normalise(column.chinese), normalise(column.english)]) {
                    index[Key(Array(name.utf8)), default: []].append((f, i))
                }
            }
        }
        return index
    }()

    /// Header text's bytes as the index's key, hashed in one call (an array of bytes is hashed a byte at
    /// a time: a twentieth of a parse worker's time, every cell of every sheet's first rows).
    private struct Key: Hashable {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
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
    /// alone finds every name `normalise` finds. This runs for every cell of the first rows of every sheet.
    @_spi(Testing) public static func headerKey(_ raw: UnsafeBufferPointer<UInt8>, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
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
        for c in b { key.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
    }

    /// Finds the header among the first rows of `sheet` and the form it names the largest share of.
    public static func match(_ sheet: Sheet) -> Outcome {
        sheet.withRows(match)
    }

    private static func match(_ rows: SheetRows) -> Outcome {
        var key: [UInt8] = []
        var named = [UInt64](repeating: 0, count: forms.count)   // per form, the columns this row names
        for r in 0..<min(searchDepth, rows.count) {
            let row = rows[r]
            for f in named.indices { named[f] = 0 }
            for c in 0..<row.count {
                row.withCell(c) { headerKey($0, into: &key) }
                guard !key.isEmpty, let hits = index[Key(key)] else { continue }
                for hit in hits { named[hit.form] |= 1 << UInt64(hit.column) }
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
        var key: [UInt8] = []
        for sheetColumn in 0..<row.count {
            row.withCell(sheetColumn) { headerKey($0, into: &key) }
            guard !key.isEmpty else { continue }
            if let hit = index[Key(key)]?.first(where: { $0.form == f }), map[hit.column] == nil {
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
