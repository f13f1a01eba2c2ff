import BulletinAggregate
import BulletinCore
import BulletinTestSupport
import Testing

struct RuleCatalogTests {
    /// A rule declared in `Rule` but raised by no family (or by two) would silently never fire (or fire twice).
    @Test func everyDeclaredRuleIsRaisedByExactlyOneFamily() {
        let raised = RuleCatalog.raised
        #expect(Set(raised).count == raised.count, "a rule listed by two families")
        #expect(Set(raised) == Set(Rule.allCases), "rules no family raises: \(Set(Rule.allCases).subtracting(raised))")
    }

    /// The day's inputs hold as many days of reports as the rule reading the most needs (the spike's history).
    @Test func theReportWindowIsWhatTheRulesDeclare() {
        var p = PipelineParameters()
        p.spikeHistoryDays = 21
        #expect(RuleCatalog.reportHistoryDays(p) == 21)
    }
}
