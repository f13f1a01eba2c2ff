import BulletinCore
import BulletinIngest
import Foundation

/// The landing folder: registry revisions and one folder per landing day (outputs.md, "Landing folder").
public struct Landing: Sendable {
    /// One readable file, relative to the landing folder.
    public struct File: Sendable, Hashable {
        public var relativePath: String
        public var format: TableFormat
        /// The registry revision's date, or the landing day the file arrived on.
        public var day: LocalDate
        /// Why the file is refused unread (`unsupported_file`): an old .xls, a .bak, no extension….
        /// `format` means nothing then.
        public var refusal: String? = nil
    }

    public let root: URL
    /// Registry revisions by date, each with its files.
    public let registries: [LocalDate: [File]]
    /// Landing days, each with its files (sub-folders included), sorted by path.
    public let days: [LocalDate: [File]]
    /// What the run's report must say about the landing folder itself: folders whose names are not
    /// dates, folders that cannot be read, links not followed, hidden and Office temporary files skipped.
    public let notes: [String]

    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    public init(root path: String) throws {
        root = URL(fileURLWithPath: path).standardizedFileURL
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw Missing(description: "接收目录不存在：\(path)")
        }
        var registries: [LocalDate: [File]] = [:]
        var days: [LocalDate: [File]] = [:]
        var notes: [String] = []
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: root.path).sorted() {
            let url = root.appendingPathComponent(name)
            guard Landing.admit(url, relative: name, notes: &notes) else { continue }
            if name == "registry" {
                let entries = (try? fm.contentsOfDirectory(atPath: url.path).sorted()) ?? []
                for entry in entries {
                    let entryURL = url.appendingPathComponent(entry)
                    guard Landing.admit(entryURL, relative: "registry/\(entry)", notes: &notes) else { continue }
                    let stem = (entry as NSString).deletingPathExtension
                    guard let date = LocalDate(iso: Landing.isFolder(entryURL) ? entry : stem) else {
                        notes.append("名录文件名不是日期（应为 registry/YYYY-MM-DD.xlsx），未读取：registry/\(entry) / registry entry not named by a date")
                        continue
                    }
                    registries[date, default: []] += Landing.files(under: entryURL, relative: "registry/\(entry)", day: date,
                                                                   notes: &notes)
                }
            } else if let date = LocalDate(iso: name), Landing.isFolder(url) {
                days[date] = Landing.files(under: url, relative: name, day: date, notes: &notes)
            } else {
                notes.append("接收目录中的“\(name)”不是 YYYY-MM-DD 日期目录，其中的文件未读取；请改名为如 2020-02-17 / "
                             + "not a YYYY-MM-DD landing folder: its files were not read")
            }
        }
        self.registries = registries
        self.days = days
        self.notes = notes
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Whether to look at `url` at all: symbolic links are never followed (no loops, nothing read from
    /// outside the landing), hidden and Office temporary (`~$`) files are skipped; each is noted.
    private static func admit(_ url: URL, relative: String, notes: inout [String]) -> Bool {
        let name = url.lastPathComponent
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) {
            notes.append("符号链接未跟随：\(relative) → \(link) / symbolic link not followed")
            return false
        }
        if name.hasPrefix(".") || name.hasPrefix("~$") {
            notes.append("已跳过隐藏文件或Office临时文件：\(relative) / hidden or Office temporary file skipped")
            return false
        }
        return true
    }

    /// Why a file of this name is not read, with what to do.
    static func refusal(forFileNamed name: String) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        switch ext {
        case "xls": return "旧版Excel 97–2003（.xls）文件暂不能读取：请用Excel或WPS另存为.xlsx后重新报送 / old .xls: save as .xlsx"
        case "et", "ett": return "WPS表格（.\(ext)）文件不能读取：请在WPS中另存为.xlsx后重新报送 / WPS sheet: save as .xlsx"
        case "": return "文件没有扩展名，无法判断格式：请另存为.xlsx或.csv后重新报送 / no extension: save as .xlsx or .csv"
        default: return "不支持的文件类型（.\(ext)）：请按表单模板填写并另存为.xlsx、.xml或.csv后报送 / unsupported file type"
        }
    }

    /// Every file at or below `url`, sorted by relative path; a file of an unknown type is listed
    /// with its refusal, an unreadable folder is noted.
    private static func files(under url: URL, relative: String, day: LocalDate, notes: inout [String]) -> [File] {
        if !isFolder(url) {
            guard let format = TableFormat(fileName: relative) else {
                return [File(relativePath: relative, format: .csv, day: day, refusal: refusal(forFileNamed: relative))]
            }
            return [File(relativePath: relative, format: format, day: day)]
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else {
            notes.append("无法读取目录（权限不足？）：\(relative)，其中的文件未读取 / folder cannot be read")
            return []
        }
        return names.sorted().flatMap { name -> [File] in
            let child = url.appendingPathComponent(name)
            guard admit(child, relative: "\(relative)/\(name)", notes: &notes) else { return [] }
            return files(under: child, relative: "\(relative)/\(name)", day: day, notes: &notes)
        }
    }

    /// The newest landing day.
    public var newestDay: LocalDate? { days.keys.max() }
}
