import ArgumentParser
import BulletinCore
import BulletinIngest
import BulletinSample
import Foundation

/// `bulletin-sample`: writes a realistic sample district (landing folder + truth.json).
@main
struct BulletinSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin-sample",
        abstract: "Generate a sample district's landing folder, with planted problems and their truth (truth.json beside it).")

    @Option(help: "Landing folder to (re)create.")
    var out: String

    @Option(help: "Random seed; the same seed gives the same files.")
    var seed: UInt64 = 20_200_208

    @Option(help: "Number of landing days.")
    var days = 21

    @Option(help: "Share of a real district's people on the rosters (1.0 ≈ 110,000 people).")
    var peopleScale = 0.05

    @Option(help: "Districts side by side (10 for city scale).")
    var districts = 1

    @Option(help: "Comma-separated formats to write files in: csv, xml, xlsx, xls.")
    var formats = "csv"

    @Flag(help: "Generate a clean district, with no planted problems.")
    var clean = false

    @Flag(help: "Type every file the same plain way (Chinese headers, ISO dates, UTF-8): the benchmark peers' data.")
    var plain = false

    func run() throws {
        var config = SampleConfig()
        config.seed = seed
        config.days = days
        config.peopleScale = peopleScale
        config.districts = districts
        config.plantProblems = !clean
        config.uniformTyping = plain
        config.formats = try formats.split(separator: ",").map {
            guard let f = TableFormat(rawValue: String($0)) else { throw ValidationError("unknown format \($0)") }
            return f
        }
        let truth = try SampleGenerator(config: config).generate(into: URL(fileURLWithPath: out))
        print("wrote \(out) (\(days) days, last day \(truth.lastDay)) and truth.json beside it")
    }
}
