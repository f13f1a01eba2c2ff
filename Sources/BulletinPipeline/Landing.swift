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
    }

    public let root: URL
    /// Registry revisions by date, each with its files.
    public let registries: [LocalDate: [File]]
    /// Landing days, each with its files (sub-folders included), sorted by path.
    public let days: [LocalDate: [File]]
    /// Files the pipeline does not read (no known extension), for the log.
    public let ignored: [String]

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
        var ignored: [String] = []
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: root.path).sorted() where !name.hasPrefix(".") {
            let url = root.appendingPathComponent(name)
            if name == "registry" {
                for entry in try fm.contentsOfDirectory(atPath: url.path).sorted() where !entry.hasPrefix(".") {
                    let stem = (entry as NSString).deletingPathExtension
                    guard let date = LocalDate(iso: stem) else { ignored.append("registry/\(entry)"); continue }
                    let files = Landing.files(under: url.appendingPathComponent(entry), relative: "registry/\(entry)",
                                              day: date, ignored: &ignored)
                    registries[date, default: []] += files
                }
            } else if let date = LocalDate(iso: name) {
                days[date] = Landing.files(under: url, relative: name, day: date, ignored: &ignored)
            } else {
                ignored.append(name)
            }
        }
        self.registries = registries
        self.days = days
        self.ignored = ignored
    }

    /// Every file at or below `url`, sorted by relative path.
    private static func files(under url: URL, relative: String, day: LocalDate, ignored: inout [String]) -> [File] {
        var isDir: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
        if !isDir.boolValue {
            guard let format = TableFormat(fileName: relative) else { ignored.append(relative); return [] }
            return [File(relativePath: relative, format: format, day: day)]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") && !$0.hasPrefix("~$") }.flatMap {
            files(under: url.appendingPathComponent($0), relative: "\(relative)/\($0)", day: day, ignored: &ignored)
        }
    }

    /// The registry revision in force on `date`: the newest dated on or before it.
    public func registryDate(on date: LocalDate) -> LocalDate? {
        registries.keys.filter { $0 <= date }.max()
    }

    /// The newest landing day.
    public var newestDay: LocalDate? { days.keys.max() }
}
