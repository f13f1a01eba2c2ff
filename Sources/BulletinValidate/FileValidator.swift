import BulletinCore
import BulletinIngest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a read file into typed records and rejects: header detection, form recognition,
/// title/blank/total rows, and typed parsing of every data row.
public enum FileValidator {
    /// Validates the bytes of the file at `source` (relative to the landing folder).
    /// `defaultYear` completes a row's own date typed without a year (`2月8日`): the landing day's year.
    /// ID numbers are kept as pseudonyms under `pseudonyms`.
    public static func validate(bytes: [UInt8], source: String, format: TableFormat, defaultYear: Int? = nil,
                                pseudonyms: Pseudonymizer) -> ValidatedFile {
        do {
            let table = try TableFile.read(bytes, format: format)
            return validate(table, source: source, defaultYear: defaultYear, pseudonyms: pseudonyms)
        } catch {
            return ValidatedFile.unreadable(source: source, error)
        }
    }

    /// Validates an already-read file. With `supersededBy` (institution code → the 摸排日期 of its newest
    /// usable roster snapshot known), a file of roster sheets alone whose every row names an older
    /// snapshot is read for those snapshots and nothing else (`ValidatedFile.untypedRosterKeys`): its rows
    /// are counted, not typed. Any other file is validated whole, from the same reading.
    public static func validate(_ table: TableFile, source: String, defaultYear: Int? = nil,
                                pseudonyms: Pseudonymizer, supersededBy newest: [String: LocalDate]? = nil) -> ValidatedFile {
        // Each sheet's header is matched once, for both readings.
        let headers = table.sheets.map(HeaderMatcher.match)
        if let newest, headers.allSatisfy(isRosterHeader),
           let keys = validate(table, headers: headers, source: source, defaultYear: defaultYear, pseudonyms: pseudonyms,
                               keysOnly: true, newest: newest),
           keys.isSuperseded(byNewest: newest) {
            return keys
        }
        return validate(table, headers: headers, source: source, defaultYear: defaultYear, pseudonyms: pseudonyms, keysOnly: false)!
    }

    /// Whether a sheet's header is a roster's with every required column: a sheet whose rows can be read for their snapshots.
    private static func isRosterHeader(_ outcome: HeaderMatcher.Outcome) -> Bool {
        guard case .matched(let match) = outcome else { return false }
        return match.form == .roster && match.missingRequired.isEmpty
    }

    /// `validate`'s one pass over the sheets, whose headers are `headers`; nil only with `keysOnly` (every
    /// header a roster's), at a row that names no snapshot or one no older than `newest` says (the file
    /// is then not superseded: it is read whole).
    private static func validate(_ table: TableFile, headers: [HeaderMatcher.Outcome], source: String, defaultYear: Int?,
                                 pseudonyms: Pseudonymizer, keysOnly: Bool, newest: [String: LocalDate] = [:]) -> ValidatedFile? {
        if keysOnly, table.sheets.isEmpty { return nil }
        var result = ValidatedFile(source: source)
        var keys: Set<RosterSnapshot> = []
        var unknownColumns: [String] = []
        var unknownSeen: Set<String> = []
        /// Why the file is no form at all, should none of its sheets be one.
        var notAForm: Reject?
        let isWorkbook = table.format != .csv
        for (sheet, outcome) in zip(table.sheets, headers) {
            // A sheet named by an ID or phone number is kept masked.
            let sheetName = sheet.name.map(Masking.scrub)
            let sheetSource = isWorkbook ? "\(source)#\(sheetName ?? "")" : source
            var account = ValidatedFile.SheetAccount(sheet: sheetName, rowsRead: sheet.rowCount)
            switch outcome {
            case .noHeader:
                account.skipped = sheet.rowCount
                account.note = "未找到可识别的表头，已跳过"
                if isWorkbook { result.warnings.append("工作表“\(sheetName ?? "")”没有可识别的表头，已跳过") }
                notAForm = notAForm ?? Reject(position: Position(source: source), reason: .unknownForm,
                                              message: "前\(HeaderMatcher.searchDepth)行中没有任何表单的表头（至少需包含一半必填列、且至少两列）")
            case .ambiguous(let forms, let headerRow):
                account.skipped = sheet.rowCount
                account.note = "表头同时符合多个表单"
                let names = forms.map(\.chineseName).joined(separator: "、")
                let message = "表头同样程度地符合\(names)，无法判断是哪种表"
                if isWorkbook { result.warnings.append("工作表“\(sheetName ?? "")”：\(message)，已跳过") }
                notAForm = notAForm ?? Reject(position: Position(source: source, row: sheet.rowNumber(headerRow)),
                                              reason: .unknownForm, message: message)
            case .matched(let match):
                account.form = match.form
                for name in match.unknownColumns where unknownSeen.insert(name).inserted { unknownColumns.append(name) }
                // A misspelt header name: say which column it was probably meant to be.
                let meant = match.unknownColumns.compactMap { name in
                    HeaderMatcher.suggestion(for: name, in: match).map { "表头“\(Masking.scrub(name))”是否应为“\($0)”？" }
                }
                result.warnings += meant
                if !match.missingRequired.isEmpty {
                    account.skipped = sheet.rowCount
                    account.note = "缺少必填列"
                    let missing = match.missingRequired.map { match.form.columns[$0].chinese }
                    result.rejects.append(Reject(position: Position(source: sheetSource, row: sheet.rowNumber(match.headerRow),
                                                                    column: missing[0]),
                                                 reason: .missingColumn,
                                                 message: "\(match.form.chineseName)缺少必填列：\(missing.joined(separator: "、"))"
                                                    + (meant.isEmpty ? "" : "（" + meant.joined() + "）"),
                                                 form: match.form))
                    result.fileRejected = !isWorkbook
                } else if keysOnly {
                    guard readKeys(sheet, match: match, source: sheetSource, defaultYear: defaultYear, pseudonyms: pseudonyms,
                                   newest: newest, account: &account, into: &keys) else { return nil }
                } else {
                    readRows(sheet, match: match, source: sheetSource, defaultYear: defaultYear, pseudonyms: pseudonyms,
                             account: &account, into: &result)
                }
            }
            result.sheets.append(account)
        }
        // A file none of whose sheets is a form is rejected whole; sheets of a workbook
        // without a header are merely noted when another sheet is a form.
        if result.sheets.allSatisfy({ $0.form == nil }) {
            result.fileRejected = true
            result.rejects.append(notAForm ?? Reject(position: Position(source: source), reason: .unknownForm,
                                                     message: "文件中没有工作表"))
        }
        if !unknownColumns.isEmpty {
            let shown = unknownColumns.prefix(unknownColumnsShown).joined(separator: "、")
            let more = unknownColumns.count > unknownColumnsShown ? "等共\(unknownColumns.count)列" : ""
            result.warnings.append(Masking.scrub("未知列已忽略：\(shown)\(more)"))
        }
        if keysOnly { result.untypedRosterKeys = keys }
        return result
    }

