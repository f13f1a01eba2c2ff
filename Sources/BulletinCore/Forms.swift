/// How a column's text is read (forms.md, "General rules for every form").
public enum ValueType: Sendable {
    case text
    /// A whole number ≥ 0; blank is missing, not zero.
    case count
    case date
    case dateTime
    /// A time of day, or a date-time (the duty roster's shift times).
    case timeOrDateTime
    case yesNo
    case choice(ChoiceSet)
    /// Free text that holds a phone number: masked wherever it is shown.
    case phone
    /// Free text that holds an ID number: masked wherever it is shown.
    case idNumber

    /// The type as stable text (a choice with its codes), for fingerprints of the declarations.
    public var fingerprint: String {
        switch self {
        case .text: return "text"
        case .count: return "count"
        case .date: return "date"
        case .dateTime: return "date_time"
        case .timeOrDateTime: return "time_or_date_time"
        case .yesNo: return "yes_no"
        case .choice(let set): return "choice(" + set.choices.map(\.code).joined(separator: ",") + ")"
        case .phone: return "phone"
        case .idNumber: return "id_number"
        }
    }
}

/// One column of a form: its Chinese and English header names, type, whether it is required, and
/// whether the tool reads its values at all.
public struct ColumnSpec: Sendable {
    public let chinese: String
    public let english: String
    public let type: ValueType
    public let required: Bool
    /// A column no figure or rule uses (an address, a contact's phone, remarks): its header is
    /// recognised, its values are neither read, checked nor kept. Never a required column.
    public let ignored: Bool

    /// A column named `chinese` or `english` in headers, typed `type`.
    public init(_ chinese: String, _ english: String, _ type: ValueType, required: Bool = false, ignored: Bool = false) {
        precondition(!(required && ignored), "a required column is always read")
        self.chinese = chinese
        self.english = english
        self.type = type
        self.required = required
        self.ignored = ignored
    }

    /// Whether values of this column must be masked in outputs.
    public var isPersonalNumber: Bool {
        switch type {
        case .phone, .idNumber: return true
        default: return false
        }
    }
}

/// The columns of one form, in forms.md order: the one declaration a form's header matching, typed
/// reading, records and store follow. Rows are read by a loop over these cases.
public protocol FormColumn: RawRepresentable, CaseIterable, Sendable where RawValue == Int, AllCases == [Self] {
    /// The form these are the columns of.
    static var form: FormKind { get }
    /// The column holding the row's own date, whose year completes dates typed without one (`2月8日`).
    static var rowDate: Self? { get }
    /// Every column's `spec`, in order, made once (rows read them for every cell).
    static var specs: [ColumnSpec] { get }
    var spec: ColumnSpec { get }
}

/// The six forms of forms.md.
public enum FormKind: String, CaseIterable, Sendable, Codable {
    case institutions, daily, roster, care, duty, inspections

    /// The form's Chinese name, as schools know it.
    public var chineseName: String {
        switch self {
        case .institutions: return "机构名录"
        case .daily: return "疫情防控日报"
        case .roster: return "人员摸排花名册"
        case .care: return "温暖在线关爱记录"
        case .duty: return "下沉干部值班表"
        case .inspections: return "督导检查记录"
        }
    }

    /// The columns of the form, in forms.md order (`FormColumn.rawValue` indexes this array).
    public var columns: [ColumnSpec] { columnType.specs }

    /// The form's column declaration.
    public var columnType: any FormColumn.Type {
        switch self {
        case .institutions: return InstitutionColumn.self
        case .daily: return DailyColumn.self
        case .roster: return RosterColumn.self
        case .care: return CareColumn.self
        case .duty: return DutyColumn.self
        case .inspections: return InspectionColumn.self
        }
    }

    /// The position of the column holding the row's own date (`FormColumn.rowDate`).
    public var rowDateColumn: Int? { columnType.rowDate?.rawValue }
}

/// Columns of the institution registry (机构名录).
public enum InstitutionColumn: Int, FormColumn {
    public static let form = FormKind.institutions
    public static let specs = allCases.map(\.spec)
    public static let rowDate: InstitutionColumn? = nil

    case code, name, category, ownership, street, address, enrolledStudents, staffCount,
         contactName, contactPhone, status

