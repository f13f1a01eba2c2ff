/// The parameters a pipeline definition (`Pipelines/*.yaml`) sets for a run.
///
/// Defaults are those of outputs.md; the loader in BulletinPipeline checks every key.
public struct PipelineParameters: Sendable, Equatable {
    /// The district's name, e.g. 槐荫区.
    public var district = "槐荫区"
    /// The bulletin's masthead title.
    public var title = "槐荫区教育系统疫情防控工作日报"
    /// The issuing office printed under the masthead.
    public var issuer = "槐荫区教育和体育局疫情处置工作领导小组办公室"
    /// The day of issue No. 1 (第1期); issue numbers count from here.
    public var firstDay = LocalDate(year: 2020, month: 1, day: 24)!
    /// The time zone the forms' date-times are in; `nightly` takes "today" in it.
    public var timeZone = "Asia/Shanghai"
    /// Reports submitted at or before this time of the report day are on time.
    public var reportDeadline = TimeOfDay(seconds: 12 * 3600)
    /// The observation period after a return to the city, in days.
    public var observationDays = 14
    /// A roster older than this many days is stale.
    public var rosterStaleDays = 7
    /// enrollment_deviation fires when |students_total − enrolled| exceeds this share of enrolled.
    public var enrollmentDeviationPercent = 10
    /// spike: days of history looked at, reports needed, the least rise and the robust z-score.
    public var spikeHistoryDays = 14
    public var spikeMinReports = 7
    public var spikeMinIncrease = 3
    public var spikeRobustZ = 3.5
    /// Duty posts to staff and how many cadres each needs a day (post_uncovered).
    public var dutyPosts: [DutyPost] = DutyPost.defaults
    /// Whether to write the outward edition of the bulletin too (`bulletin-outward.html`, `.pdf`).
    public var outwardEdition = false
    /// In the outward edition, sensitive counts below this (1 … threshold − 1) are hidden below district level.
    public var smallCellThreshold = 5
    /// Files larger than this are rejected unread (`file_too_large`); no school's form comes near it.
    public var maxFileBytes = 200 << 20
    /// Rules switched off by the definition.
    public var disabledRules: Set<Rule> = []
    /// Which outputs to write.
    public var outputs: Set<OutputKind> = Set(OutputKind.allCases)
    /// The bulletin's 版记, as an official document (GB/T 9704) carries it.
    public var imprint = Imprint()

    public init() {}
}

/// The 版记 of the bulletin: to whom it is reported, sent and issued, who signed it, who prints it.
public struct Imprint: Sendable, Equatable {
    /// 报：the superior offices.
    public var reportTo: [String] = []
    /// 送：offices of the same level.
    public var sendTo: [String] = []
    /// 发：the units below.
    public var issueTo: [String] = []
    /// 签发：who approved this issue.
    public var signedBy = ""
    /// 印发机关; the issuer when empty.
    public var printedBy = ""

    public init() {}
}

/// A community post, station or site that bureau cadres staff every day.
public struct DutyPost: Sendable, Equatable {
    public var name: String
    public var cadres: Int

    /// A post named `name` needing `cadres` cadres a day.
    public init(name: String, cadres: Int) {
        self.name = name
        self.cadres = cadres
    }

    /// The posts of `Pipelines/daily.yaml`, used when a definition names none.
    public static let defaults: [DutyPost] = [
        DutyPost(name: "匡山街道匡山社区", cadres: 2), DutyPost(name: "匡山街道北大槐树社区", cadres: 2),
        DutyPost(name: "匡山街道营市东街社区", cadres: 2), DutyPost(name: "五里沟街道五里沟社区", cadres: 2),
        DutyPost(name: "五里沟街道东杜社区", cadres: 2), DutyPost(name: "五里沟街道西杜社区", cadres: 2),
        DutyPost(name: "济南西站", cadres: 3), DutyPost(name: "集中中转站", cadres: 2), DutyPost(name: "留观点", cadres: 2),
    ]
}

/// The files a run can write into `<out>/<date>/`.
public enum OutputKind: String, CaseIterable, Sendable {
    case summary, anomalies, rejects, manifest, bulletinHTML = "bulletin_html", bulletinPDF = "bulletin_pdf"
    /// One row per expected institution: its status and its winning report's figures.
    case reports
    /// The work list as a workbook for the bureau's groups.
    case anomaliesWorkbook = "anomalies_xlsx"
    /// The period from first_day to the date, day by day, and its cumulative figures.
    case series

    public var fileName: String {
        switch self {
        case .summary: return "summary.json"
        case .anomalies: return "anomalies.csv"
        case .reports: return "reports.csv"
        case .anomaliesWorkbook: return "anomalies.xlsx"
        case .series: return "series.json"
        case .rejects: return "rejects.csv"
        case .manifest: return "manifest.json"
        case .bulletinHTML: return "bulletin.html"
        case .bulletinPDF: return "bulletin.pdf"
        }
    }
}
