/// One permitted value of an enum column: the Chinese label schools type and its English code.
public struct Choice: Hashable, Sendable {
    public let label: String
    public let code: String
    public init(_ label: String, _ code: String) { self.label = label; self.code = code }
}

/// The permitted values of an enum column (forms.md), matched by label or code. A class: rows read
/// it for every cell, and one reference costs one retain where a struct of five would cost five.
public final class ChoiceSet: Sendable {
    public let name: String
    public let choices: [Choice]
    private let index: [String: Int]
    /// Labels as bytes and codes as lower-case bytes, for matching cells without making strings.
    private let labelBytes: [[UInt8]]
    private let codeBytes: [[UInt8]]

    public init(_ name: String, _ choices: [Choice]) {
        self.name = name
        self.choices = choices
        var index: [String: Int] = [:]
        for (i, c) in choices.enumerated() {
            index[c.label] = i
            index[c.code.lowercased()] = i
        }
        self.index = index
        labelBytes = choices.map { Array($0.label.utf8) }
        codeBytes = choices.map { Array($0.code.lowercased().utf8) }
    }

    /// The position of the UTF-8 text `bytes` among the choices (label, or code ignoring ASCII case).
    public func match(bytes: [UInt8]) -> Int? {
        for (i, label) in labelBytes.enumerated() where label == bytes { return i }
        return codeBytes.firstIndex { code in
            code.count == bytes.count && zip(code, bytes).allSatisfy { $0 == ($1 >= 0x41 && $1 <= 0x5A ? $1 | 0x20 : $1) }
        }
    }

    /// The position of `text` among the choices (by label, or code ignoring case), or nil.
    public func match(_ text: String) -> Int? {
        index[text] ?? index[text.lowercased()]
    }

    public func label(_ i: Int) -> String { choices[i].label }

    public static let category = ChoiceSet("机构类别", [
        Choice("幼儿园", "kindergarten"), Choice("小学", "primary"), Choice("初中", "junior"),
        Choice("高中", "senior"), Choice("九年一贯制", "nine_year"), Choice("完全中学", "complete"),
        Choice("特殊教育", "special"), Choice("中职", "vocational"), Choice("校外培训机构", "training"),
    ])
    public static let ownership = ChoiceSet("办学性质", [Choice("公办", "public"), Choice("民办", "private")])
    public static let status = ChoiceSet("状态", [Choice("正常", "active"), Choice("停办", "closed")])
    public static let personType = ChoiceSet("人员类别", [
        Choice("学生", "student"), Choice("教职工", "staff"), Choice("从业人员", "worker"),
    ])
    public static let gender = ChoiceSet("性别", [Choice("男", "male"), Choice("女", "female")])
    public static let location = ChoiceSet("当前所在地", [Choice("在济", "in_city"), Choice("离济", "away")])
    public static let health = ChoiceSet("健康状况", [
        Choice("健康", "healthy"), Choice("发热", "fever"), Choice("疑似", "suspected"),
        Choice("确诊", "confirmed"), Choice("其他", "other"),
    ])
    public static let observation = ChoiceSet("观察方式", [
        Choice("无", "none"), Choice("居家观察", "home"), Choice("集中观察", "central"),
    ])
    public static let parentRole = ChoiceSet("家长岗位", [
        Choice("医生", "doctor"), Choice("护士", "nurse"), Choice("疾控", "cdc"),
        Choice("公安", "police"), Choice("社区", "community"), Choice("其他", "other"),
    ])
    public static let contactMethod = ChoiceSet("联系方式", [
        Choice("电话", "phone"), Choice("视频", "video"), Choice("微信", "wechat"),
        Choice("上门", "visit"), Choice("其他", "other"),
    ])
    public static let mood = ChoiceSet("心理状态", [
        Choice("良好", "good"), Choice("一般", "fair"), Choice("需关注", "needs_attention"),
    ])
    public static let study = ChoiceSet("学习情况", [Choice("正常", "normal"), Choice("需辅导", "needs_help")])
    public static let inspectionKind = ChoiceSet("检查类型", [
        Choice("防控督导", "supervision"), Choice("幼儿园排查", "kindergarten_check"),
        Choice("培训机构巡查", "training_patrol"),
    ])
}

/// The bureau's three report groups (forms.md, "Report groups").
public enum ReportGroup: String, CaseIterable, Sendable, Comparable {
    case kindergarten = "幼儿园"
    case school = "中小学"
    case training = "校外培训机构"

    /// The group of a 机构类别 choice index in `ChoiceSet.category`.
    public init(categoryIndex: Int) {
        switch categoryIndex {
        case 0: self = .kindergarten
        case 8: self = .training
        default: self = .school
        }
    }

    public static func < (a: ReportGroup, b: ReportGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