    public var spec: ColumnSpec {
        switch self {
        case .code: return ColumnSpec("机构代码", "institution_code", .text, required: true)
        case .name: return ColumnSpec("机构名称", "institution_name", .text, required: true)
        case .category: return ColumnSpec("机构类别", "category", .choice(.category), required: true)
        case .ownership: return ColumnSpec("办学性质", "ownership", .choice(.ownership))
        case .street: return ColumnSpec("所属街道", "street", .text, required: true)
        case .address: return ColumnSpec("地址", "address", .text, ignored: true)
        case .enrolledStudents: return ColumnSpec("在册学生数", "enrolled_students", .count, required: true)
        case .staffCount: return ColumnSpec("教职工数", "staff_count", .count, required: true)
        case .contactName: return ColumnSpec("联系人", "contact_name", .text, ignored: true)
        case .contactPhone: return ColumnSpec("联系电话", "contact_phone", .phone, ignored: true)
        case .status: return ColumnSpec("状态", "status", .choice(.status), required: true)
        }
    }
}

/// The nine figures a daily report gives for students and again for staff.
public enum Figure: Int, CaseIterable, Sendable {
    case total, inCity, away, returned, hubei, observation, fever, suspected, confirmed

    /// How many figures there are: a constant (`allCases.count` builds an array).
    @inlinable public static var count: Int { confirmed.rawValue + 1 }

    /// The key used in summary.json (`in_city`, `hubei`, …).
    public var key: String {
        switch self {
        case .total: return "total"
        case .inCity: return "in_city"
        case .away: return "away"
        case .returned: return "returned"
        case .hubei: return "hubei"
        case .observation: return "observation"
        case .fever: return "fever"
        case .suspected: return "suspected"
        case .confirmed: return "confirmed"
        }
    }

    /// The figure's Chinese name without the population (`在济`, `发热`, …).
    public var chinese: String {
        switch self {
        case .total: return "总数"
        case .inCity: return "在济"
        case .away: return "离济"
        case .returned: return "当日返济"
        case .hubei: return "湖北旅居接触史"
        case .observation: return "居家观察"
        case .fever: return "发热"
        case .suspected: return "疑似病例"
        case .confirmed: return "确诊病例"
        }
    }

    /// Figures that are cases: any above zero makes a report non-zero.
    public static let cases: [Figure] = [.fever, .suspected, .confirmed]
}

/// Students or staff (training institutions' workers are staff).
public enum Population: Int, CaseIterable, Sendable {
    case students, staff

    public var key: String { self == .students ? "students" : "staff" }
    public var chinese: String { self == .students ? "学生" : "教职工" }
}

/// Columns of the daily report (疫情防控日报).
public enum DailyColumn: Int, FormColumn {
    public static let form = FormKind.daily
    public static let specs = allCases.map(\.spec)
    public static let rowDate: DailyColumn? = .reportDate

    case reportDate, code, name, reporter, reporterPhone, submittedAt
    case students0, students1, students2, students3, students4, students5, students6, students7, students8
    case staff0, staff1, staff2, staff3, staff4, staff5, staff6, staff7, staff8
    case onlineLearners, onlineDifficulty, zeroReport, remarks

    /// The count columns (figures, online learning), in form order.
    public static let countColumns: [DailyColumn] = allCases.filter {
        if case .count = $0.spec.type { return true }
        return false
    }

    /// Each column's position among `countColumns`, by `rawValue` (nil for the other columns).
    public static let countPosition: [Int?] = allCases.map { countColumns.firstIndex(of: $0) }

    /// The column holding `figure` of `population`.
    public static func figure(_ figure: Figure, of population: Population) -> DailyColumn {
        figureColumns[population.rawValue][figure.rawValue]
    }

    /// Where each population's figure stands among the count columns (`countPosition`), flat: at
    /// `population.rawValue * Figure.count + figure.rawValue`. Summing the figures of every
    /// date of a period reads them this way (through the nested table and `countPosition` it was a
    /// hundred instructions a figure).
    /// Held behind a pointer made once and never freed: the array this was before was retained and
    /// released at every read, a sixth of what a warm night's period charts grew by with history.
    public nonisolated(unsafe) static let figurePositions: UnsafePointer<Int> = {
        let positions = Population.allCases.flatMap { p in Figure.allCases.map { f in countPosition[figure(f, of: p).rawValue]! } }
        let table = UnsafeMutablePointer<Int>.allocate(capacity: positions.count)
        table.initialize(from: positions, count: positions.count)
        return UnsafePointer(table)
    }()

    private static let figureColumns: [[DailyColumn]] = Population.allCases.map { p in
        Figure.allCases.map { f in allCases.first { $0.populationFigure.map { $0 == (p, f) } ?? false }! }
    }

