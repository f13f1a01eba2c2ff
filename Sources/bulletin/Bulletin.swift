import ArgumentParser
import BulletinPipeline
import Foundation

/// The process's entry: a parse worker (started twice a night or more, and again after any reader
/// fault) goes straight to its loop; every other command line goes to `Bulletin`'s parser (whose
/// reflection over the command tree was a third of a worker's start: 58.6 → 37.8 M instructions).
@main
enum Entry {
    static func main() {
        AllocatorTuning.forOneBatch()
        if Array(CommandLine.arguments.dropFirst()) == [ParseWorkerCommand.configuration.commandName] {
            exit(ParseWorker.serve())
        }
        Bulletin.main()
    }
}

/// The `bulletin` command: one subcommand per file, each a thin layer over BulletinPipeline.
///
/// Every command names itself (`commandName`): without it ArgumentParser derives the name from the type's
/// by `String(describing:)`, whose conformance lookups were a tenth of every start.
struct Bulletin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin",
        abstract: "区教体局疫情防控日报流水线：接收、校验、汇总、发布。",
        discussion: """
        Exit codes: 0 outputs published (rejected rows and anomalies are data, not failures); \
        1 `check` found rows or files that would be rejected (or error/critical rules), `diff` found differences; 64 bad command line; 65 bad pipeline definition; \
        66 landing folder, usable registry or the day's files missing; 69 no CJK font, or no cairo and pango, for the PDF; \
        73 outputs could not be written; 75 another run holds the lock.
        """,
        version: "0.1.0",
        subcommands: [Run.self, Rerun.self, Nightly.self, Check.self, Template.self, Forms.self, Export.self, Diff.self,
                      ParseWorkerCommand.self]
    )
}

/// Exit codes documented in the README.
enum Exit {
    static let rejected = ExitCode(1)
    static let badDefinition = ExitCode(65)
    static let noInput = ExitCode(66)
    static let cannotWrite = ExitCode(73)
    static let locked = ExitCode(75)
    /// A system facility the outputs need is missing (a CJK font for the PDF).
    static let unavailable = ExitCode(69)
}
