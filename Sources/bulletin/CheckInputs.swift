import BulletinIngest
import BulletinPipeline

/// The files `check` was asked about: each file argument, and every file below each folder
/// argument (sorted; links, hidden and Office temporary files skipped, as the night does).
enum CheckInputs {
    struct Input {
        /// The path as shown (a GBK name decoded).
        var path: String
        /// The path's bytes, to open it.
        var bytes: [UInt8]
        /// Why the tool does not read a file of this type, and what to do.
        var refusal: String?
    }

    static func files(_ paths: [String]) -> [Input] {
        var out: [Input] = []
        for path in paths {
            let bytes = Array(path.utf8)
            if FileName.kind(of: bytes) == .folder { walk(path, bytes, into: &out) } else { out.append(judged(path, bytes)) }
        }
        return out
    }

    private static func judged(_ path: String, _ bytes: [UInt8]) -> Input {
        Input(path: path, bytes: bytes, refusal: TableFormat(fileName: path) == nil ? Landing.refusal(forFileNamed: path) : nil)
    }

    private static func walk(_ folder: String, _ folderBytes: [UInt8], into out: inout [Input]) {
        let entries = FileName.sortedAsShown(FileName.entries(of: folderBytes) ?? [])
        let slash = folder.hasSuffix("/")
        for entry in entries where !entry.shown.hasPrefix(".") && !entry.shown.hasPrefix("~$") {
            let path = folder + (slash ? "" : "/") + entry.shown
            let bytes = folderBytes + (slash ? [] : [0x2F]) + entry.bytes
            switch entry.kind {
            case .folder: walk(path, bytes, into: &out)
            case .file: out.append(judged(path, bytes))
            case .link, .other: continue
            }
        }
    }
}
