import Foundation

/// Parses an RFC 4180 CSV output (UTF-8 with BOM) into dictionaries.
public func readCSV(_ url: URL) throws -> [[String: String]] {
    var text = try String(contentsOf: url, encoding: .utf8)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    var rows: [[String]] = [[]]
    var cell = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { cell.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
            } else { cell.unicodeScalars.append(c) }
        } else if c == "\"" { quoted = true }
        else if c == "," { rows[rows.count - 1].append(cell); cell = "" }
        else if c == "\r" { continue }
        else if c == "\n" { rows[rows.count - 1].append(cell); cell = ""; rows.append([]) }
        else { cell.unicodeScalars.append(c) }
    }
    rows.removeLast()
    let header = rows.removeFirst()
    return rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}

public func readJSON(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
}

extension [String: Any] {
    /// The value at a dotted path (`reporting.valid`).
    public func at(_ path: String) -> Any? {
        var node: Any? = self
        for key in path.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
        return node
    }
}
