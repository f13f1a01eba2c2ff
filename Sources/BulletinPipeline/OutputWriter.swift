import Foundation

/// Writes a date's outputs aside, then moves them into place together, so a reader
/// sees the previous complete set or the new complete set, never a mix.
enum OutputWriter {
    struct Failed: Error, CustomStringConvertible { var description: String }

    static func publish(_ files: [(name: String, bytes: [UInt8])], into out: URL, date: String) throws {
        let fm = FileManager.default
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = out.appendingPathComponent(".\(date).staging-\(pid)")
        let retired = out.appendingPathComponent(".\(date).retired-\(pid)")
        let final = out.appendingPathComponent(date)
        do {
            try fm.createDirectory(at: out, withIntermediateDirectories: true)
            try? fm.removeItem(at: staging)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for f in files {
                try Data(f.bytes).write(to: staging.appendingPathComponent(f.name))
            }
            if fm.fileExists(atPath: final.path) {
                try? fm.removeItem(at: retired)
                try fm.moveItem(at: final, to: retired)
            }
            try fm.moveItem(at: staging, to: final)
            try? fm.removeItem(at: retired)
        } catch {
            try? fm.removeItem(at: staging)
            if !fm.fileExists(atPath: final.path), fm.fileExists(atPath: retired.path) {
                try? fm.moveItem(at: retired, to: final)
            }
            throw Failed(description: "无法写出\(date)的结果：\(error.localizedDescription)")
        }
    }
}