    /// Which population's figure the column holds; nil for the other columns. Exhaustive, like `spec`:
    /// a new column of the form does not compile until it says what it is.
    public var populationFigure: (population: Population, figure: Figure)? {
        switch self {
        case .students0: return (.students, .total)
        case .students1: return (.students, .inCity)
        case .students2: return (.students, .away)
        case .students3: return (.students, .returned)
        case .students4: return (.students, .hubei)
        case .students5: return (.students, .observation)
        case .students6: return (.students, .fever)
        case .students7: return (.students, .suspected)
        case .students8: return (.students, .confirmed)
        case .staff0: return (.staff, .total)
        case .staff1: return (.staff, .inCity)
        case .staff2: return (.staff, .away)
        case .staff3: return (.staff, .returned)
        case .staff4: return (.staff, .hubei)
        case .staff5: return (.staff, .observation)
        case .staff6: return (.staff, .fever)
        case .staff7: return (.staff, .suspected)
        case .staff8: return (.staff, .confirmed)
        case .reportDate, .code, .name, .reporter, .reporterPhone, .submittedAt, .onlineLearners, .onlineDifficulty,
             .zeroReport, .remarks:
            return nil
        }
    }

    public var spec: ColumnSpec {
        switch self {
        case .reportDate: return ColumnSpec("报告日期", "report_date", .date, required: true)
        case .code: return ColumnSpec("机构代码", "institution_code", .text, required: true)
        case .name: return ColumnSpec("机构名称", "institution_name", .text)
        case .reporter: return ColumnSpec("填报人", "reporter", .text, ignored: true)
        case .reporterPhone: return ColumnSpec("填报人电话", "reporter_phone", .phone, ignored: true)
        case .submittedAt: return ColumnSpec("填报时间", "submitted_at", .dateTime, required: true)
        case .onlineLearners: return ColumnSpec("空中课堂参学人数", "online_learners", .count)
        case .onlineDifficulty: return ColumnSpec("在线学习困难学生数", "online_difficulty", .count)
        case .zeroReport: return ColumnSpec("是否零报告", "zero_report", .yesNo, required: true)
        case .remarks: return ColumnSpec("备注", "remarks", .text, ignored: true)
        case .students0, .students1, .students2, .students3, .students4, .students5, .students6, .students7, .students8,
             .staff0, .staff1, .staff2, .staff3, .staff4, .staff5, .staff6, .staff7, .staff8:
            let (population, figure) = populationFigure!
            let chinese: String
            switch figure {
            case .total: chinese = population.chinese + "总数"
            case .observation: chinese = "居家观察" + population.chinese + "数"
            case .fever: chinese = "发热" + population.chinese + "数"
            case .suspected: chinese = "疑似病例" + population.chinese + "数"
            case .confirmed: chinese = "确诊病例" + population.chinese + "数"
            case .returned: chinese = "当日返济" + population.chinese + "数"
            default: chinese = figure.chinese + population.chinese + "数"
            }
            return ColumnSpec(chinese, "\(population.key)_\(figure.key)", .count, required: true)
        }
    }
}

/// Columns of the person roster (人员摸排花名册).
public enum RosterColumn: Int, FormColumn {
    public static let form = FormKind.roster
    public static let specs = allCases.map(\.spec)
    public static let rowDate: RosterColumn? = .asOf

    case asOf, code, personType, name, gender, idNumber, phone, residenceStreet, location, awayTo,
         returnDate, hubeiHistory, health, observation, observationStart, observationEnd, onDuty,
         frontlineFamily, remarks

    public var spec: ColumnSpec {
        switch self {
        case .asOf: return ColumnSpec("摸排日期", "as_of", .date, required: true)
        case .code: return ColumnSpec("机构代码", "institution_code", .text, required: true)
        case .personType: return ColumnSpec("人员类别", "person_type", .choice(.personType), required: true)
        case .name: return ColumnSpec("姓名", "name", .text, required: true)
        case .gender: return ColumnSpec("性别", "gender", .choice(.gender))
        case .idNumber: return ColumnSpec("身份证号", "id_number", .idNumber, required: true)
        case .phone: return ColumnSpec("联系电话", "phone", .phone, ignored: true)
        case .residenceStreet: return ColumnSpec("现居住街道", "residence_street", .text, ignored: true)
        case .location: return ColumnSpec("当前所在地", "location", .choice(.location))
        case .awayTo: return ColumnSpec("离济去向", "away_to", .text, ignored: true)
        case .returnDate: return ColumnSpec("返济日期", "return_date", .date)
        case .hubeiHistory: return ColumnSpec("湖北旅居接触史", "hubei_history", .yesNo)
        case .health: return ColumnSpec("健康状况", "health", .choice(.health))
        case .observation: return ColumnSpec("观察方式", "observation", .choice(.observation))
        case .observationStart: return ColumnSpec("观察开始日期", "observation_start", .date)
        case .observationEnd: return ColumnSpec("观察结束日期", "observation_end", .date)
        case .onDuty: return ColumnSpec("是否在岗", "on_duty", .yesNo)
        case .frontlineFamily: return ColumnSpec("一线人员子女", "frontline_family", .yesNo)
        case .remarks: return ColumnSpec("备注", "remarks", .text, ignored: true)
        }
    }
}

