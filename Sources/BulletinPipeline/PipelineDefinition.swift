import BulletinCore
import BulletinIngest
import BulletinValidate
import Foundation
import Yams

/// A pipeline definition (`Pipelines/*.yaml`): the parameters a user edits, checked on load.
public struct PipelineDefinition: Sendable {
    public var parameters: PipelineParameters
    /// The file it was read from, as given.
    public var path: String
    /// SHA-256 of the file's bytes, recorded in every manifest.
    public var sha256: String

    /// Loads and checks `path`.
    public static func load(_ path: String) throws -> PipelineDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError.invalidDefinition(path: path, message: "无法读取流程定义文件")
        }
        let sha = SHA256.hex([UInt8](data))
        guard let text = String(validating: data, as: UTF8.self) else {
            let gb = (try? TextEncoding.decodeToUTF8([UInt8](data)))?.encoding.rawValue ?? "未知编码"
            throw PipelineError.invalidDefinition(path: path, message: "流程定义文件不是UTF-8编码（看起来是\(gb)）；请用UTF-8重新保存 / not UTF-8 (looks like \(gb)): save it as UTF-8")
        }
        let p: PipelineParameters
        do {
            // Yams' own `decode(_:from: String)` resolves tags with a rule that compiles an ICU regex; the
            // definition's values are read by the type asked for, so no rule is needed.
            let root = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .default).singleRoot()
                ?? Node("", Tag(.implicit, .basic, .default))
            p = try YAMLDecoder().decode(PipelineParameters.self, from: root,
                                         userInfo: mappingKeys(of: root).map { [PipelineParameters.mappingKeys: $0] } ?? [:])
        } catch {
            throw PipelineError.invalidDefinition(path: path, message: describe(error))
        }
        return PipelineDefinition(parameters: p, path: path, sha256: sha)
    }

    /// The keys of every mapping in `node`, by dotted path as `PipelineParameters.dotted` writes a coding
    /// path, as Yams' keyed container lists them (scalar keys; its own `yamlAnchor` and `yamlTag` left
    /// out); nil when a key is tagged `!!merge` (Yams merges those mappings: it is left to list them).
    static func mappingKeys(of node: Node) -> [String: [String]]? {
        var keys: [String: [String]] = [:]
        func walk(_ node: Node, _ path: String) -> Bool {
            switch node {
            case .mapping(let mapping):
                var names: [String] = []
                for (key, value) in mapping {
                    if key.tag.description == Tag.Name.merge.rawValue { return false }
                    guard let name = key.string else { continue }
                    if name != "yamlAnchor" && name != "yamlTag" { names.append(name) }
                    guard walk(value, path.isEmpty ? name : path + "." + name) else { return false }
                }
                keys[path] = names
            case .sequence(let items):
                for (i, item) in items.enumerated() where !walk(item, path + "[\(i)]") { return false }
            default:
                break
            }
            return true
        }
        return walk(node, "") ? keys : nil
    }

    /// Why the definition was refused: a value the parameters refuse or of the wrong kind, at its
    /// dotted path, or YAML that does not parse (Yams wraps what decoding threw as `underlyingError`).
    private static func describe(_ error: any Error) -> String {
        switch error {
        case let refused as PipelineParameters.Refused:
            return refused.description
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = PipelineParameters.dotted(context.codingPath)
            return path.isEmpty ? "顶层应为键值映射 / the top level must be a mapping"
                : "\(path) 的值类型不对 / wrong kind of value: \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            if let underlying = context.underlyingError { return describe(underlying) }
            return "YAML格式错误 / not valid YAML: \(context.debugDescription)"
        default:
            return "YAML格式错误 / not valid YAML: \(error)"
        }
    }
}
