import BulletinAggregate
import BulletinCore
import BulletinValidate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The reporting and counts of past dates, kept in the store from one night to the next.
///
/// A date's period charts show every earlier landing day's figures as that day's own run saw them;
/// computing them again each night meant decoding every daily report of the season. A day's figures
/// are kept under a key naming everything they follow from: this build of the program, the pipeline
/// definition, the registry revisions up to the day and every file landed up to it (its name, landing
/// day and digest, in landing order). A changed, added or removed file, another definition or another
/// build makes another key, and the figures are computed again. Only the as-of view keeps them.
enum PeriodMemo {
    /// Landing files in landing order, each with its stamp and, when known, its digest.
    struct Files {
        let list: [Landing.File]
        let stamps: [FileName.Stamp?]
        let known: [String?]
    }

    /// The keys of the landing days in `days` whose inputs are all known: every file landed up to the
    /// day, and every registry file of a revision up to it, known by digest (or refused, or past the size
    /// limit, by name or size alone). Keys are keyed digests (a file's name may hold an ID number).
    static func keys(for days: Set<LocalDate>, dayFiles: Files, registryFiles: Files, definition: PipelineDefinition,
                     pseudonyms: Pseudonymizer) -> [LocalDate: String] {
        guard let program, let last = days.max() else { return [:] }
        let maxBytes = definition.parameters.maxFileBytes
        let files = chain(dayFiles, upTo: last, maxBytes: maxBytes)
        let registries = chain(registryFiles, upTo: last, maxBytes: maxBytes)
        var keys: [LocalDate: String] = [:]
        for day in days {
            guard let landed = files[day] else { continue }
            // The registry in force follows from the revisions up to the day (the newest one's link).
            var registry = ""
            if let revision = registryFiles.list.lazy.map(\.day).filter({ $0 <= day }).max() {
                guard let link = registries[revision] else { continue }
                registry = link
            }
            let text = "period 1|\(program)|\(definition.sha256)|\(day)|\(landed)|\(registry)"
            keys[day] = pseudonyms.digest(Array(text.utf8))
        }
        return keys
    }

    /// For each landing day up to `last`, a digest of every file landed up to it (each day's files
    /// added to the day before's digest); days from the first file that is not known have none.
    private static func chain(_ files: Files, upTo last: LocalDate, maxBytes: Int) -> [LocalDate: String] {
        var links: [LocalDate: String] = [:]
        // Each day's text is made as bytes: a String interpolated and appended per file was most of a
        // warm night's keys.
        var running = "", day: LocalDate?, text: [UInt8] = []
        func close() { if let day { running = SHA256.hex(Array(running.utf8) + [UInt8(ascii: "|")] + text); links[day] = running } }
        for (i, file) in files.list.enumerated() where file.day <= last {
            if file.day != day {
                close()
                (day, text) = (file.day, Array("\(file.day)".utf8))
            }
            text.append(UInt8(ascii: "|"))
            text.append(contentsOf: file.relativePath.utf8)
            text.append(0)
            if file.refusal != nil {
                text.append(contentsOf: "refused".utf8)
            } else if let size = files.stamps[i]?.size, size > maxBytes {
                text.append(contentsOf: "large \(size)".utf8)
            } else if let sha = files.known[i] {
                text.append(contentsOf: sha.utf8)
            } else {
                return links   // not known without reading it: this day and the ones after have no key
            }
        }
        close()
        return links
    }

    /// This build of the program: its version, the store's codec and the executable's size and times
    /// (another build, even of the same version, computes the figures again); nil when it cannot be told.
    private static let program: String? = {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return nil }
        return "\(Pipeline.toolVersion) codec \(ValidatedFile.codecVersion) exe \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) "
            + "\(st.st_ino)"
    }()

    /// A date's reporting, counts and online figures as the store keeps them.
    static func encoded(_ s: Summary) -> [UInt8] {
        var w = BinaryWriter()
        let r = s.reporting
        for v in [r.expected, r.received, r.valid, r.onTime, r.late, r.missing, r.zeroReports] { w.int(v) }
        func group(_ w: inout BinaryWriter, _ g: Summary.GroupReporting) {
            for v in [g.expected, g.valid, g.onTime, g.missing, g.zeroReports] { w.int(v) }
        }
        func figures(_ w: inout BinaryWriter, _ f: (students: Summary.Figures, staff: Summary.Figures)) {
            w.array(f.students) { $0.int($1) }
            w.array(f.staff) { $0.int($1) }
        }
        w.array(r.byGroup.sorted { $0.key < $1.key }) { w, e in w.string(e.key.rawValue); group(&w, e.value) }
        w.array(r.byStreet.sorted { $0.key < $1.key }) { w, e in w.string(e.key); group(&w, e.value) }
        figures(&w, (s.counts.students, s.counts.staff))
        w.array(s.counts.byGroup.sorted { $0.key < $1.key }) { w, e in w.string(e.key.rawValue); figures(&w, e.value) }
        w.array(s.counts.byStreet.sorted { $0.key < $1.key }) { w, e in w.string(e.key); figures(&w, e.value) }
        for v in [s.online.learners, s.online.difficulty, s.online.schoolStudents] { w.int(v) }
        return w.bytes
    }

    /// What `encoded` wrote, as the summary of `date` that `DayAggregator.reportingAndCounts` returns;
    /// nil when it does not decode (the figures are then computed again).
    static func decoded(_ bytes: [UInt8], date: LocalDate) -> Summary? {
        BinaryReader.reading(bytes) { decoded(&$0, date: date) }
    }

    private static func decoded(_ r: inout BinaryReader, date: LocalDate) -> Summary? {
        var s = Summary(date: date)
        func group(_ r: inout BinaryReader) throws -> Summary.GroupReporting {
            var g = Summary.GroupReporting()
            (g.expected, g.valid, g.onTime, g.missing, g.zeroReports) = (try r.int(), try r.int(), try r.int(), try r.int(), try r.int())
            return g
        }
        func figures(_ r: inout BinaryReader) throws -> (students: Summary.Figures, staff: Summary.Figures) {
            let students = try r.array { try $0.int() }, staff = try r.array { try $0.int() }
            guard students.count == Figure.count, staff.count == Figure.count else { throw BinaryReader.Corrupt() }
            return (students, staff)
        }
        func reportGroup(_ r: inout BinaryReader) throws -> ReportGroup {
            guard let g = ReportGroup(rawValue: try r.string()) else { throw BinaryReader.Corrupt() }
            return g
        }
        do {
            (s.reporting.expected, s.reporting.received, s.reporting.valid, s.reporting.onTime) = (try r.int(), try r.int(), try r.int(), try r.int())
            (s.reporting.late, s.reporting.missing, s.reporting.zeroReports) = (try r.int(), try r.int(), try r.int())
            for (k, v) in try r.array({ r in (try reportGroup(&r), try group(&r)) }) { s.reporting.byGroup[k] = v }
            for (k, v) in try r.array({ r in (try r.string(), try group(&r)) }) { s.reporting.byStreet[k] = v }
            (s.counts.students, s.counts.staff) = try figures(&r)
            for (k, v) in try r.array({ r in (try reportGroup(&r), try figures(&r)) }) { s.counts.byGroup[k] = v }
            for (k, v) in try r.array({ r in (try r.string(), try figures(&r)) }) { s.counts.byStreet[k] = v }
            (s.online.learners, s.online.difficulty, s.online.schoolStudents) = (try r.int(), try r.int(), try r.int())
            guard r.atEnd else { return nil }
        } catch { return nil }
        return s
    }
}