    /// Unknown header names listed in the warning; the rest are counted.
    static let unknownColumnsShown = 20

    private static let totalMarkers: [[UInt8]] = ["合计", "总计", "小计"].map { Array($0.utf8) }

    /// What a data row is before it is read, by its first non-empty cell: none (a blank row), 合计, 总计
    /// or 小计 (a total row), or anything else. One look per row, compared as bytes, length first: this
    /// runs for every row.
    enum RowKind { case blank, total, data }

    static func kind(of row: SheetRow) -> RowKind {
        for c in 0..<row.count {
            let cell = TextBytes.trimmed(row.cell(c))
            guard let start = cell.baseAddress, !cell.isEmpty else { continue }
            // Each marker is two Chinese characters, six bytes: other cells are not compared at all.
            let total = cell.count == 6 && totalMarkers.contains { marker in
                marker.withUnsafeBufferPointer { memcmp($0.baseAddress!, start, 6) == 0 }
            }
            return total ? .total : .data
        }
        return .blank
    }

    private static func readRows(_ sheet: Sheet, match: HeaderMatcher.Match, source: String, defaultYear: Int?,
                                 pseudonyms: Pseudonymizer, account: inout ValidatedFile.SheetAccount, into result: inout ValidatedFile) {
        // Roster rows are gathered here and stored once, so the file's snapshot index is built once.
        var roster: [RosterEntry] = []
        defer {
            // The first sheet's rows are handed over whole (appending would copy every row and free the original).
            if result.rosterEntries.isEmpty { result.rosterEntries = roster } else if !roster.isEmpty { result.rosterEntries += roster }
        }
        account.skipped = match.headerRow + 1   // title rows and the header
        // The usable reports' counts summed so far, by position in `DailyColumn.countColumns` (nil before
        // the first): a dictionary updated per count column and report was a seventieth of a cold day.
        var sums: [Int]?
        var dates: Set<LocalDate> = []
        var codes: Set<String> = []
        sheet.withRows { rows in
            guard match.headerRow + 1 < rows.count else { return }
            var parser = RowParser(row: rows[match.headerRow + 1], match: match, source: source, pseudonyms: pseudonyms,
                                   cellsAsTheyStand: !sheet.mayNeedFolding(inRowsFrom: match.headerRow + 1))
            // Sized once, not doubled (up to a district's worth: a hostile sheet of blank rows reserves no more).
            if match.form == .roster { roster.reserveCapacity(min(rows.count - match.headerRow - 1, 1 << 17)) }
            // Roster rows' pseudonyms are made a batch of rows at a time.
            var pending = PendingPseudonyms()
            defer { pending.fill(&roster, under: pseudonyms) }
            for r in (match.headerRow + 1)..<rows.count {
                let row = rows[r]
                switch kind(of: row) {
                case .blank:
                    account.skipped += 1
                    continue
                case .total:
                    account.skipped += 1
                    if match.form == .daily {
                        result.totalRows.append(totalRow(row, match: match, source: source, sums: sums, dates: dates, codes: codes))
                    }
                    continue
                case .data: break
                }
                parser.begin(row, defaultYear: defaultYear)
                switch match.form {
                case .institutions:
                    if let i = parser.institution() { result.institutions.append(i) }
                case .daily:
                    if let d = parser.dailyReport() {
                        result.dailyReports.append(d)
                        if sums == nil { sums = [Int](repeating: 0, count: DailyColumn.countColumns.count) }
                        d.counts.stored.withUnsafeBufferPointer { counts in
                            sums!.withUnsafeMutableBufferPointer { sums in
                                for i in 0..<min(counts.count, sums.count) where counts[i] > 0 { sums[i] += counts[i] }   // blank: -1
                            }
                        }
                        dates.insert(d.date)
                        codes.insert(d.code)
                    }
                case .roster:
                    parser.appendRosterEntry(to: &roster, pending: &pending)
                    if pending.isFull { pending.fill(&roster, under: pseudonyms) }
                case .care:
                    if let c = parser.careContact() { result.careContacts.append(c) }
                case .duty:
                    if let d = parser.dutyShift() { result.dutyShifts.append(d) }
                case .inspections:
                    if let i = parser.inspection() { result.inspections.append(i) }
                }
                if !parser.isUsable, let reject = parser.failure {
                    result.rejects.append(reject)
                    result.furtherProblems += parser.problems.dropFirst()
                    account.rejected += 1
                } else {
                    account.accepted += 1
                }
            }
        }
    }

