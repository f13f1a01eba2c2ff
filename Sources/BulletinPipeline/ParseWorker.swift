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
        if faultInjection, bytes.starts(with: crashMarker) { abort() }
        let (validated, encoding) = FileParser.parseHere(bytes, source: source, format: format, year: year,
                                                         pseudonyms: Pseudonymizer(key: key))
        var w = BinaryWriter()
        w.optionalString(encoding)
        w.blob(validated.encoded())
        w.blob(validated.encodedRoster())
        return w.bytes
    }

    /// Fault injection for the tests of isolation: with `BULLETIN_FAULT_INJECTION=1`, a worker dies on
    /// a file that begins with this marker, as it would on a reader bug.
    public static let crashMarker = Array("BULLETIN-FAULT-INJECTION-CRASH".utf8)
    private static let faultInjection = ProcessInfo.processInfo.environment["BULLETIN_FAULT_INJECTION"] == "1"

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
