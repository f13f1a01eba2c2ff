import BulletinCore
import BulletinPipeline
import BulletinReport
import BulletinTestSupport
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
