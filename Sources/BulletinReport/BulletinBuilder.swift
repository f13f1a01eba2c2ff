import BulletinAggregate
import BulletinCore

/// Builds the bulletin's document model from a day's results (no person's name or ID enters it).
public enum BulletinBuilder {
    /// The most items a list shows before saying how many more there are.
    public static let listLimit = 60

    /// What the bulletin says about its inputs: files, rows, the definition, and which edition it is.
    public struct Sources: Sendable {
        public var files: Int, rowsAccepted: Int, rowsRejected: Int, pipelineSHA256: String
        /// The final view (late arrivals counted): the bulletin is a 修订版, never the as-of issue.
        public var revised: Bool
        /// In a 修订版, the reporting and counts of the as-of issue, to say what changed.
        public var asOfIssue: Summary?
        public init(files: Int, rowsAccepted: Int, rowsRejected: Int, pipelineSHA256: String, revised: Bool = false,
                    asOfIssue: Summary? = nil) {
            self.revised = revised
            self.asOfIssue = asOfIssue
            self.files = files
            self.rowsAccepted = rowsAccepted
            self.rowsRejected = rowsRejected
            self.pipelineSHA256 = pipelineSHA256
        }
    }

    /// The bulletin of `day`; `previous` is the day before (for changes), `trend` the reporting and
    /// counts of the period from first_day ending with `day` (charts, cumulative figures), oldest first.
    public static func build(_ day: DayResult, previous: Summary?, trend: [Summary], parameters: PipelineParameters,
                             sources: Sources) -> BulletinDocument {
        let s = day.summary
        var sections: [BulletinDocument.Section] = []
        sections.append(reporting(day, trend: trend))
        sections.append(health(s, previous: previous, trend: trend))
        sections.append(roster(day, parameters: parameters))
        sections.append(online(day))
        sections.append(care(s))
        sections.append(inspections(s))
        sections.append(duty(s, parameters: parameters))
        sections.append(actions(day, parameters: parameters))
        var footer = [
            "数据来源：\(sources.files)个文件，接收\(sources.rowsAccepted)行，退回\(sources.rowsRejected)行。",
            "流程定义版本（SHA-256前8位，完整值见manifest.json）：\(String(sources.pipelineSHA256.prefix(8)))。",
        ]
        footer.insert("内部资料，注意保密：仅限疫情防控工作使用，不得对外转发（对外请用对外版）。", at: 0)
        // The 版记, as an official document closes: 报 / 送 / 发, 签发, 印发机关 and date.
        let imprint = parameters.imprint
        var record: [String] = []
        for (label, names) in [("报", imprint.reportTo), ("送", imprint.sendTo), ("发", imprint.issueTo)] where !names.isEmpty {
            record.append("\(label)：\(names.joined(separator: "，"))。")
        }
        if !imprint.signedBy.isEmpty { record.append("签发：\(imprint.signedBy)") }
        record.append("\(imprint.printedBy.isEmpty ? parameters.issuer : imprint.printedBy)　\(s.date.chinese)印发")
        footer.insert(contentsOf: record, at: 1)
        if sources.revised {
            footer.insert("修订版：计入了日后补报的迟报（最终视图），当日按时发布的版本保留不变。"
                          + (sources.asOfIssue.map { changes(from: $0, to: s) } ?? ""), at: 0)
        }
        return BulletinDocument(title: parameters.title + (sources.revised ? "（修订版）" : ""), issueNumber: s.date.days(since: parameters.firstDay) + 1,
                                date: s.date.chinese, issuer: parameters.issuer, sections: sections, footer: footer)
    }

    /// What a 修订版 changed against the as-of issue: reporting and the figures that moved.
    static func changes(from asOf: Summary, to final: Summary) -> String {
        var moved: [String] = []
        func note(_ label: String, _ a: Int, _ b: Int) { if a != b { moved.append("\(label)\(a)→\(b)") } }
        note("有效报送", asOf.reporting.valid, final.reporting.valid)
        note("迟报", asOf.reporting.late, final.reporting.late)
        note("未报", asOf.reporting.missing, final.reporting.missing)
        for (population, label) in [(Population.students, "学生"), (.staff, "教职工")] {
            let a = population == .students ? asOf.counts.students : asOf.counts.staff
            let b = population == .students ? final.counts.students : final.counts.staff
            for figure in Figure.allCases { note(label + figure.chinese, a[figure.rawValue], b[figure.rawValue]) }
        }
        return moved.isEmpty ? "与当日发布版相比，数字没有变化。" : "与当日发布版相比：" + moved.joined(separator: "，") + "。"
    }

