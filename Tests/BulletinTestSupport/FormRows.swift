import BulletinCore
import BulletinValidate

/// A daily-report CSV: header in the given names, one line per row.
public func dailyCSV(title: Bool = true, english: Bool = false, rows: [String]) -> String {
    let header = DailyColumn.allCases.map { english ? $0.spec.english : $0.spec.chinese }.joined(separator: ",")
    return (title ? "槐荫区XX学校疫情防控日报,,,\n填报单位：XX学校\n" : "") + header + "\n" + rows.joined(separator: "\n") + "\n"
}

/// A daily row in `dailyCSV`'s column order, cells keyed by column (columns not given are blank).
public func dailyRow(date: String = "2020-02-08", code: String = "HYS001", submitted: String = "2020-02-08 09:30",
              students: [String] = ["100", "90", "10", "0", "0", "1", "0", "0", "0"],
              staff: [String] = ["10", "10", "0", "0", "0", "0", "0", "0", "0"], zero: String = "是",
              other: [DailyColumn: String] = [:]) -> String {
    var cells: [DailyColumn: String] = [.reportDate: date, .code: code, .name: "乙小学", .reporter: "张三",
                                        .reporterPhone: "13812345678", .submittedAt: submitted, .zeroReport: zero]
    for f in Figure.allCases {
        cells[DailyColumn.figure(f, of: .students)] = students[f.rawValue]
        cells[DailyColumn.figure(f, of: .staff)] = staff[f.rawValue]
    }
    cells.merge(other) { $1 }
    return DailyColumn.allCases.map { cells[$0] ?? "" }.joined(separator: ",")
}

public func validate(_ csv: String, source: String = "2020-02-08/a.csv") -> ValidatedFile {
    FileValidator.validate(bytes: Array(csv.utf8), source: source, format: .csv, pseudonyms: .testing)
}
