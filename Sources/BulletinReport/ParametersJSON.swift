import BulletinCore

/// The values of a pipeline definition, in its own keys, for manifest.json: so two runs can be
/// compared by what they were run with (`bulletin diff`), not only by the definition's hash.
public enum ParametersJSON {
    /// The parameters under the definition's own keys (a test reads them back as a definition).
    public static func value(_ p: PipelineParameters) -> JSONValue {
        .object([
            ("district", .string(p.district)), ("title", .string(p.title)), ("issuer", .string(p.issuer)),
            ("first_day", .string(p.firstDay.description)), ("time_zone", .string(p.timeZone)),
            ("report_deadline", .string(p.reportDeadline.description)),
            ("observation_days", .int(p.observationDays)), ("roster_stale_days", .int(p.rosterStaleDays)),
            ("thresholds", .object([
                ("enrollment_deviation_percent", .int(p.enrollmentDeviationPercent)),
                ("spike", .object([("history_days", .int(p.spikeHistoryDays)), ("min_reports", .int(p.spikeMinReports)),
                                   ("min_increase", .int(p.spikeMinIncrease)), ("robust_z", .double(p.spikeRobustZ))])),
            ])),
            ("duty", .object([("posts", .array(p.dutyPosts.map { .object([("post", .string($0.name)), ("cadres", .int($0.cadres))]) }))])),
            ("rules", .object([("disabled", .array(p.disabledRules.map(\.rawValue).sorted().map { .string($0) }))])),
            ("imprint", .object([
                ("report_to", .array(p.imprint.reportTo.map { .string($0) })), ("send_to", .array(p.imprint.sendTo.map { .string($0) })),
                ("issue_to", .array(p.imprint.issueTo.map { .string($0) })), ("signed_by", .string(p.imprint.signedBy)),
                ("printed_by", .string(p.imprint.printedBy)),
            ])),
            ("outward_edition", .bool(p.outwardEdition)), ("small_cell_threshold", .int(p.smallCellThreshold)),
            ("max_file_mb", .int(p.maxFileBytes >> 20)),
            ("outputs", .array(OutputKind.allCases.filter { p.outputs.contains($0) }.map { .string($0.rawValue) })),
        ])
    }
}