/// Columns of the care log (温暖在线关爱记录).
public enum CareColumn: Int, FormColumn {
    public static let form = FormKind.care
    public static let specs = allCases.map(\.spec)
    public static let rowDate: CareColumn? = .date

    case date, code, studentName, studentID, parentName, parentRole, aidingHubei, teacher, method, mood, study, remarks

    public var spec: ColumnSpec {
        switch self {
        case .date: return ColumnSpec("联系日期", "contact_date", .date, required: true)
        case .code: return ColumnSpec("机构代码", "institution_code", .text, required: true)
        case .studentName: return ColumnSpec("学生姓名", "student_name", .text, required: true)
        case .studentID: return ColumnSpec("学生身份证号", "student_id_number", .idNumber, required: true)
        case .parentName: return ColumnSpec("家长姓名", "parent_name", .text, ignored: true)
        case .parentRole: return ColumnSpec("家长岗位", "parent_role", .choice(.parentRole))
        case .aidingHubei: return ColumnSpec("是否援鄂", "aiding_hubei", .yesNo)
        case .teacher: return ColumnSpec("负责教师", "teacher", .text, required: true)
        case .method: return ColumnSpec("联系方式", "method", .choice(.contactMethod))
        case .mood: return ColumnSpec("心理状态", "mood", .choice(.mood))
        case .study: return ColumnSpec("学习情况", "study", .choice(.study))
        case .remarks: return ColumnSpec("备注", "remarks", .text, ignored: true)
        }
    }
}

/// Columns of the cadre duty roster (下沉干部值班表).
public enum DutyColumn: Int, FormColumn {
    public static let form = FormKind.duty
    public static let specs = allCases.map(\.spec)
    public static let rowDate: DutyColumn? = .date

    case date, name, idNumber, department, post, start, end, checkedIn, temperatureChecks, remarks

    public var spec: ColumnSpec {
        switch self {
        case .date: return ColumnSpec("值班日期", "duty_date", .date, required: true)
        case .name: return ColumnSpec("姓名", "cadre_name", .text, required: true)
        case .idNumber: return ColumnSpec("身份证号", "cadre_id_number", .idNumber, required: true)
        case .department: return ColumnSpec("所属科室", "department", .text, ignored: true)
        case .post: return ColumnSpec("值守点位", "post", .text, required: true)
        case .start: return ColumnSpec("开始时间", "start_time", .timeOrDateTime, required: true)
        case .end: return ColumnSpec("结束时间", "end_time", .timeOrDateTime, required: true)
        case .checkedIn: return ColumnSpec("是否签到", "checked_in", .yesNo)
        case .temperatureChecks: return ColumnSpec("测温人次", "temperature_checks", .count)
        case .remarks: return ColumnSpec("备注", "remarks", .text, ignored: true)
        }
    }
}

/// Columns of the inspection log (督导检查记录).
public enum InspectionColumn: Int, FormColumn {
    public static let form = FormKind.inspections
    public static let specs = allCases.map(\.spec)
    public static let rowDate: InspectionColumn? = .date

    case date, code, team, kind, suspended, issuesFound, findings, fixDeadline, fixedDate, notices, remarks

    public var spec: ColumnSpec {
        switch self {
        case .date: return ColumnSpec("检查日期", "inspection_date", .date, required: true)
        case .code: return ColumnSpec("机构代码", "institution_code", .text, required: true)
        case .team: return ColumnSpec("检查组", "team", .text)
        case .kind: return ColumnSpec("检查类型", "kind", .choice(.inspectionKind))
        case .suspended: return ColumnSpec("是否停课", "suspended", .yesNo)
        case .issuesFound: return ColumnSpec("发现问题数", "issues_found", .count)
        case .findings: return ColumnSpec("问题描述", "findings", .text)
        case .fixDeadline: return ColumnSpec("整改期限", "fix_deadline", .date)
        case .fixedDate: return ColumnSpec("整改完成日期", "fixed_date", .date)
        case .notices: return ColumnSpec("下达通知数", "notices", .count)
        case .remarks: return ColumnSpec("备注", "remarks", .text, ignored: true)
        }
    }
}
