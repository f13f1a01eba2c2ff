import BulletinCore
import BulletinIngest
import BulletinSample
import Foundation

/// The built `bulletin` binary.
var bulletinBinary: URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bulletin")
    return FileManager.default.fileExists(atPath: beside.path)
        ? beside : URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/.build/debug/bulletin")
}

/// Runs the built `bulletin` binary and returns its exit status and standard output (with `withStderr`,
/// standard error interleaved);
/// `environment` adds variables (a time zone, say) to the test's own.
/// Each output folder gets its own state folder beside it (`<out>.state`), so tests never share a store.
func runBulletin(_ arguments: [String], environment: [String: String] = [:],
                 withStderr: Bool = false) throws -> (status: Int32, output: String) {
    var environment = environment
    if environment["BULLETIN_STATE_DIR"] == nil, let i = arguments.firstIndex(of: "--out"), i + 1 < arguments.count {
        environment["BULLETIN_STATE_DIR"] = stateFolder(of: URL(fileURLWithPath: arguments[i + 1])).path
    }
    return try runProgram(bulletinBinary, arguments, environment: environment, withStderr: withStderr)
}

/// The state folder the tests give the output folder `out`.
func stateFolder(of out: URL) -> URL { URL(fileURLWithPath: out.path + ".state") }

/// Runs a program and returns its exit status and standard output; standard error is dropped, or
/// with `withStderr` interleaved into the output.
func runProgram(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                withStderr: Bool = false) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = withStderr ? out : FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Runs the built `bulletin` and returns its exit status with standard output and standard error together.
func runProgramCapturingAll(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
    try runProgram(bulletinBinary, arguments, environment: environment, withStderr: true)
}

/// A fresh temporary folder.
func temporaryFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulletin-\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Parses an RFC 4180 CSV output (UTF-8 with BOM) into dictionaries.
func readCSV(_ url: URL) throws -> [[String: String]] {
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

func readJSON(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
}

extension [String: Any] {
    /// The value at a dotted path (`reporting.valid`).
    func at(_ path: String) -> Any? {
        var node: Any? = self
        for key in path.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
        return node
    }
}

/// A small generated district in a fresh folder: its root, its landing folder and its truth.
func sampleDistrict(_ name: String, days: Int, seed: UInt64,
                    formats: [TableFormat] = [.csv]) throws -> (root: URL, landing: URL, truth: Truth) {
    var config = SampleConfig()
    config.days = days
    config.peopleScale = 0.02
    config.seed = seed
    config.formats = formats
    let root = temporaryFolder(name)
    let landing = root.appendingPathComponent("landing")
    return (root, landing, try SampleGenerator(config: config).generate(into: landing))
}
