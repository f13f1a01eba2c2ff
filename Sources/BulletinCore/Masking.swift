/// Masking of personal numbers: no full ID number or phone number ever reaches an output.
public enum Masking {
    /// An ID number as first 6 + `********` + last 4 (outputs.md); short values are hidden whole.
    public static func idNumber(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count >= 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + "********" + String(chars.suffix(4))
    }

    /// A name with all but its first character hidden (`王*`, `欧阳**`), for the work list.
    public static func name(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: name.count - 1)
    }

    /// A phone number with everything but its last 4 digits hidden (`*******5678`).
    public static func phone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count > 4 else { return String(repeating: "*", count: chars.count) }
        return String(repeating: "*", count: chars.count - 4) + String(chars.suffix(4))
    }

    /// Hides any run of 11 or more digits (or an 18-character ID ending in X) inside free text,
    /// so a number typed into the wrong column cannot leak through a message or value.
    public static func scrub(_ text: String) -> String {
        var out = ""
        var run: [Character] = []
        func flush() {
            if run.count >= 15 { out += idNumber(String(run)) }
            else if run.count >= 11 { out += phone(String(run)) }
            else { out.append(contentsOf: run) }
            run.removeAll()
        }
        for ch in text {
            if ch.isASCII && ch.isNumber || ((ch == "X" || ch == "x") && run.count == 17) {
                run.append(ch)
            } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }
}
