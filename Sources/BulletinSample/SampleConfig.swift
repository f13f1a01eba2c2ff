import BulletinCore
import BulletinIngest

/// What kind of sample district to generate.
public struct SampleConfig: Sendable {
    /// The same seed gives byte-identical files.
    public var seed: UInt64 = 20_200_208
    /// Day 0 of the sample: the first daily reports and rosters.
    public var firstDay = LocalDate(year: 2020, month: 1, day: 28)!
    /// Number of landing days.
    public var days = 21
    /// Share of a real district's people on the rosters (1.0 ≈ 110,000 people).
    public var peopleScale = 0.05
    /// Number of districts side by side (10 for city scale); institution codes stay distinct.
    public var districts = 1
    /// The formats files are written in, chosen per file.
    public var formats: [TableFormat] = [.csv]
    /// The encodings CSV files are written in, chosen per file: 0 UTF-8, 1 UTF-8 with BOM, 2 GB18030.
    public var csvEncodings = [0, 1, 2]
    /// Every file typed the same plain way (Chinese headers in form order, no title rows, ISO dates,
    /// ASCII digits): the data the DuckDB and pandas peers of the benchmark read.
    public var uniformTyping = false
    /// Plant the known problems (every rule and reject reason); off gives a clean district.
    public var plantProblems = true

    public init() {}
}
