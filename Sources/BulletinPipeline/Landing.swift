import BulletinCore
import BulletinIngest
import Foundation

/// The landing folder: registry revisions and one folder per landing day (outputs.md, "Landing folder").
public struct Landing: Sendable {
    /// One readable file, relative to the landing folder.
    public struct File: Sendable, Hashable {
        /// The path as shown in every output (a GBK name decoded).
        public var relativePath: String
        public var format: TableFormat
        /// The registry revision's date, or the landing day the file arrived on.
        public var day: LocalDate
        /// Why the file is refused unread (`unsupported_file`): a .bak, a WPS .et, no extension….
        /// `format` means nothing then.
        public var refusal: String? = nil
        /// The path's bytes on disk, relative to the landing folder.
        public var diskPath: [UInt8]

        public init(relativePath: String, format: TableFormat, day: LocalDate, refusal: String? = nil, diskPath: [UInt8]? = nil) {
            self.relativePath = relativePath
            self.format = format
            self.day = day
            self.refusal = refusal
            self.diskPath = diskPath ?? Array(relativePath.utf8)
        }
    }

    public let root: URL
    /// Registry revisions by date, each with its files.
    public let registries: [LocalDate: [File]]
    /// Landing days, each with its files (sub-folders included), sorted by path.
    public let days: [LocalDate: [File]]
    /// What the run's report must say about the landing folder itself: folders whose names are not
    /// dates, folders that cannot be read, links not followed, hidden and Office temporary files skipped.
    public let notes: [String]

    /// A path inside the landing: its bytes relative to the root, and as shown.
    private struct Place {
        var bytes: [UInt8]
        /// The path as shown when a name on it is not UTF-8 (a GBK name, decoded); nil: `bytes` read as UTF-8,
        /// made into a String once, for the file at its end (a String built name by name cost more than
        /// the rest of listing it).
        var decoded: String?

        var shown: String { decoded ?? String(decoding: bytes, as: UTF8.self) }

        /// The top-level entry.
        init(_ entry: FileName.Entry) {
            bytes = entry.bytes
            decoded = entry.isUTF8 ? nil : entry.shown
        }

        private init(bytes: [UInt8], decoded: String?) {
            self.bytes = bytes
            self.decoded = decoded
        }

        /// The entry inside this place.
        func child(_ entry: FileName.Entry) -> Place {
            var path = [UInt8]()
            path.reserveCapacity(bytes.count + 1 + entry.bytes.count)
            path += bytes
            path.append(0x2F)
            path += entry.bytes
            return Place(bytes: path, decoded: decoded == nil && entry.isUTF8 ? nil : shown + "/" + entry.shown)
        }
    }

    /// Lists the landing folder at `path`: day folders, registry revisions, and notes on everything else.
    /// Its entries are listed on all cores, each into a part of its own, joined in the order of the names
    /// (one core listed a season's landing while the other idled: the start's longest wait).
    public init(root path: String) throws {
        root = URL(fileURLWithPath: path).standardizedFileURL
        guard FileName.kind(of: Array(root.path.utf8)) == .folder else {
            throw PipelineError.landingMissing(path: path)
        }
        let rootBytes = Array(root.path.utf8)
        let entries = FileName.sortedAsShown(FileName.entries(of: rootBytes) ?? [])
        nonisolated(unsafe) let parts = UnsafeMutableBufferPointer<Part>.allocate(capacity: entries.count)
        defer {
            _ = parts.deinitialize()
            parts.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: entries.count) { i in
            (parts.baseAddress! + i).initialize(to: Landing.part(entries[i], root: rootBytes))
        }
        var registries: [LocalDate: [File]] = [:]
        var days: [LocalDate: [File]] = [:]
        var notes: [String] = []
        for part in parts {
            notes += part.notes
            for (date, files) in part.registries { registries[date, default: []] += files }
            if let (date, files) = part.day { days[date] = files }
        }
        self.registries = registries
        self.days = days
        self.notes = notes
    }

    /// What one top-level entry of the landing holds: a landing day's files, or registry revisions, and
    /// the notes on it.
    private struct Part {
        var day: (LocalDate, [File])?
        var registries: [(LocalDate, [File])] = []
        var notes: [String] = []
    }

