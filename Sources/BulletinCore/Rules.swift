/// How urgent an anomaly is; sorted critical first.
public enum Severity: String, CaseIterable, Sendable, Comparable {
    case critical, error, warning, info

    public var chinese: String {
        switch self {
        case .critical: return "紧急"
        case .error: return "错误"
        case .warning: return "警告"
        case .info: return "提示"
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The anomaly rule catalog of outputs.md: stable ids and their severities.
public enum Rule: String, CaseIterable, Sendable {
    case missingReport = "missing_report"
    case lateReport = "late_report"
    case duplicateReport = "duplicate_report"
    case unknownInstitution = "unknown_institution"
    case nameMismatch = "name_mismatch"
    case zeroFlagMismatch = "zero_flag_mismatch"
    case sumMismatch = "sum_mismatch"
    case countExceedsTotal = "count_exceeds_total"
    case enrollmentDeviation = "enrollment_deviation"
    case totalRowMismatch = "total_row_mismatch"
    case casesReported = "cases_reported"
    case spike = "spike"
    case rosterMismatch = "roster_mismatch"
    case rosterStale = "roster_stale"
    case invalidIdNumber = "invalid_id_number"
    case idGenderMismatch = "id_gender_mismatch"
    case duplicatePerson = "duplicate_person"
    case observationMissing = "observation_missing"
    case observationTooShort = "observation_too_short"
    case onDutyUnderObservation = "on_duty_under_observation"
    case personCase = "person_case"
    case careContactGap = "care_contact_gap"
    case careNeedsAttention = "care_needs_attention"
    case postUncovered = "post_uncovered"
    case cadreDoubleBooked = "cadre_double_booked"
    case trainingOperating = "training_operating"
    case rectificationOverdue = "rectification_overdue"
    /// A registry revision that cannot be used (empty, unreadable, lacking a required column): the
    /// previous one stays in force.
    case registryRejected = "registry_rejected"
    /// A published day with no institution expected or no valid report: its figures are not the district's.
    case noValidReports = "no_valid_reports"

    public var severity: Severity {
        switch self {
        case .casesReported, .onDutyUnderObservation, .personCase, .trainingOperating, .registryRejected,
             .noValidReports: return .critical
        case .missingReport, .unknownInstitution, .zeroFlagMismatch, .sumMismatch, .countExceedsTotal,
             .invalidIdNumber, .duplicatePerson, .observationMissing, .observationTooShort,
             .postUncovered, .cadreDoubleBooked, .rectificationOverdue: return .error
        case .lateReport, .duplicateReport, .nameMismatch, .enrollmentDeviation, .totalRowMismatch, .spike,
             .rosterMismatch, .rosterStale, .idGenderMismatch, .careContactGap, .careNeedsAttention: return .warning
        }
    }

    /// What the rule needs to decide: `bulletin check` runs the rules one file decides, and with a
    /// registry those that also need it.
    public var scope: RuleScope {
        switch self {
        case .lateReport, .duplicateReport, .zeroFlagMismatch, .sumMismatch, .countExceedsTotal, .totalRowMismatch,
             .casesReported, .invalidIdNumber, .idGenderMismatch, .duplicatePerson, .observationMissing,
             .observationTooShort, .onDutyUnderObservation, .personCase, .careNeedsAttention, .cadreDoubleBooked,
             .rectificationOverdue: return .file
        case .unknownInstitution, .nameMismatch, .enrollmentDeviation, .trainingOperating: return .registry
        case .missingReport, .spike, .rosterMismatch, .rosterStale, .careContactGap, .postUncovered,
             .registryRejected, .noValidReports: return .landing
        }
    }

    /// A short Chinese title for the bulletin's tables, stating the thresholds `parameters` set.
    public func chineseTitle(_ parameters: PipelineParameters) -> String {
        switch self {
        case .missingReport: return "未报送日报"
        case .lateReport: return "迟报"
        case .duplicateReport: return "重复报送"
        case .unknownInstitution: return "机构代码不在名录"
        case .nameMismatch: return "机构名称不符"
        case .zeroFlagMismatch: return "零报告标记与病例数不符"
        case .sumMismatch: return "在济与离济之和不等于总数"
        case .countExceedsTotal: return "分项人数超过总数"
        case .enrollmentDeviation: return "学生总数与在册人数偏差超过\(parameters.enrollmentDeviationPercent)%"
        case .totalRowMismatch: return "合计行与明细不符"
        case .casesReported: return "报告发热或病例"
        case .spike: return "数据异常增长"
        case .rosterMismatch: return "日报与花名册不符"
        case .rosterStale: return "花名册未及时更新"
        case .invalidIdNumber: return "身份证号无效"
        case .idGenderMismatch: return "身份证号与性别不符"
        case .duplicatePerson: return "人员重复登记"
        case .observationMissing: return "应观察未观察"
        case .observationTooShort: return "观察期不足"
        case .onDutyUnderObservation: return "观察期间在岗"
        case .personCase: return "发热或病例人员"
        case .careContactGap: return "一线人员子女当日未联系"
        case .careNeedsAttention: return "心理状态需关注"
        case .postUncovered: return "值守点位人员不足"
        case .cadreDoubleBooked: return "干部值班时间冲突"
        case .trainingOperating: return "培训机构未停课"
        case .rectificationOverdue: return "整改逾期"
        case .registryRejected: return "机构名录修订无法使用"
        case .noValidReports: return "当日无有效日报"
        }
    }
}

/// What a rule needs to decide, beyond the rows it is about.
public enum RuleScope: Sendable {
    /// The file's own rows.
    case file
    /// The file and the registry in force.
    case registry
    /// Everything the landing holds for the day (other files, earlier days, the duty posts).
    case landing
}

/// Stable reason codes of rejects.csv.
///
/// Unreadable dates, date-times and times are all `bad_date`; an unreadable yes/no is `bad_enum`
/// (a yes/no is a choice between two values).
public enum RejectReason: String, Sendable, CaseIterable {
    case missingValue = "missing_value"
    case badCount = "bad_count"
    case badDate = "bad_date"
    case badEnum = "bad_enum"
    case unknownForm = "unknown_form"
    case missingColumn = "missing_column"
    case unreadableFile = "unreadable_file"
    case duplicateCode = "duplicate_code"
    /// A cell holding a NUL or another control character (a damaged file or a bad export).
    case controlCharacter = "control_character"
    /// A file past the pipeline's size limit, or a sheet past Excel's rows, columns or cell budget.
    case fileTooLarge = "file_too_large"
    /// A file the tool does not read (an encrypted workbook, an old .xls under another name, a .bak…).
    case unsupportedFile = "unsupported_file"
}
