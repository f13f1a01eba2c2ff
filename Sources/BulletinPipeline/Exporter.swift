import BulletinCore
import BulletinReport
import Foundation
import GRDB

/// `bulletin export`: every published date's reports.csv in one table, and the summaries as a long
/// table (date, key, value), for DuckDB, pandas or sqlite3.
public enum Exporter {
    /// CSV files in a folder, or one SQLite database.
    public enum Format: String, Sendable { case csv, sqlite }

    /// What an export wrote and what it could not find.
    public struct Outcome: Sendable {
        public var dates: [LocalDate] = []
        public var reportRows = 0
        /// Dates of the range with nothing published, or published without reports.csv.
        public var missing: [String] = []
        /// The files written.
        public var files: [String] = []
    }

    /// Reads `<out>/<date>/` for each date of `from…to` and writes `file` (CSV: the reports table in
    /// `file`, the summaries in `<file stem>.summary.csv`; SQLite: tables `reports` and `summary`).
    public static func export(out: URL, from: LocalDate, to: LocalDate, file: String, format: Format) throws -> Outcome {
        var outcome = Outcome()
        var header: [String] = []
        var reports: [[String]] = []
        var summaries: [(String, String, Double)] = []
        for offset in 0...to.days(since: from) {
            let date = from.adding(days: offset)
            let folder = out.appendingPathComponent(date.description)
            guard let day = try? PublishedDay(folder: folder), let table = try? day.table("reports.csv") else {
                outcome.missing.append(date.description)
                continue
            }
            if header.isEmpty { header = table.header }
            guard table.header == header else {
                outcome.missing.append("\(date)（reports.csv 的列与前面的日期不同 / another header）")
                continue
            }
            reports += table.rows
            summaries += day.numbers.keys.sorted().map { (date.description, $0, day.numbers[$0]!) }
            outcome.dates.append(date)
        }
        outcome.reportRows = reports.count
        guard !outcome.dates.isEmpty else { return outcome }   // nothing published: nothing written
        switch format {
        case .csv:
            var r = CSVWriter(header: header)
            for row in reports { r.append(row) }
            try Data(r.bytes).write(to: URL(fileURLWithPath: file))
            let summaryFile = ((file as NSString).deletingPathExtension) + ".summary.csv"
            var s = CSVWriter(header: ["date", "key", "value"])
            for (date, key, value) in summaries { s.append([date, key, value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)]) }
            try Data(s.bytes).write(to: URL(fileURLWithPath: summaryFile))
            outcome.files = [file, summaryFile]
        case .sqlite:
            try? FileManager.default.removeItem(atPath: file)
            let db = try DatabaseQueue(path: file)
            let integers = Set(header.filter { $0.hasPrefix("students_") || $0.hasPrefix("staff_") || $0.hasPrefix("online_") || $0 == "row" })
            try db.write { db in
                let columns = header.map { "\"\($0)\" \(integers.contains($0) ? "INTEGER" : "TEXT")" }.joined(separator: ", ")
                try db.execute(sql: "CREATE TABLE reports (\(columns))")
                let insert = try db.makeStatement(sql: "INSERT INTO reports VALUES (\(header.map { _ in "?" }.joined(separator: ", ")))")
                for row in reports {
                    let values: [DatabaseValueConvertible?] = zip(header, row).map { name, cell in
                        cell.isEmpty ? nil : integers.contains(name) ? (Int(cell) as DatabaseValueConvertible?) ?? cell : cell
                    }
                    try insert.execute(arguments: StatementArguments(values))
                }
                try db.execute(sql: "CREATE TABLE summary (date TEXT, key TEXT, value REAL)")
                let summaryInsert = try db.makeStatement(sql: "INSERT INTO summary VALUES (?, ?, ?)")
                for (date, key, value) in summaries { try summaryInsert.execute(arguments: [date, key, value]) }
            }
            outcome.files = [file]
        }
        return outcome
    }
}
