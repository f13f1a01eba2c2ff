import ArgumentParser
import BulletinPipeline
import Foundation

/// `bulletin parse-worker` (hidden): reads files sent by the pipeline's worker pool, so that a
/// reader fault on a hostile file ends this process and costs only that file.
struct ParseWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse-worker", shouldDisplay: false)

    func run() throws {
        let status = ParseWorker.serve()
        if status != 0 { throw ExitCode(status) }
    }
}

extension ParseWorkerPool {
    /// A pool of workers running this very executable.
    static func ofThisExecutable() -> ParseWorkerPool {
        ParseWorkerPool(executable: ThisExecutable.launchable, arguments: ["parse-worker"], mayFork: true)
    }
}
