/// One choice set of forms.md as a Swift enum: its cases in forms.md order, the English code as the
/// raw value and the Chinese label schools type. Records hold these enums, so every use of a choice
/// is a name the compiler checks, and a switch over one is exhaustive.
public protocol Choosable: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String, AllCases == [Self] {
    /// The set's Chinese name, as the form's column calls it (`机构类别`).
    static var title: String { get }
    /// The Chinese label schools type (`幼儿园`).
    var label: String { get }
    /// `allCases`, made once (`allCases` builds a new array on every use, and choices are read for every cell).
    static var all: [Self] { get }
}

extension Choosable {
    /// The English code (`kindergarten`).
    public var code: String { rawValue }
    /// The position among the set's cases (how the store keeps a choice). A case without payload is
    /// stored as its index in declaration order, which is its place in `allCases`: the value's one
    /// byte is read (searching `all` for every choice written was a fifth of the store's encoding of
    /// roster rows). `ChoiceOrdinalTests` holds the two equal for every set.
    @inlinable public var ordinal: Int {
        guard MemoryLayout<Self>.size == 1 else { return Self.all.firstIndex(of: self)! }
        return Int(unsafeBitCast(self, to: UInt8.self))
    }

    /// The case at `ordinal`, which must be a place in `all` (as `ChoiceSet.match` gives): the inverse
    /// of `ordinal`, from the byte, without reading `all` (a lazily made static, checked on every read:
    /// five a roster row).
    @inlinable public init(ordinal: Int) {
        guard MemoryLayout<Self>.size == 1 else { self = Self.all[ordinal]; return }
        self = unsafeBitCast(UInt8(truncatingIfNeeded: ordinal), to: Self.self)
    }
}

/// One permitted value of an enum column: the Chinese label schools type and its English code.
public struct Choice: Hashable, Sendable {
    public let label: String
    public let code: String
}

/// The permitted values of an enum column, made from its `Choosable` enum and matched by label or
/// code. A class: rows read it for every cell, and one reference costs one retain.
public final class ChoiceSet: Sendable {
    public let name: String
    public let choices: [Choice]
    /// Labels as bytes and codes as lower-case bytes, for matching cells without making strings.
    private let labelBytes: [[UInt8]]
    private let codeBytes: [[UInt8]]
    /// Each label of up to 16 bytes (nearly all: two or three Chinese characters) as `PackedText`, with
    /// its position; compared as two words against the cell packed the same way (compared byte by byte
    /// through the arrays above, the five choice cells of a roster row were a sixteenth of reading it).
    private let packedLabels: [(text: PackedText, index: Int)]
    /// Whether some label is longer than 16 bytes: only then are labels also compared byte by byte.
    private let hasLongLabels: Bool

    /// The set of `C`'s cases, in their declared order.
    public init<C: Choosable>(_ type: C.Type) {
        name = C.title
        choices = C.allCases.map { Choice(label: $0.label, code: $0.code) }
        let labels = choices.map { Array($0.label.utf8) }
        labelBytes = labels
        codeBytes = choices.map { Array($0.code.lowercased().utf8) }
        packedLabels = labels.indices.compactMap { i in labels[i].withUnsafeBufferPointer(PackedText.init).map { ($0, i) } }
        hasLongLabels = packedLabels.count < labelBytes.count
    }

    /// The position of the UTF-8 text `bytes` among the choices (label, or code ignoring ASCII case).
    public func match(bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if let cell = PackedText(bytes) {
            let found = packedLabels.withUnsafeBufferPointer { labels in labels.first { $0.text == cell }?.index }
            if let found { return found }
        }
        // By index, comparing in place: iterating the arrays would copy (and retain) every label per cell.
        if hasLongLabels || bytes.count > PackedText.capacity {
            for i in labelBytes.indices where labelBytes[i].count == bytes.count {
                if labelBytes[i].indices.allSatisfy({ labelBytes[i][$0] == bytes[$0] }) { return i }
            }
        }
        for i in codeBytes.indices where codeBytes[i].count == bytes.count {
            if codeBytes[i].indices.allSatisfy({ codeBytes[i][$0] == Self.lowercased(bytes[$0]) }) { return i }
        }
        return nil
    }

    @inline(__always) private static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    public static let category = ChoiceSet(InstitutionCategory.self)
    public static let ownership = ChoiceSet(Ownership.self)
    public static let status = ChoiceSet(InstitutionStatus.self)
    public static let personType = ChoiceSet(PersonType.self)
    public static let gender = ChoiceSet(Gender.self)
    public static let location = ChoiceSet(Whereabouts.self)
    public static let health = ChoiceSet(HealthStatus.self)
    public static let observation = ChoiceSet(ObservationKind.self)
    public static let parentRole = ChoiceSet(ParentRole.self)
    public static let contactMethod = ChoiceSet(ContactMethod.self)
    public static let mood = ChoiceSet(Mood.self)
    public static let study = ChoiceSet(StudyStatus.self)
    public static let inspectionKind = ChoiceSet(InspectionKind.self)
}

