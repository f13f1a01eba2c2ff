import BulletinAggregate
import BulletinCore
import BulletinReport
import BulletinValidate
import Foundation

/// Runs the pipeline for one date or a range of dates over a landing folder.
public struct Pipeline: Sendable {
    public static let toolVersion = "0.1.0"

    public let landing: Landing
    public let definition: PipelineDefinition
    /// When true, a date also sees landing days after it (reports that arrived late).
    public let finalView: Bool
    /// How files are read: parser (here or in workers), cache and size limit.
    public let reading: IngestedFile.Reading
    /// When true, what a run read (every file's records, the period's index, the landing's listing) and
    /// its store are left for the process's exit to take back rather than freed record by record and
    /// closed connection by connection: for a command that ends when the run does. Freeing was a tenth
    /// of a warm night's time, on one core, after the outputs were written; closing the store 11 ms more
    /// (each connection unmapping its map of the store, the last one checkpointing the WAL). SQLite keeps
    /// every committed write in the WAL, which the next run opens as it is.
    public var leavesInputsToExit = false

    public init(landing: Landing, definition: PipelineDefinition, finalView: Bool = false, cache: IngestCache? = nil,
                parser: FileParser = .inProcess, pseudonyms: Pseudonymizer, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.landing = landing
        self.definition = definition
        self.finalView = finalView
        var reading = IngestedFile.Reading(parser: parser, cache: cache, maxFileBytes: definition.parameters.maxFileBytes,
                                           pseudonyms: pseudonyms)
        reading.warn = warn
        self.reading = reading
    }

    /// What one date's run produced, for the log and the caller.
    public struct DayOutcome: Sendable {
        public var date: LocalDate
        public var summary: Summary
        public var files: Int
        public var rejects: Int
        public var anomalies: Int
        public var seconds: Double
        /// Earlier dates whose daily reports arrived on this landing day, with how many institutions:
        /// their as-of publications do not count them (empty in the final view, which does).
        public var lateArrivals: [LocalDate: Int] = [:]
    }