    /// The snapshots a roster sheet's data rows name, into `keys`, each row counted but not typed
    /// (blank and total rows skipped as `readRows` skips them); false at a row that names none, or one
    /// no older than its institution's in `newest` (the file is in force: no use reading on for keys).
    private static func readKeys(_ sheet: Sheet, match: HeaderMatcher.Match, source: String, defaultYear: Int?,
                                 pseudonyms: Pseudonymizer, newest: [String: LocalDate], account: inout ValidatedFile.SheetAccount,
                                 into keys: inout Set<RosterSnapshot>) -> Bool {
        account.skipped = match.headerRow + 1
        guard let dateColumn = match.columnMap[RosterColumn.asOf.rawValue], let codeColumn = match.columnMap[RosterColumn.code.rawValue]
        else { return false }
        return sheet.withRows { rows in
            guard match.headerRow + 1 < rows.count else { return true }
            // A snapshot's two cells are typed once per run of rows: not worth scanning the sheet to spare their checks.
            var parser = RowParser(row: rows[match.headerRow + 1], match: match, source: source, pseudonyms: pseudonyms,
                                   cellsAsTheyStand: false)
            // The two cells of the last snapshot typed (the sheet's own bytes, valid while its rows are).
            var last: (date: UnsafeBufferPointer<UInt8>, code: UnsafeBufferPointer<UInt8>)?
            for r in (match.headerRow + 1)..<rows.count {
                let row = rows[r]
                guard kind(of: row) == .data else { account.skipped += 1; continue }
                // A sheet's rows come in runs of one snapshot: a row whose two cells hold the bytes of the
                // row before names that snapshot again, and is not typed.
                let date = row.cell(dateColumn), code = row.cell(codeColumn)
                if let l = last, same(l.date, date), same(l.code, code) { continue }
                parser.begin(row, defaultYear: defaultYear)
                guard let key = parser.snapshotKey(), newest[key.code].map({ key.asOf < $0 }) ?? false else { return false }
                keys.insert(key)
                last = (date, code)
            }
            return true
        }
    }

    /// Whether two cells hold the same bytes (in one call: the generic comparison went byte by byte).
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard b.count > 0, let x = a.baseAddress, let y = b.baseAddress else { return true }
        return memcmp(x, y, b.count) == 0
    }

    private static func totalRow(_ row: SheetRow, match: HeaderMatcher.Match, source: String,
                                 sums: [Int]?, dates: Set<LocalDate>, codes: Set<String>) -> TotalRow {
        var stated: [Int: Int] = [:], summed: [Int: Int] = [:]
        for (i, column) in DailyColumn.countColumns.enumerated() {
            guard let c = match.columnMap[column.rawValue] else { continue }
            if let v = TextBytes.withFolded(row.cell(c), ValueParser.count) {
                stated[column.rawValue] = v
                if let sums { summed[column.rawValue] = sums[i] }
            }
        }
        return TotalRow(position: Position(source: source, row: row.number), stated: stated, summed: summed, dates: dates, codes: codes)
    }
}
