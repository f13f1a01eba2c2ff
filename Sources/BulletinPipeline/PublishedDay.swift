import BulletinIngest
import Foundation

/// A date's published outputs read back, for `bulletin export` and `bulletin diff`.
public struct PublishedDay: Sendable {
    public let folder: URL
    /// summary.json flattened to dotted keys (`reporting.by_street.匡山街道.valid`), values as text.
    public let summary: [String: String]
    /// summary.json's numeric values alone, for the long table of an export.
    public let numbers: [String: Double]

    /// Reads `<folder>/summary.json`.
    public init(folder: URL) throws {
        self.folder = folder
        let url = folder.appendingPathComponent("summary.json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONSerialization.jsonObject(with: data) else {
            throw PipelineError.notPublished(detail: "\(url.path) 不存在或无法读取 / no readable summary.json")
        }
        var summary: [String: String] = [:], numbers: [String: Double] = [:]
        PublishedDay.flatten(object, prefix: "", into: &summary, numbers: &numbers)
        self.summary = summary
        self.numbers = numbers
    }

    private static func flatten(_ node: Any, prefix: String, into out: inout [String: String], numbers: inout [String: Double]) {
        if let object = node as? [String: Any] {
            for (key, value) in object { flatten(value, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &out, numbers: &numbers) }
        } else if let number = node as? NSNumber, !(node is Bool) {
            out[prefix] = number.stringValue
            numbers[prefix] = number.doubleValue
        } else if let flag = node as? Bool {
            out[prefix] = flag ? "true" : "false"
        } else if let text = node as? String {
            out[prefix] = text
        } else if let list = node as? [Any] {
            for (i, value) in list.enumerated() { flatten(value, prefix: "\(prefix)[\(i)]", into: &out, numbers: &numbers) }
        } else {
            out[prefix] = "null"
        }
    }

    /// The rows of one of the date's CSV outputs (`anomalies.csv`, `reports.csv`): its header and records.
    public func table(_ name: String) throws -> (header: [String], rows: [[String]]) {
        let url = folder.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PipelineError.notPublished(detail: "\(url.path) 不存在 / missing")
        }
        let sheet: Sheet
        do { sheet = try CSVReader.read(utf8: try TextEncoding.decodeToUTF8([UInt8](data)).utf8) } catch {
            throw PipelineError.notPublished(detail: "\(url.path) 无法读取 / unreadable: \(error)")
        }
        return sheet.withRows { rows in
            let all = (0..<rows.count).map { r in (0..<rows[r].count).map { rows[r].text($0) } }
            return (all.first ?? [], Array(all.dropFirst()).filter { !$0.allSatisfy(\.isEmpty) })
        }
    }

    /// The pipeline parameters the day was published with (manifest.json), flattened.
    public func parameters() -> [String: String] {
        let url = folder.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let pipeline = manifest["pipeline"] as? [String: Any] else { return [:] }
        var out: [String: String] = [:], ignored: [String: Double] = [:]
        PublishedDay.flatten(pipeline["parameters"] ?? [:], prefix: "", into: &out, numbers: &ignored)
        if let sha = pipeline["sha256"] as? String { out["pipeline_sha256"] = sha }
        return out
    }
}
