import BulletinCore
import BulletinIngest

extension ValidatedFile {
    /// A file rejected whole because it could not be read, with the reader's message and position.
    public static func unreadable(source: String, _ error: IngestError) -> ValidatedFile {
        let reason: RejectReason = switch error.kind {
        case .tooLarge: .fileTooLarge
        case .unsupported: .unsupportedFile
        default: .unreadableFile
        }
        return rejectedWhole(source: source, reason: reason, message: "文件无法读取：\(error.description)")
    }

    /// A file rejected whole, without reading a row.
    public static func rejectedWhole(source: String, reason: RejectReason, message: String) -> ValidatedFile {
        var v = ValidatedFile(source: source)
        v.fileRejected = true
        v.rejects.append(Reject(position: Position(source: source), reason: reason, message: message))
        return v
    }
}
