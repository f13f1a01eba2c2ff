import Foundation

/// The built `bulletin` binary.
public var bulletinBinary: URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bulletin")
    return FileManager.default.fileExists(atPath: beside.path)
        ? beside : URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/.build/debug/bulletin")
}

/// Runs the built `bulletin` binary and returns its exit status and standard output (with `withStderr`,
/// standard error interleaved);
/// `environment` adds variables (a time zone, say) to the test's own.
/// Each output folder gets its own state folder beside it (`<out>.state`), so tests never share a store.
public func runBulletin(_ arguments: [String], environment: [String: String] = [:],
                 withStderr: Bool = false) throws -> (status: Int32, output: String) {
    var environment = environment
    if environment["BULLETIN_STATE_DIR"] == nil, let i = arguments.firstIndex(of: "--out"), i + 1 < arguments.count {
        environment["BULLETIN_STATE_DIR"] = stateFolder(of: URL(fileURLWithPath: arguments[i + 1])).path
    }
    return try runProgram(bulletinBinary, arguments, environment: environment, withStderr: withStderr)
}

/// The state folder the tests give the output folder `out`.
public func stateFolder(of out: URL) -> URL { URL(fileURLWithPath: out.path + ".state") }

/// Runs a program and returns its exit status and standard output; standard error is dropped, or
/// with `withStderr` interleaved into the output.
public func runProgram(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                withStderr: Bool = false) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = withStderr ? out : FileHandle.nullDevice
    // Not `waitUntilExit`: on Linux it polls in 50 ms slices and mostly sleeps out a whole one after the
    // program has ended (50 ms on each of the suite's hundreds of runs).
    let ended = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in ended.signal() }
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    ended.wait()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Runs the built `bulletin` and returns its exit status with standard output and standard error together.
public func runProgramCapturingAll(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
    try runProgram(bulletinBinary, arguments, environment: environment, withStderr: true)
}

/// A fresh temporary folder.
public func temporaryFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulletin-\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