/// 机构类别.
public enum InstitutionCategory: String, Choosable {
    case kindergarten, primary, junior, senior, nineYear = "nine_year", complete, special, vocational, training
    public static let title = "机构类别"
    public static let all = allCases
    public var label: String {
        switch self {
        case .kindergarten: return "幼儿园"
        case .primary: return "小学"
        case .junior: return "初中"
        case .senior: return "高中"
        case .nineYear: return "九年一贯制"
        case .complete: return "完全中学"
        case .special: return "特殊教育"
        case .vocational: return "中职"
        case .training: return "校外培训机构"
        }
    }
}

/// 办学性质.
public enum Ownership: String, Choosable {
    case `public`, `private`
    public static let title = "办学性质"
    public static let all = allCases
    public var label: String { self == .public ? "公办" : "民办" }
}

/// 状态 of an institution: only active ones are expected to report.
public enum InstitutionStatus: String, Choosable {
    case active, closed
    public static let title = "状态"
    public static let all = allCases
    public var label: String { self == .active ? "正常" : "停办" }
}

/// 人员类别.
public enum PersonType: String, Choosable {
    case student, staff, worker
    public static let title = "人员类别"
    public static let all = allCases
    public var label: String {
        switch self {
        case .student: return "学生"
        case .staff: return "教职工"
        case .worker: return "从业人员"
        }
    }
    /// Whose figures of the daily report the person counts in (training institutions' workers are staff).
    public var population: Population { self == .student ? .students : .staff }
}

/// 性别.
public enum Gender: String, Choosable {
    case male, female
    public static let title = "性别"
    public static let all = allCases
    public var label: String { self == .male ? "男" : "女" }
}

/// 当前所在地.
public enum Whereabouts: String, Choosable {
    case inCity = "in_city", away
    public static let title = "当前所在地"
    public static let all = allCases
    public var label: String { self == .inCity ? "在济" : "离济" }
}

/// 健康状况.
public enum HealthStatus: String, Choosable {
    case healthy, fever, suspected, confirmed, other
    public static let title = "健康状况"
    public static let all = allCases
    public var label: String {
        switch self {
        case .healthy: return "健康"
        case .fever: return "发热"
        case .suspected: return "疑似"
        case .confirmed: return "确诊"
        case .other: return "其他"
        }
    }
    /// The daily report's case figure this status counts in, when it is a case.
    public var caseFigure: Figure? {
        switch self {
        case .fever: return .fever
        case .suspected: return .suspected
        case .confirmed: return .confirmed
        case .healthy, .other: return nil
        }
    }
}

/// 观察方式.
public enum ObservationKind: String, Choosable {
    case none, home, central
    public static let title = "观察方式"
    public static let all = allCases
    public var label: String {
        switch self {
        case .none: return "无"
        case .home: return "居家观察"
        case .central: return "集中观察"
        }
    }
}

/// 家长岗位.
public enum ParentRole: String, Choosable {
    case doctor, nurse, cdc, police, community, other
    public static let title = "家长岗位"
    public static let all = allCases
    public var label: String {
        switch self {
        case .doctor: return "医生"
        case .nurse: return "护士"
        case .cdc: return "疾控"
        case .police: return "公安"
        case .community: return "社区"
        case .other: return "其他"
        }
    }
}

/// 联系方式 of a care contact.
public enum ContactMethod: String, Choosable {
    case phone, video, wechat, visit, other
    public static let title = "联系方式"
    public static let all = allCases
    public var label: String {
        switch self {
        case .phone: return "电话"
        case .video: return "视频"
        case .wechat: return "微信"
        case .visit: return "上门"
        case .other: return "其他"
        }
    }
}

/// 心理状态 of a child contacted.
public enum Mood: String, Choosable {
    case good, fair, needsAttention = "needs_attention"
    public static let title = "心理状态"
    public static let all = allCases
    public var label: String {
        switch self {
        case .good: return "良好"
        case .fair: return "一般"
        case .needsAttention: return "需关注"
        }
    }
}

/// 学习情况 of a child contacted.
public enum StudyStatus: String, Choosable {
    case normal, needsHelp = "needs_help"
    public static let title = "学习情况"
    public static let all = allCases
    public var label: String { self == .normal ? "正常" : "需辅导" }
}

/// 检查类型.
public enum InspectionKind: String, Choosable {
    case supervision, kindergartenCheck = "kindergarten_check", trainingPatrol = "training_patrol"
    public static let title = "检查类型"
    public static let all = allCases
    public var label: String {
        switch self {
        case .supervision: return "防控督导"
        case .kindergartenCheck: return "幼儿园排查"
        case .trainingPatrol: return "培训机构巡查"
        }
    }
}

/// The bureau's three report groups (forms.md, "Report groups").
public enum ReportGroup: String, CaseIterable, Sendable, Comparable {
    case kindergarten = "幼儿园"
    case school = "中小学"
    case training = "校外培训机构"

    /// The group an institution of `category` reports in.
    public init(_ category: InstitutionCategory) {
        switch category {
        case .kindergarten: self = .kindergarten
        case .training: self = .training
        case .primary, .junior, .senior, .nineYear, .complete, .special, .vocational: self = .school
        }
    }

    public static func < (a: ReportGroup, b: ReportGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
