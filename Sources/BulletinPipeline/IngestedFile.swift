import BulletinCore
import BulletinIngest
import BulletinReport
import BulletinValidate
import Dispatch
import Foundation

/// One landing file read, validated and fingerprinted.
public struct IngestedFile: Sendable {
    public var file: Landing.File
    public var sha256: String
    public var bytes: Int
    public var encoding: String?
    public var validated: ValidatedFile

    /// Whether this run parsed the file (false: it came from the cache).
    public var parsed = true
    /// Whether the file came from the cache by its stamp alone, neither read nor hashed this run.
    public var unread = false
    /// Roster rows still encoded, for a file from a worker: `decodeRoster(ifAny:)` fills them in.
    var deferredRoster: [UInt8]?
    /// Whether the roster rows are still in the store (a file from the cache): fetched only when in force.
    var rosterInStore = false
    /// The store's encoding of everything but the roster rows, when a worker sent it (stored as is).
    var encodedMain: [UInt8]?
    /// The file's stamp when its digest is known with it (read and hashed this run, or unchanged since a
    /// run did): what the store records for the next run.
    var stamp: FileName.Stamp?

    /// The cache key, `<digest>@<year>`: the digest and the landing day's year (rows typed without a year
    /// take it). Written byte by byte: interpolated, it cost a thousand instructions a file of a warm night.
    static func cacheKey(sha256: String, day: LocalDate) -> String {
        let year = day.year
        guard (1...9999).contains(year) else { return "\(sha256)@\(year)" }
        let width = year >= 1000 ? 4 : year >= 100 ? 3 : year >= 10 ? 2 : 1
        var digest = sha256
        return digest.withUTF8 { digest in
            String(unsafeUninitializedCapacity: digest.count + 1 + width) { key in
                _ = key.initialize(fromContentsOf: digest)
                key[digest.count] = UInt8(ascii: "@")
                var rest = year
                for k in stride(from: digest.count + width, to: digest.count, by: -1) {
                    key[k] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                return digest.count + 1 + width
            }
        }
    }

    var cacheKey: String { IngestedFile.cacheKey(sha256: sha256, day: file.day) }

    /// How landing files are read: the parser, the cache and the size limit.
    public struct Reading: Sendable {
        public var parser: FileParser
        public var cache: IngestCache?
        public var maxFileBytes: Int
        /// The bureau's key for ID pseudonyms.
        public var pseudonyms: Pseudonymizer
        /// Hears what went wrong without costing the run (a cache that cannot be written).
        public var warn: @Sendable (String) -> Void = { _ in }
        /// When set, a file taken from the store brings its daily reports, and its care contacts and duty
        /// shifts, only when one of them carries a date these name (a file parsed brings them all): what
        /// a run's dates look at.
        public var keeping: ValidatedFile.StoredRecordDates?
        /// Files landed on these days come from the store whole, whatever `keeping` says (the night's
        /// late arrivals are every report its files carry).
        public var wholeFilesLandedOn: Set<LocalDate> = []
        /// Given to every file parsed (`ParseRequest.supersededBy`); only without a store, which keeps
        /// files whole.
        public var supersededBy: [String: LocalDate]?

        public init(parser: FileParser = .inProcess, cache: IngestCache? = nil,
                    maxFileBytes: Int = PipelineParameters().maxFileBytes, pseudonyms: Pseudonymizer) {
            self.parser = parser
            self.cache = cache
            self.maxFileBytes = maxFileBytes
            self.pseudonyms = pseudonyms
        }

        /// What of `file` comes from the store: everything when it landed on one of `wholeFilesLandedOn`.
        func keeping(_ file: Landing.File) -> ValidatedFile.StoredRecordDates? {
            wholeFilesLandedOn.contains(file.day) ? nil : keeping
        }
    }

    /// Reads and validates `file` under `root`, or takes it from the cache when its digest is known there.
    /// A file past the size limit is rejected unread.
    public static func ingest(_ file: Landing.File, root: URL, reading: Reading) -> IngestedFile {
        var stored: IngestCache.Hit?, result: IngestedFile?
        ingestBatch([0], of: [file], root: root, reading: reading, survey: survey([file], root: root, cache: nil), stored: &stored, into: &result)
        return result!
    }

    /// What is known of landing files before any is read: each file's stamp and, when a run recorded its
    /// digest under that stamp, the digest (the file is then neither read nor hashed again).
    public struct Survey: Sendable {
        public let stamps: [FileName.Stamp?]
        public let known: [String?]
        let digests: IngestCache.Digests?

        /// The survey of the files at `indices` of the surveyed list, in that order.
        func subset(_ indices: [Int]) -> Survey {
            Survey(stamps: indices.map { stamps[$0] }, known: indices.map { known[$0] }, digests: digests)
        }
    }

    /// Stamps `files` on all cores and looks up the digests `cache` recorded for them, every folder at once.
    /// Each chunk of files makes its paths in one buffer of its own (a path made per file, and copied again
    /// to end it with a NUL, were most of surveying a season's landing).
    public static func survey(_ files: [Landing.File], root: URL, cache: IngestCache?) -> Survey {
        let rootBytes = Array(root.path.utf8) + [0x2F]
        nonisolated(unsafe) let stamps = UnsafeMutableBufferPointer<FileName.Stamp?>.allocate(capacity: files.count)
        defer { stamps.deallocate() }
        let chunk = 64
        DispatchQueue.concurrentPerform(iterations: (files.count + chunk - 1) / chunk) { c in
            var path = rootBytes
            for i in (c * chunk)..<min(files.count, (c + 1) * chunk) {
                path.removeSubrange(rootBytes.count...)
                path += files[i].diskPath
                path.append(0)
                (stamps.baseAddress! + i).initialize(to: FileName.stamp(nulTerminated: path))
            }
        }
        let stamped = Array(stamps)
        let digests = cache?.digests(forFolders: folders(of: files, root: rootBytes))
        return Survey(stamps: stamped, known: stamped.map { stamp in stamp.flatMap { digests?.sha256(stamp: $0) } }, digests: digests)
    }

    /// The folders `files` lie in (absolute, as `IngestCache.folder(of:)` makes them), each once: a
    /// landing lists its files folder by folder, so a folder is made only where the one before differs.
    private static func folders(of files: [Landing.File], root: [UInt8]) -> [[UInt8]] {
        var folders: [[UInt8]] = [], last: ArraySlice<UInt8>?
        for file in files {
            let folder = file.diskPath[..<(file.diskPath.lastIndex(of: UInt8(ascii: "/")) ?? file.diskPath.startIndex)]
            if folder == last { continue }
            last = folder
            folders.append(IngestCache.folder(of: root + file.diskPath))
        }
        return Array(Set(folders))
    }

    /// Ingests `files` on all cores, through the cache when given (new files are added to it);
    /// results keep the order of `files`. Files go to the parser in batches, the largest first. `survey`, when
    /// given, is `survey(files, …)` taken already.
    public static func ingestAll(_ files: [Landing.File], root: URL, reading: Reading, survey: Survey? = nil) throws -> [IngestedFile] {
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<IngestedFile?>.allocate(capacity: files.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }   // every result is moved out below
        let rootBytes = Array(root.path.utf8) + [0x2F]
        // Every recorded digest the landing's files may have, looked up together before the batches (a
        // read per batch of sixteen files was a tenth of a warm night: a transaction and a statement each).
        let survey = survey ?? Self.survey(files, root: root, cache: reading.cache)
        // The stored records of the files unchanged since a run recorded their digest, fetched together.
        let asked = files.indices.compactMap { i in
            survey.known[i].map { (index: i, request: (key: cacheKey(sha256: $0, day: files[i].day), source: files[i].relativePath,
                                                       keeping: reading.keeping(files[i]))) }
        }
        // Each record is moved from the store's answer to its file's slot, and from there into the file's
        // result (copying one retained every reference it holds, three times a file on a warm night).
        nonisolated(unsafe) let stored = UnsafeMutableBufferPointer<IngestCache.Hit?>.allocate(capacity: files.count)
        stored.initialize(repeating: nil)
        defer {
            _ = stored.deinitialize()
            stored.deallocate()
        }
        if var loaded = reading.cache?.load(asked.map(\.request)) {
            for k in loaded.indices where k < asked.count { swap(&loaded[k], &stored[asked[k].index]) }
        }
        // The largest files first, in chunks the cores (or parse workers) take as they come free: the last
        // chunks are then small files, and the cores end together (chunks in listing order ended with one
        // core idle while the other read a chunk of the largest rosters).
        let order = files.indices.sorted { (survey.stamps[$0]?.size ?? 0) > (survey.stamps[$1]?.size ?? 0) }
        let bounds = chunkBounds(sizes: order.map { survey.stamps[$0]?.size ?? 0 }, cores: ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { c in
            ingestBatch(order[bounds[c]..<bounds[c + 1]], of: files, root: root, reading: reading,
                        survey: survey, stored: stored.baseAddress!, into: results.baseAddress!)
        }
        let all = (0..<files.count).map { (results.baseAddress! + $0).move()! }
        // By index: a closure given each file copied it (every field of its records).
        // Not the files whose digest the survey knew under the stamp they still have: the store would
        // record nothing new for them (`IngestCache.store`), and each path was made for nothing.
        let seen = all.indices.compactMap { i in
            survey.known[i] == all[i].sha256 && survey.stamps[i] == all[i].stamp
                ? nil : all[i].stamp.map { (rootBytes + all[i].file.diskPath, $0, all[i].sha256) }
        }
        let parsed = all.indices.filter { all[$0].parsed }.map { all[$0] }
        do { try reading.cache?.store(parsed, seen: seen, known: survey.digests) } catch {
            // The cache is an optimisation: a failed write (a full disk, say) never costs the publication.
            reading.warn("warning=缓存写入失败（\(error)），本次结果照常发布，下次将重新解析这些文件 / cache write failed: outputs unaffected")
        }
        return all
    }

    /// Where the chunks of files of `sizes` (largest first) begin, and where the last ends: sixteen files
    /// a chunk, more small ones (up to `ParseWorkerPool.batchFiles`) until the chunk holds 256 KiB. Each
    /// chunk is one round trip to a parse worker: in chunks of sixteen, a landing's thousands of daily
    /// reports of a few KiB took most of a cold night's round trips, and its workers' wake-ups. A chunk
    /// also ends once it holds a fourth of the bytes `cores` each have to read (all the files' over
    /// twice the cores), so that a few files keep every core busy: a cold night's newest day, 22 files of
    /// 190 KB, was one chunk, read by one worker while the other waited.
    static func chunkBounds(sizes: [Int], cores: Int) -> [Int] {
        let most = max(1, sizes.reduce(0, +) / max(1, 2 * cores))
        var bounds = [0], files = 0, bytes = 0
        for (i, size) in sizes.enumerated() {
            files += 1
            bytes += size
            if files == ParseWorkerPool.batchFiles || files >= 16 && bytes >= 256 << 10 || bytes >= most {
                bounds.append(i + 1)
                (files, bytes) = (0, 0)
            }
        }
        if files > 0 { bounds.append(sizes.count) }
        return bounds
    }

    /// A file to parse: read from the landing (its digest looked up in the cache first), or, without
    /// a cache, left for the parser to read.
    private struct Unparsed {
        var index: Int
        var content: ParseRequest.Content
        var sha256 = ""
        var stamp: FileName.Stamp?
    }

    /// Ingests the files of `allFiles` at `indices` into their slots of `allResults` (nil until then):
    /// refusals, size limits, unreadable files and cache hits at once (a file whose stamp matches its
    /// recorded digest in `survey` is neither read nor hashed: its record is in its slot of `stored`,
    /// fetched for every file by `ingestAll`, and moved out of it), the rest parsed together in one call
    /// to the parser. Without a cache no file is read here: the parser reads and hashes each (a worker
    /// from disk, so no landing byte crosses a pipe).
    private static func ingestBatch(_ indices: ArraySlice<Int>, of allFiles: [Landing.File], root: URL, reading: Reading,
                                    survey: Survey, stored: UnsafeMutablePointer<IngestCache.Hit?>,
                                    into allResults: UnsafeMutablePointer<IngestedFile?>) {
        let indices = Array(indices)
        let files = indices.map { allFiles[$0] }
        var unparsed: [Unparsed] = []
        let rootBytes = Array(root.path.utf8) + [0x2F]
        let paths = files.map { rootBytes + $0.diskPath }
        let stamps = indices.map { survey.stamps[$0] }, known = indices.map { survey.known[$0] }
        /// The result slot of the batch's `k`th file.
        func results(_ k: Int) -> UnsafeMutablePointer<IngestedFile?> { allResults + indices[k] }
        for (i, file) in files.enumerated() {
            let path = paths[i]
            let stamp = stamps[i]
            let size = stamp?.size
            if let refusal = file.refusal {
                let v = ValidatedFile.rejectedWhole(source: file.relativePath, reason: .unsupportedFile, message: refusal)
                results(i).pointee = IngestedFile(file: file, sha256: "", bytes: size ?? 0, encoding: nil, validated: v)
                continue
            }
            if let size, size > reading.maxFileBytes {
                let v = ValidatedFile.tooLarge(source: file.relativePath, size: size, limit: reading.maxFileBytes)
                results(i).pointee = IngestedFile(file: file, sha256: "", bytes: size, encoding: nil, validated: v)
                continue
            }
            guard let cache = reading.cache else {
                unparsed.append(Unparsed(index: i, content: .path(path, size: size ?? 0, limit: reading.maxFileBytes)))
                continue
            }
            // Unchanged since a run recorded its digest: neither read nor hashed again (its record moved out of its slot).
            var hit: IngestCache.Hit?
            swap(&hit, &stored[indices[i]])
            if let stamp, let sha = known[i], let hit {
                results(i).pointee = IngestedFile(file: file, sha256: sha, bytes: stamp.size, encoding: hit.encoding,
                                                  validated: hit.validated, parsed: false, unread: true, rosterInStore: true, stamp: stamp)
                continue
            }
            guard let data = FileName.contents(path) else {
                results(i).pointee = IngestedFile(file: file, sha256: "", bytes: 0, encoding: nil,
                                                  validated: ValidatedFile.unopenable(source: file.relativePath))
                continue
            }
            let sha = SHA256.hex(data)
            if let hit = cache.load([(cacheKey(sha256: sha, day: file.day), file.relativePath, reading.keeping(file))])[0] {
                results(i).pointee = IngestedFile(file: file, sha256: sha, bytes: data.count, encoding: hit.encoding,
                                                  validated: hit.validated, parsed: false, rosterInStore: true, stamp: stamp)
                continue
            }
            unparsed.append(Unparsed(index: i, content: .bytes(data), sha256: sha, stamp: stamp))
        }
        let requests = unparsed.map { u in
            var request = ParseRequest(content: u.content, source: files[u.index].relativePath, format: files[u.index].format,
                                       year: files[u.index].day.year)
            request.keeping = reading.keeping(files[u.index])
            request.supersededBy = reading.cache == nil ? reading.supersededBy : nil   // the store keeps files whole
            return request
        }
        for (u, parsed) in zip(unparsed, reading.parser.parse(requests, pseudonyms: reading.pseudonyms)) {
            let (sha256, bytes): (String, Int)
            switch u.content {
            case .bytes(let data): (sha256, bytes) = (u.sha256, data.count)
            case .path: (sha256, bytes) = parsed.read ?? ("", 0)
            }
            results(u.index).pointee = IngestedFile(file: files[u.index], sha256: sha256, bytes: bytes,
                                                    encoding: parsed.encoding, validated: parsed.validated,
                                                    deferredRoster: parsed.blobs?.roster, encodedMain: parsed.blobs?.main, stamp: u.stamp)
        }
    }

    /// The store's two payloads for this file: as received, or encoded now.
    var storePayloads: (main: [UInt8], roster: [UInt8]) {
        (encodedMain ?? validated.encoded(), deferredRoster ?? validated.encodedRoster())
    }

    /// Whether the file holds one of `snapshots` with its rows still encoded: sent by a worker, or in the store.
    func holdsEncodedRoster(of snapshots: Set<RosterSnapshot>) -> Bool {
        (deferredRoster != nil || rosterInStore) && !validated.rosterSnapshots.isDisjoint(with: snapshots)
    }

    /// Decodes the store's roster rows of this file, `blob` (`IngestCache.forEachRoster(keys:_:)`, valid
    /// during the call); a blob that no longer decodes leaves them in the store, for
    /// `decodeRoster(ifAny:root:reading:)` to read the file again.
    mutating func decodeStoredRoster(_ blob: UnsafeRawBufferPointer) {
        guard rosterInStore, (try? validated.decodeRoster(blob)) != nil else { return }
        rosterInStore = false
    }

    /// Decodes the roster rows when the file holds one of `snapshots`: the worker's. Rows still in the
    /// store by now (`decodeStoredRoster` found no usable blob) mean the cache entry is bad, and the file
    /// is parsed again.
    mutating func decodeRoster(ifAny snapshots: Set<RosterSnapshot>, root: URL, reading: Reading) {
        guard holdsEncodedRoster(of: snapshots) else { return }
        do {
            guard let blob = deferredRoster else { throw BinaryReader.Corrupt() }
            try validated.decodeRoster(blob)
            deferredRoster = nil
            rosterInStore = false
        } catch {
            var fresh = reading
            fresh.cache = nil
            var again = IngestedFile.ingest(file, root: root, reading: fresh)
            // A worker sends the rows encoded: decode them now, or the file's snapshot would count no one.
            if let blob = again.deferredRoster, (try? again.validated.decodeRoster(blob)) != nil { again.deferredRoster = nil }
            self = again
        }
    }

    /// The manifest's record of this file; `superseded` when the date uses none of its rows
    /// (`ValidatedFile.isSuperseded`).
    func manifestInput(superseded: Bool) -> Manifest.Input {
        Manifest.Input(source: file.relativePath, sha256: sha256, bytes: bytes, format: file.format.rawValue,
                       encoding: encoding, landingDay: file.day.description, validated: validated, superseded: superseded)
    }
}

extension IngestedFile {
    /// Each file's digest, nil where it has none (refused, too large, unreadable), read in place.
    static func knownDigests(_ files: [IngestedFile]) -> [String?] {
        files.indices.map { files[$0].sha256.isEmpty ? nil : files[$0].sha256 }
    }
}
