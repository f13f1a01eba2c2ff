import BulletinCore
import BulletinIngest
import BulletinValidate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The worker side of `ParseWorkerPool`: reads batches of files from standard input and answers on
/// standard output until its input ends.
///
/// A request is the bureau key and the newest roster snapshots known (`ParseRequest.supersededBy`,
/// for the whole batch), then per file its source, format, year and either its bytes or its path (for
/// the worker to read and hash); the answer is, per file, its CSV encoding, the store's two
/// payloads (everything but the roster rows; the rows), and for a file read by path its digest and size.
public enum ParseWorker {
    /// Serves requests until standard input closes, and says how the process is to end: 0 once its input
    /// ended, 1 on a request it could not read or an answer it could not write.
    public static func serve() -> Int32 {
        var kept = Kept()
        while let request = Frame.read(from: STDIN_FILENO, until: nil) {
            guard let answer = answer(request, kept: &kept), Frame.write(answer, to: STDOUT_FILENO) else { return 1 }
        }
        return 0
    }

    /// What a worker keeps from one request to the next while it is the same: the pseudonymiser of the
    /// bureau key, and the newest snapshots as sent and as made into a dictionary (a group's batches all
    /// carry the same; making the dictionary again for every batch was a tenth of the parse workers'
    /// overhead on a cold day).
    private struct Kept {
        var pseudonyms: Pseudonymizer?
        var newestSent: [UInt8]?
        var newest: [String: LocalDate]?
    }

    /// The request for `batch` under the bureau key `key`, in parts sent one after another as one
    /// frame: each file's bytes go to the pipe from its own buffer (copying a batch into one buffer
    /// first was a pass over every byte of the landing).
    static func request(_ batch: ArraySlice<ParseRequest>, key: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var w = BinaryWriter()
        w.blob(key)
        // In the dictionary's own order: the worker makes a dictionary of it again (sorting the district's
        // codes for every batch was most of the parent's work between two batches, while the worker waited).
        // A blob of its own, so that the worker can tell the same snapshots from the last batch's by their bytes.
        var newest = BinaryWriter()
        newest.optional(batch.first?.supersededBy.map(Array.init)) { w, newest in
            w.array(newest) { w, e in w.string(e.key); w.date(e.value) }
        }
        w.blob(newest.bytes)
        w.int(batch.count)
        for r in batch {
            w.string(r.source)
            w.string(r.format.rawValue)
            w.optionalInt(r.year)
            switch r.content {
            case .bytes(let bytes):
                w.int(0)
                w.int(bytes.count)   // a blob's length; its bytes are the next part
                parts += [w.bytes, bytes]
            case .path(let path, let size, let limit):
                w.int(1)
                w.blob(path)
                w.int(size)
                w.int(limit)
                parts.append(w.bytes)
            }
            w = BinaryWriter()
        }
        if parts.isEmpty { parts.append(w.bytes) }
        return parts
    }

    /// Parses a request's files, answering in parts written as one frame (each payload from its own
    /// buffer); what `kept` holds is used again while the request carries the same.
    private static func answer(_ request: [UInt8], kept: inout Kept) -> [[UInt8]]? {
        guard let batch = BinaryReader.reading(request, { requests(&$0, kept: &kept) }) else { return nil }
        guard let pseudonyms = kept.pseudonyms else { return nil }
        // Files given by path are read first, so the memory limit is set for what the batch holds.
        let contents = batch.map { $0.contents() }
        limitMemory(forFileOf: contents.reduce(0) { $0 + ($1?.bytes.count ?? 0) })
        var parts: [[UInt8]] = []
        for (file, content) in zip(batch, contents) {
            let validated: ValidatedFile, encoding: String?
            if let (bytes, _) = content {
                if FaultInjection.enabled, bytes.starts(with: crashMarker) { abort() }
                if FaultInjection.enabled, bytes.starts(with: allocateMarker) {
                    // As a reader bug that grows without bound would: past the limit the allocation fails.
                    let runaway = [UInt8](repeating: 1, count: memoryLimit(forFileOf: bytes.count) * 2)
                    if runaway.isEmpty { return nil }
                }
                (validated, encoding) = FileParser.parseHere(bytes, source: file.source, format: file.format,
                                                             year: file.year, pseudonyms: pseudonyms, supersededBy: file.supersededBy)
            } else {
                (validated, encoding) = (file.unread(), nil)
            }
            let main = validated.encoded(), roster = validated.encodedRoster()
            var w = BinaryWriter()
            w.optionalString(encoding)
            w.int(main.count)   // blobs as `BinaryWriter.blob` writes them: the length, then the bytes
            var between = BinaryWriter()
            between.int(roster.count)
            var after = BinaryWriter()
            after.optionalString(content?.read?.sha256)
            after.int(content?.read?.bytes ?? 0)
            parts += [w.bytes, main, between.bytes, roster, after.bytes]
        }
        return parts
    }

