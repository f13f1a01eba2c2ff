import BulletinCore
import BulletinValidate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where bulletin keeps what is not for publishing: the bureau's pseudonym key and the ingest store.
/// Outside the output folder by default, readable by its owner only (folder 0700, files 0600).
public struct StateFolder: Sendable {
    public let url: URL

    /// `path`, else `$BULLETIN_STATE_DIR`, else `$XDG_STATE_HOME/bulletin`, else `~/.local/state/bulletin`.
    public init(_ path: String?) throws {
        let env = ProcessInfo.processInfo.environment
        let chosen = path ?? env["BULLETIN_STATE_DIR"] ?? env["XDG_STATE_HOME"].map { $0 + "/bulletin" }
            ?? NSHomeDirectory() + "/.local/state/bulletin"
        url = URL(fileURLWithPath: chosen)
        try StateFolder.privateFolder(url)
    }

    /// The ingest store's default place.
    public var cache: URL { url.appendingPathComponent("ingest.sqlite") }

    /// The bureau's key: read from `keyFile` (default `<state>/bureau.key`), or made on first use
    /// (32 random bytes, hex, mode 0600).
    public func pseudonymizer(keyFile: String?) throws -> Pseudonymizer {
        let file = keyFile.map { URL(fileURLWithPath: $0) } ?? url.appendingPathComponent("bureau.key")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let key = StateFolder.bytes(hex: hex), key.count >= 16 else {
                throw PipelineError.state(detail: "密钥文件损坏（应为至少32位十六进制）/ key file is not hex: \(file.path)")
            }
            return Pseudonymizer(key: key)
        }
        var key = [UInt8](repeating: 0, count: 32)
        var g = SystemRandomNumberGenerator()
        for i in key.indices { key[i] = UInt8.random(in: 0...255, using: &g) }
        try StateFolder.privateFolder(file.deletingLastPathComponent())
        try StateFolder.writePrivate(Array((Hex.string(key) + "\n").utf8), to: file)
        return Pseudonymizer(key: key)
    }

    /// Creates `url` if needed and makes it 0700.
    static func privateFolder(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        chmod(url.path, 0o700)
    }

    /// Writes a file only its owner can read, created so from the start.
    static func writePrivate(_ bytes: [UInt8], to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, 0o600)
        guard fd >= 0 else { throw PipelineError.state(detail: "无法创建密钥文件 / cannot create key file \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw PipelineError.state(detail: "无法写入密钥文件 / cannot write key file \(url.path)") }
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let b = UInt8(String(decoding: chars[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
        }
        return out
    }
}
