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

    /// Normalised header text → the (form, column) pairs it names.
    private static let index: [String: [(FormKind, Int)]] = {
        var index: [String: [(FormKind, Int)]] = [:]
        for form in FormKind.allCases {
            for (i, column) in form.columns.enumerated() {
                for name in Set([normalise(column.chinese), normalise(column.english)]) {
                    index[name, default: []].append((form, i))
                }
            }
        }
        return index
    }()

    private static let requiredCounts: [FormKind: Int] = Dictionary(uniqueKeysWithValues: FormKind.allCases.map {
        ($0, $0.columns.filter(\.required).count)
    })

    /// Header text as matched: trimmed of ASCII and full-width spaces, lower-cased.
    public static func normalise(_ text: String) -> String {
        var scalars = Substring(text)
        while let f = scalars.first, spaces.contains(f) { scalars = scalars.dropFirst() }
        while let l = scalars.last, spaces.contains(l) { scalars = scalars.dropLast() }
        return scalars.lowercased()
    }

    private static let spaces: Set<Character> = [" ", "\u{3000}", "\t", "\u{A0}", "\n", "\r", "\u{FEFF}"]

    /// Finds the header among the first rows of `sheet` and the form it names the largest share of.
    public static func match(_ sheet: Sheet) -> Outcome {
        sheet.withRows(match)
    }

    private static func match(_ rows: SheetRows) -> Outcome {
        for r in 0..<min(searchDepth, rows.count) {
            let row = rows[r]
            let names = (0..<row.count).map { normalise(row.text($0)) }
            var named: [FormKind: Set<Int>] = [:]
            for name in names where !name.isEmpty {
                for (form, column) in index[name] ?? [] { named[form, default: []].insert(column) }
            }
            // Share of required columns named, per form; the header needs at least half of them and
            // at least two of the form's columns (an instruction sheet lists one name per row).
            let shares = named.filter { $0.value.count >= 2 }.map { form, columns in
                (form: form, share: Double(columns.filter { form.columns[$0].required }.count) / Double(requiredCounts[form]!))
            }.filter { $0.share >= 0.5 }
            guard let best = shares.map(\.share).max() else { continue }
            let leaders = shares.filter { $0.share == best }.map(\.form).sorted { $0.rawValue < $1.rawValue }
            if leaders.count > 1 { return .ambiguous(leaders, headerRow: r) }
            return .matched(buildMatch(form: leaders[0], headerRow: r, names: names))
        }
        return .noHeader
    }

    private static func buildMatch(form: FormKind, headerRow: Int, names: [String]) -> Match {
        var map = [Int?](repeating: nil, count: form.columns.count)
        var unknown: [String] = []
        for (sheetColumn, name) in names.enumerated() where !name.isEmpty {
            if let hit = index[name]?.first(where: { $0.0 == form }) {
                if map[hit.1] == nil { map[hit.1] = sheetColumn } else { unknown.append(name) }
            } else {
                unknown.append(name)
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