    /// Lists the top-level entry `entry` of the landing at `root`.
    private static func part(_ entry: FileName.Entry, root rootBytes: [UInt8]) -> Part {
        func absolute(_ place: Place) -> [UInt8] { rootBytes + [0x2F] + place.bytes }
        var part = Part()
        let place = Place(entry)
        guard Landing.admit(entry, at: place, root: rootBytes, notes: &part.notes) else { return part }
        if entry.shown == "registry" {
            for revision in FileName.sortedAsShown(FileName.entries(of: absolute(place)) ?? []) {
                let revisionPlace = place.child(revision)
                guard Landing.admit(revision, at: revisionPlace, root: rootBytes, notes: &part.notes) else { continue }
                let stem = (revision.shown as NSString).deletingPathExtension
                guard let date = LocalDate(iso: revision.kind == .folder ? revision.shown : stem) else {
                    part.notes.append("名录文件名不是日期（应为 registry/YYYY-MM-DD.xlsx），未读取：\(revisionPlace.shown) / registry entry not named by a date")
                    continue
                }
                var files: [File] = []
                Landing.files(at: revisionPlace, kind: revision.kind, root: rootBytes, day: date, notes: &part.notes, into: &files)
                part.registries.append((date, files))
            }
        } else if let date = LocalDate(iso: entry.shown), entry.kind == .folder {
            var files: [File] = []
            Landing.files(at: place, kind: .folder, root: rootBytes, day: date, notes: &part.notes, into: &files)
            part.day = (date, files)
        } else {
            part.notes.append("接收目录中的“\(entry.shown)”不是 YYYY-MM-DD 日期目录，其中的文件未读取；请改名为如 2020-02-17 / "
                              + "not a YYYY-MM-DD landing folder: its files were not read")
        }
        return part
    }

    /// Whether to look at an entry at all: symbolic links are never followed (no loops, nothing read from
    /// outside the landing), hidden and Office temporary (`~$`) files are skipped; each is noted.
    private static func admit(_ entry: FileName.Entry, at place: Place, root: [UInt8], notes: inout [String]) -> Bool {
        if entry.kind == .link {
            notes.append("符号链接未跟随：\(place.shown) → \(FileName.linkTarget(root + [0x2F] + place.bytes)) / symbolic link not followed")
            return false
        }
        // Such a name starts so in its bytes too: only those are compared as text (by Character).
        let b = entry.bytes
        if b.first == UInt8(ascii: ".") || b.count >= 2 && b[0] == UInt8(ascii: "~") && b[1] == UInt8(ascii: "$"),
           entry.shown.hasPrefix(".") || entry.shown.hasPrefix("~$") {
            notes.append("已跳过隐藏文件或Office临时文件：\(place.shown) / hidden or Office temporary file skipped")
            return false
        }
        return true
    }

    /// Appends every file at or below `place` to `out`, sorted by path as shown (into one array: an
    /// array per file, joined folder by folder, was a fifth of listing a landing); a file of an unknown
    /// type is listed with its refusal, an unreadable folder is noted.
    private static func files(at place: Place, kind: FileName.Kind, root: [UInt8], day: LocalDate,
                              notes: inout [String], into out: inout [File]) {
        if kind != .folder {
            let shown = place.shown
            guard let format = TableFormat(fileName: shown) else {
                out.append(File(relativePath: shown, format: .csv, day: day, refusal: refusal(forFileNamed: shown), diskPath: place.bytes))
                return
            }
            out.append(File(relativePath: shown, format: format, day: day, diskPath: place.bytes))
            return
        }
        guard let entries = FileName.entries(of: root + [0x2F] + place.bytes) else {
            notes.append("无法读取目录（权限不足？）：\(place.shown)，其中的文件未读取 / folder cannot be read")
            return
        }
        for entry in FileName.sortedAsShown(entries) {
            let child = place.child(entry)
            guard admit(entry, at: child, root: root, notes: &notes) else { continue }
            files(at: child, kind: entry.kind, root: root, day: day, notes: &notes, into: &out)
        }
    }

    /// Why a file of this name is not read, with what to do.
    public static func refusal(forFileNamed name: String) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        switch ext {
        case "et", "ett": return "WPS表格（.\(ext)）文件不能读取：请在WPS中另存为.xlsx后重新报送 / WPS sheet: save as .xlsx"
        case "": return "文件没有扩展名，无法判断格式：请另存为.xlsx或.csv后重新报送 / no extension: save as .xlsx or .csv"
        default: return "不支持的文件类型（.\(ext)）：请按表单模板填写并另存为.xlsx、.xml或.csv后报送 / unsupported file type"
        }
    }

    /// The newest landing day.
    public var newestDay: LocalDate? { days.keys.max() }
}
