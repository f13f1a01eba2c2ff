import BulletinCore
import BulletinIngest
import BulletinValidate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The worker side of `ParseWorkerPool`: reads files from standard input and answers on
/// standard output until its input ends.
public enum ParseWorker {
    /// Serves requests until standard input closes.
    public static func serve() {
        while let request = Frame.read(from: STDIN_FILENO, until: nil) {
            guard let answer = answer(request), Frame.write(answer, to: STDOUT_FILENO) else { exit(1) }
        }
    }

    private static func answer(_ request: [UInt8]) -> [UInt8]? {
        var r = BinaryReader(request)
        let year: Int?, key: [UInt8]
        guard let source = try? r.string(), let formatName = try? r.string(), let format = TableFormat(rawValue: formatName)
        else { return nil }
        do {
            year = try r.optionalInt()
            key = try r.blob()
        } catch { return nil }
        let bytes = r.rest()
        if FaultInjection.enabled, bytes.starts(with: crashMarker) { abort() }
        limitMemory(forFileOf: bytes.count)
        if FaultInjection.enabled, bytes.starts(with: allocateMarker) {
            // As a reader bug that grows without bound would: past the limit the allocation fails.
            let runaway = [UInt8](repeating: 1, count: memoryLimit(forFileOf: bytes.count) * 2)
            if runaway.isEmpty { return nil }
        }
        let (validated, encoding) = FileParser.parseHere(bytes, source: source, format: format, year: year,
                                                         pseudonyms: Pseudonymizer(key: key))
        var w = BinaryWriter()
        w.optionalString(encoding)
        w.blob(validated.encoded())
        w.blob(validated.encodedRoster())
        return w.bytes
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

    /// The pool's reading of an answer (roster rows left encoded); nil when it does not decode.
    static func decodeAnswer(_ payload: [UInt8], source: String) -> ParsedFile? {
        var r = BinaryReader(payload)
        do {
            let encoding = try r.optionalString()
            let main = try r.blob(), roster = try r.blob()
            guard r.atEnd else { return nil }
            return ParsedFile(validated: try ValidatedFile(decoding: main, source: source), encoding: encoding,
                              blobs: (main, roster))
        } catch {
            return nil
        }
    }
}