    static func percent(_ v: Double) -> String {
        let tenths = Int((v * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func reporting(_ day: DayResult, trend: [Summary]) -> BulletinDocument.Section {
        let r = day.summary.reporting
        var rows: [[String]] = ReportGroup.allCases.map { g in
            let x = r.byGroup[g] ?? Summary.GroupReporting()
            return [g.rawValue, "\(x.expected)", "\(x.valid)", "\(x.onTime)", "\(x.valid - x.onTime)", "\(x.missing)"]
        }
        rows.append(["合计", "\(r.expected)", "\(r.valid)", "\(r.onTime)", "\(r.late)", "\(r.missing)"])
        let missing = day.expected.filter { day.winners[$0.code] == nil }.map { "\($0.name)（\($0.group.rawValue)）" }
        var blocks: [BulletinDocument.Block] = [
            .paragraph("应报\(r.expected)家，收到\(r.received)家，有效\(r.valid)家，按时\(r.onTime)家，迟报\(r.late)家，"
                       + "未报\(r.missing)家；零报告\(r.zeroReports)家。报送完整率\(percent(r.completeness))，及时率\(percent(r.timeliness))。"),
            .table(.init(columns: ["类别", "应报", "有效", "按时", "迟报", "未报"], rows: rows)),
        ]
        // By street, the weakest completeness first (reporting only: no health figure below district level).
        let streets = r.byStreet.sorted { a, b in
            let (ca, cb) = (Summary.ratio(a.value.valid, a.value.expected), Summary.ratio(b.value.valid, b.value.expected))
            return ca != cb ? ca < cb : a.key < b.key
        }
        if streets.count > 1 {
            blocks.append(.paragraph("分街道报送情况（按完整率由低到高）："))
            blocks.append(.table(.init(columns: ["街道", "应报", "有效", "按时", "迟报", "未报", "完整率"], rows: streets.map { name, x in
                [name, "\(x.expected)", "\(x.valid)", "\(x.onTime)", "\(x.valid - x.onTime)", "\(x.missing)",
                 percent(Summary.ratio(x.valid, x.expected))]
            })))
        }
        if trend.count > 1 {
            let series: [BulletinDocument.Chart.Series] = [
                .init(name: "完整率", values: trend.map(\.reporting.completeness)),
                .init(name: "及时率", values: trend.map(\.reporting.timeliness)),
            ]
            // The axis starts at the 5% step at least one point below the lowest value, so day-to-day changes show.
            let lowest = series.flatMap(\.values).min() ?? 0
            let minimum = max(0, ((lowest - 0.01) * 20).rounded(.down) / 20)
            blocks.append(.chart(.init(title: "报送完整率与及时率（自\(trend[0].date.components.month)月\(trend[0].date.components.day)日起\(trend.count)天）",
                                       labels: labels(trend), series: series,
                                       minimum: minimum)))
        }
        if !missing.isEmpty {
            blocks.append(.paragraph("未报送日报的机构（\(missing.count)家）："))
            blocks.append(.list(Array(missing.prefix(listLimit)), more: max(0, missing.count - listLimit)))
        }
        return .init(heading: "一、报告情况", blocks: blocks)
    }

    static func health(_ s: Summary, previous: Summary?, trend: [Summary]) -> BulletinDocument.Section {
        let figures: [Figure] = [.total, .inCity, .away, .returned, .hubei, .observation, .fever, .suspected, .confirmed]
        var rows: [[String]] = []
        var emphasised: Set<BulletinDocument.Table.Cell> = []
        /// Marks the row's nonzero case counts: a case stands out, a zero never does.
        func mark(_ f: Summary.Figures) {
            for (k, figure) in figures.enumerated() where Figure.cases.contains(figure) && f[figure.rawValue] > 0 {
                emphasised.insert(.init(row: rows.count - 1, column: k + 1))
            }
        }
        for population in Population.allCases {
            for group in ReportGroup.allCases {
                let g = s.counts.byGroup[group] ?? (Summary.zeroFigures, Summary.zeroFigures)
                let f = population == .students ? g.students : g.staff
                rows.append(["\(group.rawValue)\(population.chinese)"] + figures.map { "\(f[$0.rawValue])" })
                mark(f)
            }
            let total = population == .students ? s.counts.students : s.counts.staff
            let before = previous.map { population == .students ? $0.counts.students : $0.counts.staff }
            rows.append(["\(population.chinese)合计"] + figures.map { f in
                let v = total[f.rawValue]
                guard let b = before?[f.rawValue], b != v else { return "\(v)" }
                return "\(v)（\(v > b ? "+" : "")\(v - b)）"
            })
            mark(total)
        }
        let cases = Figure.cases.map { s.counts.students[$0.rawValue] + s.counts.staff[$0.rawValue] }
        let lead = cases.allSatisfy { $0 == 0 }
            ? "全区教育系统师生无发热、疑似和确诊病例报告。"
            : "报告发热\(cases[0])人、疑似\(cases[1])人、确诊\(cases[2])人，请重点关注。"
        var blocks: [BulletinDocument.Block] = [
            .paragraph(lead + (previous == nil ? "" : "括号内为较前一日变化。")),
            .table(.init(columns: ["类别"] + figures.map(\.chinese), rows: rows, emphasised: emphasised)),
        ]
        let c = SeriesJSON.Cumulative(trend)
        if let first = trend.first {
            blocks.append(.paragraph("自\(first.date.chinese)以来：累计返济学生\(c.returnedStudents)人、教职工\(c.returnedStaff)人；"
                                     + "累计督导检查\(c.inspections)次，下达通知\(c.notices)份。"))
        }
        if trend.count > 1 {
            let observed = trend.map { Double(SeriesJSON.observed($0)) }, cases = trend.map { Double(SeriesJSON.cases($0)) }
            blocks.append(.chart(.init(title: "居家观察与发热、病例人数（\(trend.count)天）", labels: labels(trend),
                                       series: [.init(name: "居家观察", values: observed), .init(name: "发热及病例", values: cases)],
                                       maximum: BulletinDocument.Chart.countMaximum((observed + cases).max() ?? 0), percent: false)))
        }
        return .init(heading: "二、师生健康状况", blocks: blocks)
    }

    /// `2/8`-style labels of the days of a series.
    static func labels(_ days: [Summary]) -> [String] { days.map { "\($0.date.components.month)/\($0.date.components.day)" } }

    static func roster(_ day: DayResult, parameters: PipelineParameters) -> BulletinDocument.Section {
        let r = day.summary.roster
        let mismatched = day.anomalies.filter { $0.rule == .rosterMismatch }.map { "\($0.institutionName)：\($0.message)" }
        var blocks: [BulletinDocument.Block] = [
            .paragraph("花名册在册\(r.persons)人（学生\(r.byType[0])人，教职工\(r.byType[1])人，培训机构从业人员\(r.byType[2])人）；"
                       + "近\(parameters.observationDays)天返济\(r.returned14d)人，居家观察\(r.home)人，集中观察\(r.central)人，有湖北旅居接触史\(r.hubeiHistory)人；"
                       + "发热\(r.fever)人，疑似\(r.suspected)人，确诊\(r.confirmed)人。"),
        ]
        if !mismatched.isEmpty {
            blocks.append(.paragraph("日报与花名册不符的机构（\(mismatched.count)家）："))
            blocks.append(.list(Array(mismatched.prefix(listLimit)), more: max(0, mismatched.count - listLimit)))
        }
        return .init(heading: "三、人员摸排与返济监测", blocks: blocks)
    }

    static func online(_ day: DayResult) -> BulletinDocument.Section {
        let o = day.summary.online
        return .init(heading: "四、空中课堂", blocks: [
            .paragraph("中小学空中课堂参学\(o.learners)人，参学率\(percent(o.participation))；在线学习困难学生\(o.difficulty)人。"),
        ])
    }

    static func care(_ s: Summary) -> BulletinDocument.Section {
        let c = s.care
        return .init(heading: "五、温暖在线", blocks: [
            .paragraph("一线医务人员等防控人员子女\(c.children)人，当日联系\(c.contacted)人，覆盖率\(percent(c.coverage))；"
                       + "联系记录\(c.contacts)条，心理状态需关注\(c.needsAttention)人。"),
        ])
    }

    static func inspections(_ s: Summary) -> BulletinDocument.Section {
        let i = s.inspections
        var rows = InspectionKind.allCases.map { [$0.label, "\(i.onDayByKind[$0] ?? 0)", "\(i.cumulativeByKind[$0] ?? 0)"] }
        rows.append(["合计", "\(i.onDay)", "\(i.cumulative)"])
        return .init(heading: "六、督导检查", blocks: [
            .paragraph("当日检查\(i.onDay)次，累计\(i.cumulative)次；发现校外培训机构未停课\(i.trainingOperating)家；"
                       + "未整改问题\(i.openFindings)个，其中逾期\(i.overdueFindings)个；累计下达通知\(i.noticesCumulative)份；"
                       + "尚未检查的机构\(i.neverInspected)家。"),
            .table(.init(columns: ["检查类型", "当日", "累计"], rows: rows)),
        ])
    }

    static func duty(_ s: Summary, parameters: PipelineParameters) -> BulletinDocument.Section {
        let d = s.duty
        return .init(heading: "七、下沉社区", blocks: [
            .paragraph("\(d.cadres)名干部值班\(d.shifts)班次，共\(d.hours)小时；\(d.postsRequired)个值守点位中"
                       + "\(d.postsCovered)个人员到位；测温\(d.temperatureChecks)人次。"),
        ])
    }

    static func actions(_ day: DayResult, parameters: PipelineParameters) -> BulletinDocument.Section {
        let s = day.summary
        let counted = Rule.allCases.filter { (s.anomaliesByRule[$0] ?? 0) > 0 }
        var blocks: [BulletinDocument.Block] = [
            .paragraph("共\(s.anomaliesTotal)项：" + Severity.allCases.map { "\($0.chinese)\(s.anomaliesBySeverity[$0] ?? 0)项" }
                .joined(separator: "，") + "。"),
        ]
        if !counted.isEmpty {
            blocks.append(.table(.init(columns: ["事项", "级别", "数量"], rows: counted.map {
                [$0.chineseTitle(parameters), $0.severity.chinese, "\(s.anomaliesByRule[$0] ?? 0)"]
            })))
        }
        // Critical and error items by institution (institution level only: no names or IDs of people),
        // the most urgent first, then by group and street; then duty and post items, which have no institution.
        var byInstitution: [String: [Rule: Int]] = [:]
        var names: [String: String] = [:], worst: [String: Severity] = [:], groups: [String: ReportGroup] = [:]
        var dutyItems: [(Severity, String)] = []
        for a in day.anomalies where a.severity <= .error {
            guard !a.institutionCode.isEmpty else {
                if a.rule != .noValidReports && a.rule != .registryRejected { dutyItems.append((a.severity, "\(a.rule.chineseTitle(parameters))：\(a.message)")) }
                continue
            }
            byInstitution[a.institutionCode, default: [:]][a.rule, default: 0] += 1
            names[a.institutionCode] = a.institutionName.isEmpty ? a.institutionCode : a.institutionName
            worst[a.institutionCode] = min(worst[a.institutionCode] ?? a.severity, a.severity)
            if let g = a.group { groups[a.institutionCode] = g }
        }
        let streets = Dictionary(day.expected.map { ($0.code, $0.street) }, uniquingKeysWith: { a, _ in a })
        func rank(_ code: String) -> (Int, Int, String, String) {
            (Severity.allCases.firstIndex(of: worst[code]!)!, groups[code].flatMap { ReportGroup.allCases.firstIndex(of: $0) } ?? 9,
             streets[code] ?? "", code)
        }
        let items = byInstitution.keys.sorted { rank($0) < rank($1) }.map { code -> String in
            let rules = byInstitution[code]!.sorted { ($0.key.severity, $0.key.rawValue) < ($1.key.severity, $1.key.rawValue) }
                .map { $0.value > 1 ? "\($0.key.chineseTitle(parameters))\($0.value)项" : $0.key.chineseTitle(parameters) }
            let place = [groups[code]?.rawValue, streets[code]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "，")
            return "【\(worst[code]!.chinese)】\(names[code]!)\(place.isEmpty ? "" : "（\(place)）")：" + rules.joined(separator: "、")
        }
        if !items.isEmpty {
            blocks.append(.paragraph("需处置的紧急和错误事项（\(items.count)家机构）："))
            blocks.append(.list(Array(items.prefix(listLimit)), more: max(0, items.count - listLimit)))
        }
        let duty = dutyItems.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "【\($0.0.chinese)】\($0.1)" }
        if !duty.isEmpty {
            blocks.append(.paragraph("下沉干部与值守点位（\(duty.count)项）："))
            blocks.append(.list(Array(duty.prefix(listLimit)), more: max(0, duty.count - listLimit)))
        }
        return .init(heading: "八、需处置事项", blocks: blocks)
    }
}
