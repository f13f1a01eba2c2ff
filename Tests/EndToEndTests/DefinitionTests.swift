import BulletinCore
import BulletinPipeline
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
