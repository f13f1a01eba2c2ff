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
/// A request is the bureau key, then per file its source, format, year and bytes; the answer is,
/// per file, its CSV encoding and the store's two payloads (everything but the roster rows; the rows).
public enum ParseWorker {
    /// Serves requests until standard input closes.
    public static func serve() {
        var pseudonyms: Pseudonymizer?
        while let request = Frame.read(from: STDIN_FILENO, until: nil) {
            guard let answer = answer(request, pseudonyms: &pseudonyms), Frame.write(answer, to: STDOUT_FILENO) else { exit(1) }
        }
    }

    /// The request for `batch` under the bureau key `key`, in parts sent one after another as one
    /// frame: each file's bytes go to the pipe from its own buffer (copying a batch into one buffer
    /// first was a pass over every byte of the landing).
    static func request(_ batch: ArraySlice<ParseRequest>, key: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var w = BinaryWriter()
        w.blob(key)
        w.int(batch.count)
        for r in batch {
            w.string(r.source)
            w.string(r.format.rawValue)
            w.optionalInt(r.year)
            w.int(r.bytes.count)   // a blob's length; its bytes are the next part
            parts += [w.bytes, r.bytes]
            w = BinaryWriter()
        }
        if parts.isEmpty { parts.append(w.bytes) }
        return parts
    }

    /// Parses a request's files, answering in parts written as one frame (each payload from its own
    /// buffer); `pseudonyms` is kept from one request to the next while the key is the same.
    private static func answer(_ request: [UInt8], pseudonyms: inout Pseudonymizer?) -> [[UInt8]]? {
        var r = BinaryReader(request)
        var batch: [ParseRequest] = []
        do {
            let key = try r.blob()
            if pseudonyms?.keyBytes != key { pseudonyms = Pseudonymizer(key: key) }
            let count = try r.int()
            guard count >= 0, count <= ParseWorkerPool.batchFiles else { return nil }
            for _ in 0..<count {
                let source = try r.string()
                guard let format = TableFormat(rawValue: try r.string()) else { return nil }
                let year = try r.optionalInt()
                batch.append(ParseRequest(bytes: try r.blob(), source: source, format: format, year: year))
            }
            guard r.atEnd else { return nil }
        } catch { return nil }
        guard let pseudonyms else { return nil }
        limitMemory(forFileOf: batch.reduce(0) { $0 + $1.bytes.count })
        var parts: [[UInt8]] = []
        for file in batch {
            if FaultInjection.enabled, file.bytes.starts(with: crashMarker) { abort() }
            if FaultInjection.enabled, file.bytes.starts(with: allocateMarker) {
                // As a reader bug that grows without bound would: past the limit the allocation fails.
                let runaway = [UInt8](repeating: 1, count: memoryLimit(forFileOf: file.bytes.count) * 2)
                if runaway.isEmpty { return nil }
            }
            let (validated, encoding) = FileParser.parseHere(file.bytes, source: file.source, format: file.format,
                                                             year: file.year, pseudonyms: pseudonyms)
            let main = validated.encoded(), roster = validated.encodedRoster()
            var w = BinaryWriter()
            w.optionalString(encoding)
            w.int(main.count)   // blobs as `BinaryWriter.blob` writes them: the length, then the bytes
            var between = BinaryWriter()
            between.int(roster.count)
            parts += [w.bytes, main, between.bytes, roster]
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

    /// Fault injection for the tests of isolation: with `BULLETIN_FAULT_INJECTION=1`, a worker dies on
    /// a file that begins with this marker, as it would on a reader bug.
    public static let crashMarker = Array("BULLETIN-FAULT-INJECTION-CRASH".utf8)
    /// …and on a file that begins with this one, it tries to take twice its memory limit.
    public static let allocateMarker = Array("BULLETIN-FAULT-INJECTION-ALLOCATE".utf8)

    /// The pool's reading of an answer for files `sources` (roster rows left encoded); nil when it does not decode.
    static func decodeAnswer(_ payload: [UInt8], sources: [String]) -> [ParsedFile]? {
        var r = BinaryReader(payload)
        var results: [ParsedFile] = []
        do {
            for source in sources {
                let encoding = try r.optionalString()
                let main = try r.blob(), roster = try r.blob()
                results.append(ParsedFile(validated: try ValidatedFile(decoding: main, source: source), encoding: encoding,
                                          blobs: (main, roster)))
            }
            guard r.atEnd else { return nil }
            return results
        } catch {
            return nil
        }
    }
}
