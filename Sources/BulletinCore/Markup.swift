/// Escaping for text placed in XML or HTML.
public enum Markup {
    /// `&`, `<`, `>` and `"` as entities, on the UTF-8 bytes: text without them (most) is returned
    /// as it is. Every such byte is escaped, one followed by a combining mark too (taken a Character
    /// at a time, `&` with an accent was not `"&"` and went out bare, which is not XML).
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
