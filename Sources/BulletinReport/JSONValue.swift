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
    public func rendered() -> String { String(decoding: renderedBytes(), as: UTF8.self) }

    /// `rendered()` as UTF-8, written on bytes (a manifest lists thousands of inputs).
    public func renderedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out, indent: 0)
        out.append(0x0A)
        return out
    }

    /// Writes the value as it stands at `indent` (its members one level in).
    func write(into out: inout [UInt8], indent: Int) {
        func pad(_ n: Int) { for _ in 0..<n { out.append(0x20) } }
        switch self {
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(contentsOf: "{\n".utf8)
            for (i, (key, value)) in members.enumerated() {
                pad(indent + 2)
                JSONValue.writeString(key, scrubbed: true, into: &out)
                out.append(contentsOf: ": ".utf8)
                value.write(into: &out, indent: indent + 2)
                if i < members.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            pad(indent)
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(contentsOf: "[\n".utf8)
            for (i, item) in items.enumerated() {
                pad(indent + 2)
                item.write(into: &out, indent: indent + 2)
                if i < items.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            pad(indent)
            out.append(UInt8(ascii: "]"))
        case .string(let s):
            JSONValue.writeString(s, scrubbed: true, into: &out)
        case .digest(let s):
            JSONValue.writeString(s, scrubbed: false, into: &out)
        case .int(let v): JSONValue.writeInt(v, into: &out)
        case .double(let v):
            // Shortest round-trip form; whole numbers keep a ".0" so readers see a float.
            out.append(contentsOf: (v == v.rounded() && abs(v) < 1e15 ? "\(Int(v)).0" : "\(v)").utf8)
        case .bool(let v): out.append(contentsOf: (v ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    /// An integer's decimal digits, written without making a String.
    static func writeInt(_ v: Int, into out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = v.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 0
            repeat {
                digits[n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0
            while n > 0 { n -= 1; out.append(digits[n]) }
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8; text
    /// fields scrubbed of personal numbers first (keys too: a sheet may be named by one).
    static func writeString(_ s: String, scrubbed: Bool, into out: inout [UInt8]) {
        out.append(0x22)
        var text = scrubbed ? Masking.scrub(s) : s
        text.withUTF8 { utf8 in
            // Most strings need no escape: copied in one go.
            if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                out.append(contentsOf: utf8)
                return
            }
            for b in utf8 { escape(b, into: &out) }
        }
        out.append(0x22)
    }

    /// One byte of a string that needs escaping somewhere, escaped if it must be.
    private static func escape(_ b: UInt8, into out: inout [UInt8]) {
        switch b {
        case 0x22: out += [0x5C, 0x22]
        case 0x5C: out += [0x5C, 0x5C]
        case 0x0A: out += [0x5C, UInt8(ascii: "n")]
        case 0x0D: out += [0x5C, UInt8(ascii: "r")]
        case 0x09: out += [0x5C, UInt8(ascii: "t")]
        case 0..<0x20:
            let hex = String(b, radix: 16).utf8
            out.append(contentsOf: "\\u".utf8)
            for _ in hex.count..<4 { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: hex)
        default: out.append(b)
        }
    }
}
