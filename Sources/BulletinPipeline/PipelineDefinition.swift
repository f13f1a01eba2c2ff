import BulletinCore
import BulletinIngest
import BulletinValidate
import Crypto
import Foundation
import Yams

/// A pipeline definition (`Pipelines/*.yaml`): the parameters a user edits, checked on load.
public struct PipelineDefinition: Sendable {
    public var parameters: PipelineParameters
    /// The file it was read from, as given.
    public var path: String
    /// SHA-256 of the file's bytes, recorded in every manifest.
    public var sha256: String

    /// A definition that cannot be used, with the key at fault.
    public struct Invalid: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "流程定义有误 / invalid pipeline definition: \(path): \(message)" }
    }

    static let topKeys: Set<String> = ["version", "district", "title", "issuer", "first_day", "time_zone",
                                       "report_deadline", "observation_days", "roster_stale_days", "thresholds",
                                       "rules", "outputs", "duty", "max_file_mb", "outward_edition", "small_cell_threshold",
                                       "imprint"]
    static let thresholdKeys: Set<String> = ["enrollment_deviation_percent", "spike"]
    static let spikeKeys: Set<String> = ["history_days", "min_reports", "min_increase", "robust_z"]

    /// Loads and checks `path`.
    public static func load(_ path: String) throws -> PipelineDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Invalid(path: path, message: "无法读取流程定义文件")
        }
        let sha = Hex.string(SHA256.hash(data: data))
        guard let text = String(validating: data, as: UTF8.self) else {
            let gb = (try? TextEncoding.decodeToUTF8([UInt8](data)))?.encoding.rawValue ?? "未知编码"
            throw Invalid(path: path, message: "流程定义文件不是UTF-8编码（看起来是\(gb)）；请用UTF-8重新保存 / not UTF-8 (looks like \(gb)): save it as UTF-8")
        }
        let node: Any?
        let tree: Node?
        do {
            node = try Yams.load(yaml: text)
            tree = try Yams.compose(yaml: text)
        } catch { throw Invalid(path: path, message: "YAML格式错误：\(error)") }
        guard let root = node as? [String: Any] else { throw Invalid(path: path, message: "顶层应为键值映射") }
        var p = PipelineParameters()
        let fail = { (message: String) in Invalid(path: path, message: message) }
        try checkKeys(root, allowed: topKeys, at: "", fail)
        if let v = root["version"], (v as? Int) != 1 { throw fail("version 应为 1") }
        if let v = root["district"] { p.district = try string(v, "district", fail) }
        if let v = root["title"] { p.title = try string(v, "title", fail) }
        if let v = root["issuer"] { p.issuer = try string(v, "issuer", fail) }
        if let v = root["time_zone"] {
            p.timeZone = try string(v, "time_zone", fail)
            guard TimeZone(identifier: p.timeZone) != nil else { throw fail("time_zone “\(p.timeZone)”不是有效的时区") }
        }
        if let v = root["first_day"] {
            let s = v is Date ? isoDay(v as! Date) : "\(v)"
            guard let d = LocalDate(iso: s) else { throw fail("first_day “\(v)”应为 YYYY-MM-DD") }
            p.firstDay = d
        }
        if let v = root["report_deadline"] {
            // YAML 1.1 reads 12:00 unquoted as the sexagesimal 720: the time is read from the text as typed.
            let text = tree?["report_deadline"]?.scalar?.string ?? "\(v)"
            guard let t = TimeOfDay(text: text) else { throw fail("report_deadline “\(text)”应为 HH:MM 或 HH:MM:SS") }
            p.reportDeadline = t
        }
        if let v = root["max_file_mb"] { p.maxFileBytes = try positive(v, "max_file_mb", fail) << 20 }
        if let v = root["outward_edition"] {
            guard let b = v as? Bool else { throw fail("outward_edition 应为 true 或 false，而不是“\(v)”") }
            p.outwardEdition = b
        }
        if let v = root["small_cell_threshold"] { p.smallCellThreshold = try positive(v, "small_cell_threshold", fail) }
        if let v = root["observation_days"] { p.observationDays = try positive(v, "observation_days", fail) }
        if let v = root["roster_stale_days"] { p.rosterStaleDays = try positive(v, "roster_stale_days", fail) }
        if let t = root["thresholds"] {
            guard let t = t as? [String: Any] else { throw fail("thresholds 应为键值映射") }
            try checkKeys(t, allowed: thresholdKeys, at: "thresholds.", fail)
            if let v = t["enrollment_deviation_percent"] {
                p.enrollmentDeviationPercent = try positive(v, "thresholds.enrollment_deviation_percent", fail)
            }
            if let s = t["spike"] {
                guard let s = s as? [String: Any] else { throw fail("thresholds.spike 应为键值映射") }
                try checkKeys(s, allowed: spikeKeys, at: "thresholds.spike.", fail)
                if let v = s["history_days"] { p.spikeHistoryDays = try positive(v, "thresholds.spike.history_days", fail) }
                if let v = s["min_reports"] { p.spikeMinReports = try positive(v, "thresholds.spike.min_reports", fail) }
                if let v = s["min_increase"] { p.spikeMinIncrease = try positive(v, "thresholds.spike.min_increase", fail) }
                if let v = s["robust_z"] {
                    guard let z = (v as? Double) ?? (v as? Int).map(Double.init), z > 0 else {
                        throw fail("thresholds.spike.robust_z 应为正数")
                    }
                    p.spikeRobustZ = z
                }
            }
        }
        if let d = root["duty"] {
            guard let d = d as? [String: Any] else { throw fail("duty 应为键值映射") }
            try checkKeys(d, allowed: ["posts"], at: "duty.", fail)
            guard let list = d["posts"] as? [Any], !list.isEmpty else { throw fail("duty.posts 应为非空列表") }
            p.dutyPosts = try list.enumerated().map { i, item in
                guard let m = item as? [String: Any] else { throw fail("duty.posts[\(i)] 应为 {post: 名称, cadres: 人数}") }
                try checkKeys(m, allowed: ["post", "cadres"], at: "duty.posts[\(i)].", fail)
                return DutyPost(name: try string(m["post"] ?? "", "duty.posts[\(i)].post", fail),
                                cadres: try positive(m["cadres"] ?? 0, "duty.posts[\(i)].cadres", fail))
            }
        }
        if let r = root["rules"] {
            guard let r = r as? [String: Any] else { throw fail("rules 应为键值映射") }
            try checkKeys(r, allowed: ["disabled"], at: "rules.", fail)
            for id in (r["disabled"] as? [Any] ?? []).map({ "\($0)" }) {
                guard let rule = Rule(rawValue: id) else { throw fail("rules.disabled 中的“\(id)”不是已知规则") }
                p.disabledRules.insert(rule)
            }
        }
        if let m = root["imprint"] {
            guard let m = m as? [String: Any] else { throw fail("imprint 应为键值映射") }
            try checkKeys(m, allowed: ["report_to", "send_to", "issue_to", "signed_by", "printed_by"], at: "imprint.", fail)
            func list(_ key: String) throws -> [String] {
                guard let v = m[key] else { return [] }
                guard let items = v as? [Any] else { throw fail("imprint.\(key) 应为列表，如 [区疫情防控指挥部]") }
                return try items.map { try string($0, "imprint.\(key)", fail) }
            }
            p.imprint.reportTo = try list("report_to")
            p.imprint.sendTo = try list("send_to")
            p.imprint.issueTo = try list("issue_to")
            if let v = m["signed_by"] { p.imprint.signedBy = try string(v, "imprint.signed_by", fail) }
            if let v = m["printed_by"] { p.imprint.printedBy = try string(v, "imprint.printed_by", fail) }
        }
        if let o = root["outputs"] {
            guard let list = o as? [Any] else { throw fail("outputs 应为列表") }
            p.outputs = []
            for name in list.map({ "\($0)" }) {
                guard let kind = OutputKind(rawValue: name) else {
                    throw fail("outputs 中的“\(name)”不是已知输出（可选：\(OutputKind.allCases.map(\.rawValue).joined(separator: ", "))）")
                }
                p.outputs.insert(kind)
            }
        }
        return PipelineDefinition(parameters: p, path: path, sha256: sha)
    }

    private static func checkKeys(_ map: [String: Any], allowed: Set<String>, at prefix: String,
                                  _ fail: (String) -> Invalid) throws {
        if let unknown = map.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail("未知的键“\(prefix)\(unknown)”（可用：\(allowed.sorted().joined(separator: ", "))）")
        }
    }

    private static func string(_ v: Any, _ key: String, _ fail: (String) -> Invalid) throws -> String {
        guard let s = v as? String, !s.isEmpty else { throw fail("\(key) 应为非空文本") }
        return s
    }

    private static func positive(_ v: Any, _ key: String, _ fail: (String) -> Invalid) throws -> Int {
        guard let i = v as? Int, i > 0 else { throw fail("\(key) 应为正整数，而不是“\(v)”") }
        return i
    }

    private static func isoDay(_ d: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }
}
