import BulletinCore
import BulletinPipeline
import BulletinReport
import BulletinTestSupport
import Foundation
import Testing

/// The shipped pipeline definition and the parameters' declared defaults say the same, so a copy
/// in one place cannot drift from the other (the duty posts are in both).
struct DefinitionTests {
    @Test func theShippedDefinitionIsTheDeclaredDefaults() throws {
        let shipped = try PipelineDefinition.load("Pipelines/daily.yaml").parameters
        var defaults = PipelineParameters()
        // The 版记 is the bureau's own and has no default.
        defaults.imprint = shipped.imprint
        #expect(shipped == defaults)
        #expect(!shipped.imprint.reportTo.isEmpty)
    }
}

/// What manifest.json records of the parameters is the definition itself: read back as a
/// definition (JSON is YAML), it gives the same parameters, so the recorded keys cannot drift from
/// the declared ones.
struct RecordedParametersTests {
    @Test func theManifestsParametersReadBackAsTheSameDefinition() throws {
        var p = try PipelineDefinition.load("Pipelines/daily.yaml").parameters
        p.spikeRobustZ = 2.5
        p.disabledRules = [.rosterStale, .spike]
        p.outputs = [.summary, .manifest]
        p.imprint.printedBy = "区教体局办公室"
        let recorded = ParametersJSON.value(p).rendered()
        let folder = temporaryFolder("recorded-parameters")
        let copy = folder.appendingPathComponent("recorded.yaml")
        try recorded.write(to: copy, atomically: true, encoding: .utf8)
        #expect(try PipelineDefinition.load(copy.path).parameters == p)
    }
}

/// A definition's unknown keys are found in the text's own tree, listed before decoding (asking Yams'
/// decoder for its keys compiles seven ICU regexes, a third of every start's reading of the definition):
/// each is refused at the path, and with the words, that a decoder listing its own keys refuses it.
struct DefinitionKeysTests {
    @Test func unknownKeysAreRefusedAsADecoderListingItsOwnKeysRefusesThem() throws {
        let broken = [
            #"{"foo": 1, "bar": 2}"#,
            #"{"thresholds": {"spike": {"robust_zz": 3}}}"#,
            #"{"duty": {"posts": [{"post": "a", "cadres": 2}, {"post": "b", "cadres": 1, "x": 1}]}}"#,
            #"{"imprint": {"cc": ["x"]}, "zzz": 1}"#,
            #"{"rules": {"disabled": [], "enabled": []}}"#,
            #"{"version": 1, "thresholds": {"enrollment_deviation_percent": 5, "spik": {}}}"#,
        ]
        let folder = temporaryFolder("definition-keys")
        for (i, text) in broken.enumerated() {
            let reference = try #require(throws: PipelineParameters.Refused.self) {
                try JSONDecoder().decode(PipelineParameters.self, from: Data(text.utf8))
            }
            let file = folder.appendingPathComponent("d\(i).yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let error = try #require(throws: PipelineError.self) { try PipelineDefinition.load(file.path) }
            #expect("\(error)".contains(reference.description), "\(text)")
        }
    }
}
