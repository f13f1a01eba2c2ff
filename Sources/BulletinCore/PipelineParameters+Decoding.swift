import Foundation

/// Reading a pipeline definition: the coding keys below are the only list of the definition's keys,
/// and every default is the property's own initial value in `PipelineParameters`. An unknown key, a
/// value of the wrong kind or out of range is refused with its dotted path (`thresholds.spike.robust_z`).
extension PipelineParameters: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, district, title, issuer, firstDay = "first_day", timeZone = "time_zone"
        case reportDeadline = "report_deadline", observationDays = "observation_days", rosterStaleDays = "roster_stale_days"
        case thresholds, duty, rules, imprint, outwardEdition = "outward_edition", smallCellThreshold = "small_cell_threshold"
        case maxFileMB = "max_file_mb", outputs
    }
    enum ThresholdKeys: String, CodingKey, CaseIterable { case enrollmentDeviationPercent = "enrollment_deviation_percent", spike }
    enum SpikeKeys: String, CodingKey, CaseIterable {
        case historyDays = "history_days", minReports = "min_reports", minIncrease = "min_increase", robustZ = "robust_z"
    }
    enum DutyKeys: String, CodingKey, CaseIterable { case posts }
    enum PostKeys: String, CodingKey, CaseIterable { case post, cadres }
    enum RuleKeys: String, CodingKey, CaseIterable { case disabled }
    enum ImprintKeys: String, CodingKey, CaseIterable {
        case reportTo = "report_to", sendTo = "send_to", issueTo = "issue_to", signedBy = "signed_by", printedBy = "printed_by"
    }

    /// A value the definition cannot have, at its dotted path.
    public struct Refused: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path) \(message)" }
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try Self.container(decoder, CodingKeys.self)
        if let v = try c.decodeIfPresent(Int.self, forKey: .version), v != 1 { throw c.refuse(.version, "应为 1") }
        district = try c.text(.district) ?? district
        title = try c.text(.title) ?? title
        issuer = try c.text(.issuer) ?? issuer
        if let zone = try c.text(.timeZone) {
            guard TimeZone(identifier: zone) != nil else { throw c.refuse(.timeZone, "“\(zone)”不是有效的时区") }
            timeZone = zone
        }
        if let day = try c.text(.firstDay) {
            guard let d = LocalDate(iso: day) else { throw c.refuse(.firstDay, "“\(day)”应为 YYYY-MM-DD") }
            firstDay = d
        }
        // Read as the text typed: YAML 1.1 would read 12:00 unquoted as the sexagesimal 720.
        if let time = try c.text(.reportDeadline) {
            guard let t = TimeOfDay(text: time) else { throw c.refuse(.reportDeadline, "“\(time)”应为 HH:MM 或 HH:MM:SS") }
            reportDeadline = t
        }
        observationDays = try c.positive(.observationDays) ?? observationDays
        rosterStaleDays = try c.positive(.rosterStaleDays) ?? rosterStaleDays
        maxFileBytes = try c.positive(.maxFileMB).map { $0 << 20 } ?? maxFileBytes
        outwardEdition = try c.decodeIfPresent(Bool.self, forKey: .outwardEdition) ?? outwardEdition
        smallCellThreshold = try c.positive(.smallCellThreshold) ?? smallCellThreshold
        if c.contains(.thresholds) {
            let t = try Self.container(c.superDecoder(forKey: .thresholds), ThresholdKeys.self)
            enrollmentDeviationPercent = try t.positive(.enrollmentDeviationPercent) ?? enrollmentDeviationPercent
            if t.contains(.spike) {
                let s = try Self.container(t.superDecoder(forKey: .spike), SpikeKeys.self)
                spikeHistoryDays = try s.positive(.historyDays) ?? spikeHistoryDays
                spikeMinReports = try s.positive(.minReports) ?? spikeMinReports
                spikeMinIncrease = try s.positive(.minIncrease) ?? spikeMinIncrease
                if let z = try s.decodeIfPresent(Double.self, forKey: .robustZ) {
                    guard z > 0 else { throw s.refuse(.robustZ, "应为正数") }
                    spikeRobustZ = z
                }
            }
        }
        if c.contains(.duty) {
            let d = try Self.container(c.superDecoder(forKey: .duty), DutyKeys.self)
            var list = try d.nestedUnkeyedContainer(forKey: .posts)
            var posts: [DutyPost] = []
            while !list.isAtEnd {
                let p = try Self.container(list.superDecoder(), PostKeys.self)
                guard let name = try p.text(.post), let cadres = try p.positive(.cadres) else {
                    throw p.refuse(.post, "应为 {post: 名称, cadres: 人数}")
                }
                posts.append(DutyPost(name: name, cadres: cadres))
            }
            guard !posts.isEmpty else { throw d.refuse(.posts, "应为非空列表") }
            dutyPosts = posts
        }
        if c.contains(.rules) {
            let r = try Self.container(c.superDecoder(forKey: .rules), RuleKeys.self)
            for id in try r.decodeIfPresent([String].self, forKey: .disabled) ?? [] {
                guard let rule = Rule(rawValue: id) else { throw r.refuse(.disabled, "中的“\(id)”不是已知规则") }
                disabledRules.insert(rule)
            }
        }
        if c.contains(.imprint) {
            let m = try Self.container(c.superDecoder(forKey: .imprint), ImprintKeys.self)
            imprint.reportTo = try m.decodeIfPresent([String].self, forKey: .reportTo) ?? []
            imprint.sendTo = try m.decodeIfPresent([String].self, forKey: .sendTo) ?? []
            imprint.issueTo = try m.decodeIfPresent([String].self, forKey: .issueTo) ?? []
            imprint.signedBy = try m.text(.signedBy) ?? imprint.signedBy
            imprint.printedBy = try m.text(.printedBy) ?? imprint.printedBy
        }
        if let names = try c.decodeIfPresent([String].self, forKey: .outputs) {
            outputs = []
            for name in names {
                guard let kind = OutputKind(rawValue: name) else {
                    throw c.refuse(.outputs, "中的“\(name)”不是已知输出（可选：\(OutputKind.allCases.map(\.rawValue).joined(separator: ", "))）")
                }
                outputs.insert(kind)
            }
        }
    }

    /// Where a decoder's `userInfo` may hold the keys of every mapping of the definition, by dotted path
    /// (`thresholds.spike`, `duty.posts[0]`; the top's is ""), as the text names them: a reader that
    /// lists them from its own tree saves asking the decoder (Yams answers `allKeys` with nodes whose
    /// default tag compiles its seven ICU regexes, 12 M instructions of every start).
    public static let mappingKeys = CodingUserInfoKey(rawValue: "bulletin.definition.mappingKeys")!

    /// The keyed container of `decoder`, refusing any key `Keys` does not name.
    private static func container<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder, _: Keys.Type) throws
        -> KeyedDecodingContainer<Keys> {
        let listed = (decoder.userInfo[mappingKeys] as? [String: [String]])?[dotted(decoder.codingPath)]
        let keys = try listed ?? decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.sorted().first(where: { Keys(stringValue: $0) == nil }) {
            let known = Keys.allCases.map(\.stringValue).sorted().joined(separator: ", ")
            throw Refused(path: dotted(decoder.codingPath + [AnyKey(stringValue: unknown)]), message: "是未知的键（可用：\(known)）")
        }
        return try decoder.container(keyedBy: Keys.self)
    }

    /// `thresholds.spike.history_days`, `duty.posts[0].cadres`.
    public static func dotted(_ path: [any CodingKey]) -> String {
        path.reduce("") { text, key in
            if let i = key.intValue { return text + "[\(i)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }
}

/// Any key, for finding the keys a definition has that the declaration does not.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

private extension KeyedDecodingContainer {
    func refuse(_ key: Key, _ message: String) -> PipelineParameters.Refused {
        PipelineParameters.Refused(path: PipelineParameters.dotted(codingPath + [key]), message: message)
    }

    /// Non-empty text, when given.
    func text(_ key: Key) throws -> String? {
        guard let v = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard !v.isEmpty else { throw refuse(key, "应为非空文本") }
        return v
    }

    /// A whole number above zero, when given.
    func positive(_ key: Key) throws -> Int? {
        guard contains(key) else { return nil }
        guard let v = try? decode(Int.self, forKey: key), v > 0 else {
            let typed = (try? decode(String.self, forKey: key)) ?? "?"
            throw refuse(key, "应为正整数，而不是“\(typed)”")
        }
        return v
    }
}
