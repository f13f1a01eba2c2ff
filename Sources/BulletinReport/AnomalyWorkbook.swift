import BulletinAggregate
import BulletinCore

/// anomalies.xlsx: the work list as the bureau's groups use it — Chinese headers, rule titles and
/// 级别 in Chinese, one sheet per report group, one for cadre duty and posts, and one for the whole
/// district; autofilter, frozen header, column widths. Cells are inline text (never formulas) and
/// scrubbed like the CSV.
public enum AnomalyWorkbook {
    static let columns: [XLSXSheet.Column] = [
        .init("日期", width: 11), .init("级别", width: 6), .init("事项", width: 22), .init("规则", width: 22),
        .init("类别", width: 12), .init("街道", width: 14), .init("机构代码", width: 10, style: .text),
        .init("机构名称", width: 28), .init("人员", width: 20, style: .text), .init("来源文件", width: 40),
        .init("行号", width: 6, numeric: true), .init("说明", width: 70),
    ]

    /// anomalies.xlsx of the day: one sheet per group, the duty items, the district's.
    public static func render(_ day: DayResult, parameters: PipelineParameters) -> [UInt8] {
        let streets = Dictionary(day.expected.map { ($0.code, $0.street) }, uniquingKeysWith: { a, _ in a })
        func row(_ a: Anomaly) -> [String] {
            [a.date.description, a.severity.chinese, a.rule.chineseTitle(parameters), a.rule.rawValue, a.group?.rawValue ?? "",
             streets[a.institutionCode] ?? "", a.institutionCode, a.institutionName, a.person, a.source,
             a.row.map(String.init) ?? "", a.message]
        }
        func sheet(_ name: String, _ anomalies: [Anomaly]) -> XLSXSheet {
            XLSXSheet(name: name, columns: columns, rows: anomalies.map(row), autoFilter: true)
        }
        var sheets = ReportGroup.allCases.map { g in sheet(g.rawValue, day.anomalies.filter { $0.group == g }) }
        sheets.append(sheet("下沉干部与点位", day.anomalies.filter { [.postUncovered, .cadreDoubleBooked].contains($0.rule) }))
        sheets.append(sheet("全区", day.anomalies))
        return XLSXSheets.workbook(sheets)
    }
}