    /// Memory a worker may hold while it reads a file of `bytes` bytes: 512 MiB plus 32 times the file
    /// (an .xlsx inflates about tenfold), at most 16 GiB. Past it an allocation fails, the worker dies,
    /// and that file alone is rejected: a file can never take the machine's memory.
    static func memoryLimit(forFileOf bytes: Int) -> Int { min(16 << 30, (512 << 20) + 32 * bytes) }

    private static func limitMemory(forFileOf bytes: Int) {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_DATA.rawValue), &limit)
        let wanted = rlim_t(memoryLimit(forFileOf: bytes))
        limit.rlim_cur = min(wanted, limit.rlim_max)   // RLIM_INFINITY is the largest value
        setrlimit(__rlimit_resource_t(RLIMIT_DATA.rawValue), &limit)
    }

    /// The files a request asks for, `kept` updated with the key and newest snapshots it carries; nil
    /// when it does not decode.
    private static func requests(_ r: inout BinaryReader, kept: inout Kept) -> [ParseRequest]? {
        var batch: [ParseRequest] = []
        do {
            let key = try r.blob()
            if kept.pseudonyms?.keyBytes != key { kept.pseudonyms = Pseudonymizer(key: key) }
            let sent = try r.blob()
            if sent != kept.newestSent {
                let newest = try BinaryReader.reading(sent) { m -> [String: LocalDate]?? in
                    let newest = try m.optional { r in
                        Dictionary(try r.array { r in (try r.string(), try r.date()) }, uniquingKeysWith: { $1 })
                    }
                    return m.atEnd ? .some(newest) : nil
                }
                guard let newest else { return nil }
                (kept.newest, kept.newestSent) = (newest, sent)
            }
            let newest = kept.newest
            let count = try r.int()
            guard count >= 0, count <= ParseWorkerPool.batchFiles else { return nil }
            for _ in 0..<count {
                let source = try r.string()
                guard let format = TableFormat(rawValue: try r.string()) else { return nil }
                let year = try r.optionalInt()
                let content: ParseRequest.Content = try r.int(in: 0...1) == 0
                    ? .bytes(try r.blob()) : .path(try r.blob(), size: try r.int(), limit: try r.int())
                var request = ParseRequest(content: content, source: source, format: format, year: year)
                request.supersededBy = newest
                batch.append(request)
            }
            guard r.atEnd else { return nil }
        } catch { return nil }
        return batch
    }

    /// Fault injection for the tests of isolation: with `BULLETIN_FAULT_INJECTION=1`, a worker dies on
    /// a file that begins with this marker, as it would on a reader bug.
    public static let crashMarker = Array("BULLETIN-FAULT-INJECTION-CRASH".utf8)
    /// …and on a file that begins with this one, it tries to take twice its memory limit.
    public static let allocateMarker = Array("BULLETIN-FAULT-INJECTION-ALLOCATE".utf8)

    /// The pool's reading of an answer for `batch` (roster rows left encoded, each file keeping what its
    /// request says); nil when it does not decode.
    static func decodeAnswer(_ payload: [UInt8], for batch: ArraySlice<ParseRequest>) -> [ParsedFile]? {
        BinaryReader.reading(payload) { decodeAnswer(&$0, for: batch) }
    }

    private static func decodeAnswer(_ r: inout BinaryReader, for batch: ArraySlice<ParseRequest>) -> [ParsedFile]? {
        var results: [ParsedFile] = []
        do {
            for request in batch {
                let encoding = try r.optionalString()
                let main = try r.blob(), roster = try r.blob()
                let sha256 = try r.optionalString(), bytes = try r.int()
                results.append(ParsedFile(validated: try ValidatedFile(decoding: main, source: request.source, keeping: request.keeping),
                                          encoding: encoding,
                                          blobs: (main, roster), read: sha256.map { ($0, bytes) }))
            }
            guard r.atEnd else { return nil }
            return results
        } catch {
            return nil
        }
    }
}
