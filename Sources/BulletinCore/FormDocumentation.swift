/// What a clerk is told about each column, derived from its declaration (never written by hand):
/// the 填表说明 sheet of the templates and `bulletin forms --json` both come from here.
extension ValueType {
    /// What to type, in Chinese.
    public var chineseDescription: String {
        switch self {
        case .text: return "文本"
        case .count: return "整数，0到999999999；空白表示未填（不是0）"
        case .date: return "日期，如 2020-02-17（也可填 2020/2/17、2020年2月17日）"
        case .dateTime: return "日期和时间，如 2020-02-17 08:30"
        case .timeOrDateTime: return "时间，如 08:00；跨日的班次可填日期和时间，如 2020-02-18 08:00"
        case .yesNo: return "是 或 否"
        case .choice(let set): return "只能填：" + set.choices.map(\.label).joined(separator: "、")
        case .phone: return "电话号码（仅供本局联系，所有输出中打码）"
        case .idNumber: return "18位身份证号（只保存加密后的代号，所有输出中打码）"
        }
    }

    /// What to type, in English.
    public var englishDescription: String {
        switch self {
        case .text: return "text"
        case .count: return "whole number 0–999,999,999; blank means not given (not zero)"
        case .date: return "date, e.g. 2020-02-17"
        case .dateTime: return "date and time, e.g. 2020-02-17 08:30"
        case .timeOrDateTime: return "time of day, e.g. 08:00, or a date and time for a shift past midnight"
        case .yesNo: return "yes or no (是/否)"
        case .choice(let set): return "one of: " + set.choices.map { "\($0.label) (\($0.code))" }.joined(separator: ", ")
        case .phone: return "phone number (masked in every output)"
        case .idNumber: return "18-character ID number (kept only as a pseudonym; masked in every output)"
        }
    }

    /// A value that reads, for the 填表说明 sheet; none for personal numbers, which no output may hold.
    public var example: String {
        switch self {
        case .text: return "示例"
        case .count: return "12"
        case .date: return "2020-02-17"
        case .dateTime: return "2020-02-17 08:30"
        case .timeOrDateTime: return "08:00"
        case .yesNo: return "是"
        case .choice(let set): return set.choices[0].label
        case .phone, .idNumber: return ""
        }
    }

    /// The values a drop-down list offers, for choice and yes/no columns.
    public var listed: [String]? {
        switch self {
        case .yesNo: return ["是", "否"]
        case .choice(let set): return set.choices.map(\.label)
        default: return nil
        }
    }

    /// The Frictionless Table Schema field type.
    public var tableSchemaType: String {
        switch self {
        case .count: return "integer"
        case .date: return "date"
        case .dateTime: return "datetime"
        default: return "string"
        }
    }
}