    /// Runs every date of `dates`, ingesting each landing file once, and publishes into `out`.
    /// Dates are aggregated and published on all cores; `log` and `progress` may be called from any thread.
    /// `beforePublishing` is called once the landing is read, before any date is aggregated: what it
    /// throws ends the run with nothing published.
    public func run(dates: [LocalDate], out: URL, beforePublishing: () throws -> Void = {},
                    log: @escaping @Sendable (String) -> Void = { _ in },
                    progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> [DayOutcome] {
        guard let last = dates.max() else { return [] }
        let started = Date()
        OutputWriter.cleanLeftovers(in: finalView ? out.appendingPathComponent("final") : out)
        let visibleDays = landing.days.keys.filter { finalView || $0 <= last }.sorted()
        let dayList = visibleDays.flatMap { landing.days[$0]! }
        let registryList = landing.registries.keys.filter { $0 <= last }.sorted().flatMap { landing.registries[$0]! }
        AllocatorTuning.adviseHugePages()   // and again below, where the heaps have grown
        let daySurvey = IngestedFile.survey(dayList, root: landing.root, cache: reading.cache)
        let registrySurvey = IngestedFile.survey(registryList, root: landing.root, cache: reading.cache)
        // Earlier days' figures the store kept (as-of view): their daily reports need not be decoded.
        let periodDays = Set(dates.flatMap(periodDays(before:)))
        let remembered = rememberedPeriods(periodDays, dayFiles: .init(list: dayList, stamps: daySurvey.stamps, known: daySurvey.known),
                                           registryFiles: .init(list: registryList, stamps: registrySurvey.stamps, known: registrySurvey.known))
        // A season's records stay in the store: the dates' own, and those of the days not remembered, are decoded.
        var dayReading = reading
        dayReading.keeping = DayAssembler.storedRecordDates(for: dates, periodDays: periodDays.subtracting(remembered.keys),
                                                            parameters: definition.parameters)
        dayReading.wholeFilesLandedOn = Set(dates)
        // Without a store, roster files whose every row a newer snapshot replaced by the run's first date
        // (and so by every date of it) are never typed.
        var ingested = reading.cache == nil
            ? try ingestNewestFirst(dayList, survey: daySurvey, reading: dayReading, first: dates.min() ?? last)
            : try IngestedFile.ingestAll(dayList, root: landing.root, reading: dayReading, survey: daySurvey)
        AllocatorTuning.adviseHugePages()
        // Cached roster rows are decoded only for snapshots some date of the run may hold in force.
        let needed = Set(dates.flatMap { date in
            DayAssembler.newestSnapshots(on: date, dayFiles: ingested[...]).map { RosterSnapshot(code: $0.key, asOf: $0.value) }
        })
        // The store's are decoded as its two reads fetch them: a warm night's roster rows in force are most
        // of what it reads from the store. The files are indexed by key alone (filtering the files first
        // copied each roster file's whole record); the same bytes may land under two names.
        var inStore: [String: [Int]] = [:]
        for i in ingested.indices where ingested[i].rosterInStore && ingested[i].holdsEncodedRoster(of: needed) {
            inStore[ingested[i].cacheKey, default: []].append(i)
        }
        ingested.withUnsafeMutableBufferPointer { files in
            nonisolated(unsafe) let files = files   // each key's files are touched by its own call only
            let byKey = inStore
            reading.cache?.forEachRoster(keys: Array(byKey.keys)) { key, blob in
                for i in byKey[key] ?? [] { files[i].decodeStoredRoster(blob) }
            }
            // Then the workers' rows, on all cores, and any file whose stored rows could not be had.
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                files[i].decodeRoster(ifAny: needed, root: landing.root, reading: reading)
            }
        }
        let dayFiles = ingested
        // Every registry revision up to the last date: an unusable one hands over to the one before it.
        let registryFiles = try IngestedFile.ingestAll(registryList, root: landing.root, reading: reading, survey: registrySurvey)
        // Every file is read: the workers end meanwhile (one more starts should a date need a file after all).
        reading.parser.letWorkersGo()
        let parsed = dayFiles.count { $0.parsed } + registryFiles.count { $0.parsed }
        let unread = dayFiles.count { $0.unread } + registryFiles.count { $0.unread }
        let untyped = dayFiles.count { $0.validated.untypedRosterKeys != nil }
        let workers = reading.parser.workerCounts
        log("stage=ingest files=\(dayFiles.count + registryFiles.count) parsed=\(parsed) "
            + "cached=\(dayFiles.count + registryFiles.count - parsed) unread=\(unread) remembered=\(remembered.count) "
            + "untyped=\(untyped) workers_forked=\(workers.forked) workers_started=\(workers.started) seconds=\(elapsed(started))")

        try beforePublishing()
        AllocatorTuning.adviseHugePages()
        let ordered = dates.sorted()
        // The other core is idle while a date aggregates: the PDF's fonts are loaded there meanwhile.
        let warming = definition.parameters.outputs.contains(.bulletinPDF)
            ? BulletinPDF.warmUp(on: last, parameters: definition.parameters) : nil
        let results = UnsafeMutableBufferPointer<Result<DayOutcome, Error>?>.allocate(capacity: ordered.count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        nonisolated(unsafe) let slots = results
        let done = Counter()
        let memo = SummaryMemo(dayFiles: dayFiles, remembered: remembered)
        // The dates of a rerun list the same files: each file's manifest entry is written once.
        let entries = ordered.count > 1 ? Manifest.Entries() : nil
        if leavesInputsToExit { ProcessExit.keep((dayFiles, registryFiles, memo, landing, reading.cache as Any)) }
        DispatchQueue.concurrentPerform(iterations: ordered.count) { i in
            slots[i] = Result {
                try publish(ordered[i], registryFiles: registryFiles, dayFiles: dayFiles, out: out, memo: memo, entries: entries, log: log)
            }
            progress(done.increment(), ordered.count)
        }
        _ = warming?.value   // drawn by now unless every date failed before its PDF
        keep(memo, of: periodDays.subtracting(remembered.keys),
             dayFiles: .init(list: dayList, stamps: daySurvey.stamps, known: IngestedFile.knownDigests(dayFiles)),
             registryFiles: .init(list: registryList, stamps: registrySurvey.stamps, known: IngestedFile.knownDigests(registryFiles)),
             log: log)
        var published: [DayOutcome] = [], failures: [(LocalDate, Error)] = []
        for (date, result) in zip(ordered, results) {
            switch result! {
            case .success(let outcome): published.append(outcome)
            case .failure(let error): failures.append((date, error))
            }
        }
        if !failures.isEmpty { throw PipelineError.partial(published: published, failures: failures) }
        return published
    }

    /// Ingests `list` without a store: the files landed on or after `first` (the run's first date), then
    /// the earlier landing days, newest first, each knowing every institution's newest usable roster
    /// snapshot found so far on or before `first` (in files `first` sees): a roster file whose every row
    /// is older is read for its snapshots alone, untyped (`ParseRequest.supersededBy`). It is superseded
    /// on `first`, and so on every later date (snapshots only get newer), as the manifest judges it.
    /// Once some snapshots are known (the newest roster landing, mostly), the days before are read
    /// together: a day at a time, the cores waited for each day's last file.
    private func ingestNewestFirst(_ list: [Landing.File], survey: IngestedFile.Survey, reading: IngestedFile.Reading,
                                   first: LocalDate) throws -> [IngestedFile] {
        var results = [IngestedFile?](repeating: nil, count: list.count)
        var newest: [String: LocalDate] = [:]
        let byDay = Dictionary(grouping: list.indices) { min(list[$0].day, first) }
        var days = byDay.keys.sorted(by: >)[...]
        while let day = days.first {
            let group = newest.isEmpty ? [day] : Array(days)
            days = days.dropFirst(group.count)
            let indices = group.flatMap { byDay[$0]! }
            var groupReading = reading
            if day < first { groupReading.supersededBy = newest }
            let read = try IngestedFile.ingestAll(indices.map { list[$0] }, root: landing.root, reading: groupReading,
                                                  survey: survey.subset(indices))
            for (i, file) in zip(indices, read) {
                results[i] = file
                guard finalView || file.file.day <= first else { continue }
                for s in file.validated.rosterSnapshots where s.asOf <= first && newest[s.code].map({ s.asOf > $0 }) ?? true {
                    newest[s.code] = s.asOf
                }
            }
        }
        return results.map { $0! }
    }

    /// The landing days whose figures the period charts of `date` show: from first_day to the day before.
    private func periodDays(before date: LocalDate) -> [LocalDate] {
        landing.days.keys.filter { $0 >= definition.parameters.firstDay && $0 < date }
    }

    /// The figures of `days` the store kept from earlier runs (as-of view only: the final view's days see
    /// files landed after them).
    private func rememberedPeriods(_ days: Set<LocalDate>, dayFiles: PeriodMemo.Files,
                                   registryFiles: PeriodMemo.Files) -> [LocalDate: Summary] {
        guard !finalView, let cache = reading.cache else { return [:] }
        let keys = PeriodMemo.keys(for: days, dayFiles: dayFiles, registryFiles: registryFiles, definition: definition,
                                   pseudonyms: reading.pseudonyms)
        let kept = cache.periods(Array(keys.values))
        return keys.compactMapValues { kept[$0] }.reduce(into: [:]) { out, e in
            if let s = PeriodMemo.decoded(e.value, date: e.key) { out[e.key] = s }
        }
    }

    /// Keeps in the store the figures of `days` this run computed, for the nights after (as-of view only).
    private func keep(_ memo: SummaryMemo, of days: Set<LocalDate>, dayFiles: PeriodMemo.Files, registryFiles: PeriodMemo.Files,
                      log: (String) -> Void) {
        guard !finalView, let cache = reading.cache else { return }
        let keys = PeriodMemo.keys(for: days, dayFiles: dayFiles, registryFiles: registryFiles, definition: definition,
                                   pseudonyms: reading.pseudonyms)
        let figures = keys.compactMap { day, key in memo.computed(day).map { (key, PeriodMemo.encoded($0)) } }
        do { try cache.storePeriods(figures) } catch {
            log("warning=缓存写入失败（\(error)），本次结果照常发布 / cache write failed: outputs unaffected")
        }
    }

    /// Aggregates, renders and publishes one date.
    private func publish(_ date: LocalDate, registryFiles: [IngestedFile], dayFiles: [IngestedFile], out: URL,
                         memo: SummaryMemo, entries: Manifest.Entries?, log: (String) -> Void) throws -> DayOutcome {
        let dayStart = Date()
        // The date's aggregation beside the period from first_day to it, as each day's own run saw it
        // (reporting and counts only): every date on which files arrived, computed once per run whatever
        // the number of dates published.
        let ((result, regFiles, seen), period) = try Concurrently.both({
            try aggregate(date: date, registryFiles: registryFiles, dayFiles: dayFiles)
        }, {
            (0..<max(0, date.days(since: definition.parameters.firstDay))).compactMap { offset -> Summary? in
                let day = definition.parameters.firstDay.adding(days: offset)
                guard landing.days[day] != nil else { return nil }
                return memo.value(for: day) { reportingAndCounts(date: day, registryFiles: registryFiles, memo: memo) }
            }
        })
        let trend = period + [result.summary]
        let previous = trend.dropLast().last.flatMap { $0.date == date.adding(days: -1) ? $0 : nil }
        let asOfIssue = finalView ? reportingAndCounts(date: date, registryFiles: registryFiles, memo: memo, asOf: true) : nil
        let p = definition.parameters
        // Roster files whose every row a newer snapshot replaced give the date nothing: counted as superseded.
        let newest = DayAssembler.newestSnapshots(on: date, dayFiles: seen)
        // The registry's files, then the days': each file read in place (copying a file copies its records).
        var inputs: [Manifest.Input] = []
        inputs.reserveCapacity(regFiles.count + seen.count)
        for files in [regFiles[...], seen] {
            files.forEachInPlace { inputs.append($0.pointee.manifestInput(superseded: $0.pointee.validated.isSuperseded(byNewest: newest))) }
        }
        let rows = Manifest.totals(inputs)
        let sources = BulletinBuilder.Sources(files: inputs.count, rowsAccepted: rows.accepted, rowsRejected: rows.rejected,
                                              pipelineSHA256: definition.sha256, revised: finalView, asOfIssue: asOfIssue)
        let manifest = Manifest(date: date, toolVersion: Pipeline.toolVersion, pipelineFile: (definition.path as NSString).lastPathComponent,
                                pipelineSHA256: definition.sha256, parameters: p, view: finalView ? "final" : "as_of",
                                registrySource: regFiles.first?.file.relativePath, inputs: inputs, landingNotes: landing.notes,
                                entries: entries)
        // The final view never replaces what was published as of the date: it goes beside it.
        let staging = try OutputWriter.Staging(into: finalView ? out.appendingPathComponent("final") : out, date: date.description)
        do {
            try DayArtifacts.render(result, .init(previous: previous, trend: trend, sources: sources, manifest: manifest),
                                    parameters: p, deliver: staging.write)
            try staging.publish()
        } catch {
            staging.abandon()
            throw error
        }
        let outcome = DayOutcome(date: date, summary: result.summary, files: inputs.count, rejects: result.rejects.count,
                                 anomalies: result.anomalies.count, seconds: elapsed(dayStart),
                                 lateArrivals: finalView ? [:] : DayAssembler.lateArrivals(on: date, dayFiles: dayFiles)
                                    .filter { $0.key >= definition.parameters.firstDay }.mapValues(\.count))
        log("stage=publish date=\(date) files=\(outcome.files) expected=\(result.summary.reporting.expected) "
            + "valid=\(result.summary.reporting.valid) anomalies=\(outcome.anomalies) rejects=\(outcome.rejects) "
            + "seconds=\(outcome.seconds)")
        return outcome
    }

    /// Aggregates `date` from already-ingested files: the registry in force and the day files this view sees.
    public func aggregate(date: LocalDate, registryFiles: [IngestedFile], dayFiles: [IngestedFile]) throws
        -> (result: DayResult, registryFiles: [IngestedFile], dayFiles: ArraySlice<IngestedFile>) {
        var why = ""
        guard let chosen = RegistryInForce.choose(on: date, landing: landing, ingested: registryFiles, reading: reading, why: &why)
        else { throw PipelineError.noRegistry(date: date, why: why) }
        let seen = finalView ? dayFiles[...] : Self.landed(by: date, dayFiles)
        var inputs = DayAssembler.inputs(date: date, registry: chosen.institutions, registryDate: chosen.date,
                                         registryRejects: chosen.rejects, dayFiles: seen, parameters: definition.parameters)
        inputs.assemblyAnomalies = chosen.passedOver
        inputs.rejects += chosen.passedOverRejects
        return (DayAggregator.aggregate(inputs, parameters: definition.parameters), chosen.files, seen)
    }

    /// The files of `files` landed on or before `date`. A run's files are in the order of their landing
    /// days, so those are a prefix, shared with the array (a rerun's earlier dates copied every file they
    /// saw, each retaining every reference it holds: 3 % of a date's publication); else they are copied.
    static func landed(by date: LocalDate, _ files: [IngestedFile]) -> ArraySlice<IngestedFile> {
        let (end, isPrefix) = files.withUnsafeBufferPointer { f -> (Int, Bool) in
            var end = 0
            while end < f.count, f[end].file.day <= date { end += 1 }
            var rest = end
            while rest < f.count, f[rest].file.day > date { rest += 1 }
            return (end, rest == f.count)
        }
        return isPrefix ? files[..<end] : ArraySlice(files.filter { $0.file.day <= date })
    }

    /// Reporting and counts of `date` as this view sees them (the as-of view: as its own run saw them,
    /// whatever the pipeline's view when `asOf`); nil before the first registry.
    private func reportingAndCounts(date: LocalDate, registryFiles: [IngestedFile], memo: SummaryMemo,
                                    asOf: Bool = false) -> Summary? {
        let registry = memo.registry(on: date, landing: landing) { () -> RegistryView? in
            var why = ""
            return RegistryInForce.choose(on: date, landing: landing, ingested: registryFiles, reading: reading, why: &why)
                .map { RegistryView(institutions: $0.institutions, expected: ExpectedInstitutions(registry: $0.institutions)) }
        }
        guard let registry else { return nil }
        let inputs = memo.index.inputs(date: date, registry: registry.institutions, expected: registry.expected,
                                       landedBy: finalView && !asOf ? nil : date)
        return DayAggregator.reportingAndCounts(inputs, parameters: definition.parameters)
    }

    /// A registry in force and its expected institutions, made once per newest revision for the period charts.
    private struct RegistryView {
        var institutions: [String: Institution]
        var expected: ExpectedInstitutions
    }

    /// What the period charts of every date published share in one run: each date's reporting and counts,
    /// computed once; the reports by date; the registry in force by its newest revision.
    private final class SummaryMemo: @unchecked Sendable {
        private let dayFiles: [IngestedFile]
        private var builtIndex: ReportingIndex?
        private let lock = NSLock()
        private var values: [LocalDate: Summary?] = [:]
        private var registries: [LocalDate: RegistryView?] = [:]

        /// `remembered`: figures an earlier run computed (see `PeriodMemo`).
        init(dayFiles: [IngestedFile], remembered: [LocalDate: Summary]) {
            self.dayFiles = dayFiles
            values = remembered
        }

        /// The run's daily reports by date, indexed when a date's figures are first computed here: a
        /// night whose earlier days the store remembers never needs them (indexing the season's reports
        /// held up every warm night, on one core, before its date aggregated).
        var index: ReportingIndex {
            lock.lock()
            defer { lock.unlock() }
            if let builtIndex { return builtIndex }
            let built = ReportingIndex(dayFiles: dayFiles)
            builtIndex = built
            return built
        }

        /// The figures of `date` computed so far; nil when none were (or the date has none).
        func computed(_ date: LocalDate) -> Summary? {
            lock.lock()
            defer { lock.unlock() }
            return values[date] ?? nil
        }

        func value(for date: LocalDate, _ compute: () -> Summary?) -> Summary? {
            remembered(date, in: \.values, compute)
        }

        /// The registry in force on `date` depends only on the revisions up to it: one choice per newest revision.
        func registry(on date: LocalDate, landing: Landing, _ choose: () -> RegistryView?) -> RegistryView? {
            guard let newest = landing.registries.keys.filter({ $0 <= date }).max() else { return nil }
            return remembered(newest, in: \.registries, choose)
        }

        private func remembered<V>(_ key: LocalDate, in table: ReferenceWritableKeyPath<SummaryMemo, [LocalDate: V]>,
                                   _ compute: () -> V) -> V {
            lock.lock()
            if let known = self[keyPath: table][key] {
                lock.unlock()
                return known
            }
            lock.unlock()
            let computed = compute()
            lock.lock()
            self[keyPath: table][key] = computed
            lock.unlock()
            return computed
        }
    }

    /// A thread-safe count of finished dates.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }

    private func elapsed(_ since: Date) -> Double { (Date().timeIntervalSince(since) * 1000).rounded() / 1000 }
}
