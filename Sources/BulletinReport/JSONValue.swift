import BulletinCore

/// A JSON document with keys kept in the order they were given, written byte-for-byte
/// the same every time (no dictionary ordering, no locale, no clock).
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    /// Text, scrubbed of personal numbers when written (`Masking.scrub`).
    case string(String)
    /// A machine field written as it is (a SHA-256 digest, whose hex may hold long runs of digits).
    case digest(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// Pretty-printed with two-space indents and a final newline.
    public func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out.append("\n")
        return out
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent + 2)
        let closePad = String(repeating: " ", count: indent)
        switch self {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += pad
                JSONValue.string(key).write(into: &out, indent: indent + 2)
                out += ": "
                value.write(into: &out, indent: indent + 2)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 2)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case .string(let s):
            JSONValue.writeString(Masking.scrub(s), into: &out)
        case .digest(let s):
            JSONValue.writeString(s, into: &out)
        case .int(let v): out += String(v)
        case .double(let v):
            // Shortest round-trip form; whole numbers keep a ".0" so readers see a float.
            out += v == v.rounded() && abs(v) < 1e15 ? "\(Int(v)).0" : "\(v)"
        case .bool(let v): out += v ? "true" : "false"
        case .null: out += "null"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
            out += "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
    }
}
