import ArgumentParser
import BulletinCore
import BulletinIngest
import BulletinPipeline
import BulletinValidate
import Foundation

/// `bulletin check`: what a school runs before sending — which form a file is and every problem in it.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "报送前检查文件：识别表单并列出每个问题（行、列、原因）。")

    @Argument(help: "Files to check (CSV, XML Spreadsheet 2003, .xlsx, .xls).")
    var files: [String]

    func run() throws {
        let parser = FileParser.workers(.ofThisExecutable())
        // check keeps nothing: a key of its own, forgotten when it ends.
        let pseudonyms = Pseudonymizer(key: (0..<32).map { _ in UInt8.random(in: 0...255) })
        var anyRejected = false
        for path in files {
            guard let format = TableFormat(fileName: path) else {
                say("\(path)：不支持的文件类型（应为 .csv、.xml、.xlsx 或 .xls）")
                anyRejected = true
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                say("\(path)：无法打开")
                anyRejected = true
                continue
            }
            let v = parser.parse([UInt8](data), source: path, format: format, year: nil, pseudonyms: pseudonyms).validated
            let forms = v.forms.map(\.chineseName).joined(separator: "、")
            let accepted = v.sheets.reduce(0) { $0 + $1.accepted }
            say("\(path)：\(forms.isEmpty ? "未识别出表单" : forms)，可用\(accepted)行，退回\(v.rejects.count)处")
            for w in v.warnings { say("  提示：\(w)") }
            for r in v.rejects {
                let p = r.position
                let place = [p.row.map { "第\($0)行" }, p.column.map { "“\($0)”列" }].compactMap { $0 }.joined(separator: " ")
                let value = r.value.isEmpty ? "" : "（值：\(r.value)）"
                say("  \(place.isEmpty ? "整个文件" : place)：\(r.message)\(value) [\(r.reason.rawValue)]")
            }
            anyRejected = anyRejected || !v.rejects.isEmpty
        }
        if anyRejected { throw Exit.rejected }
    }
}

/// One line of `check`'s report, scrubbed of personal numbers.
private func say(_ line: String) { print(Masking.scrub(line)) }
