import BulletinIngest
import BulletinSample
import Foundation

/// A small generated district in a fresh folder: its root, its landing folder and its truth.
public func sampleDistrict(_ name: String, days: Int, seed: UInt64,
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
