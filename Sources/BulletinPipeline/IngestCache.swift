import BulletinCore
import BulletinValidate
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What was ingested from each input file, kept in SQLite and keyed by the file's SHA-256
/// (with the landing day's year, which completes dates typed without one), so a run does not
/// parse again what an earlier run already parsed.
///
/// Entries carry the codec version; a file of another version is parsed again. SQLite's
/// transactions keep the cache consistent when a run is killed at any point.
public final class IngestCache: Sendable {
    private let pool: DatabasePool
    /// Keys the paths of the digests table: a file may be named by an ID number, and the store never
    /// holds one in the clear.
    private let pseudonyms: Pseudonymizer

    /// Opens (or makes) the store at `path`, readable by its owner only. Entries made under another
    /// key than `pseudonyms` are dropped: their pseudonyms would not match this key's.
    public init(path: URL, pseudonyms: Pseudonymizer) throws {
        self.pseudonyms = pseudonyms
        try StateFolder.privateFolder(path.deletingLastPathComponent())
        let fd = open(path.path, O_WRONLY | O_CREAT, 0o600)   // SQLite gives its -wal and -shm files this mode
        if fd >= 0 { close(fd) }
        chmod(path.path, 0o600)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        pool = try DatabasePool(path: path.path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("files") { db in
            try db.create(table: "files") { t in
                t.primaryKey("key", .text)
                t.column("codec", .integer).notNull()
                t.column("encoding", .text)
                t.column("payload", .blob).notNull()
                // Roster rows apart, decoded only for the snapshots a run needs.
                t.column("roster", .blob).notNull()
            }
        }
        migrator.registerMigration("key") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("name", .text)
                t.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("digests") { db in
            // The digest of each file last read, by its absolute path (keyed, never in the clear) and
            // stamp: a warm night reads only the files that changed.
            try db.create(table: "digests") { t in
                t.primaryKey("path", .text)
                t.column("stamp", .text).notNull()
                t.column("sha256", .text).notNull()
            }
        }
        try migrator.migrate(pool)
        let fingerprint = pseudonyms.fingerprint
        try pool.write { db in
            let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'key'")
            if stored != fingerprint {
                try db.execute(sql: "DELETE FROM files")
                try db.execute(sql: "DELETE FROM digests")
                try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES ('key', ?)", arguments: [fingerprint])
            }
        }
    }

    /// The store at `path`, or — when it is corrupt or cannot be opened — a fresh one, the bad file
    /// set aside as `<path>.corrupt-<time>`; nil (parse everything) when not even that works. The
    /// cache is an optimisation: it never costs the night. `log` hears what happened.
    public static func openOrRebuild(path: URL, pseudonyms: Pseudonymizer, log: (String) -> Void) -> IngestCache? {
        do { return try IngestCache(path: path, pseudonyms: pseudonyms) } catch {
            let aside = URL(fileURLWithPath: path.path + ".corrupt-\(Int(Date().timeIntervalSince1970))")
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.moveItem(atPath: path.path + suffix, toPath: aside.path + suffix)
            }
            log("warning=缓存无法打开（\(error)），已移至 \(aside.lastPathComponent) 并重建 / cache unusable, set aside and rebuilt")
            do { return try IngestCache(path: path, pseudonyms: pseudonyms) } catch {
                log("warning=缓存无法重建（\(error)），本次不使用缓存 / cache cannot be rebuilt: running without it")
                return nil
            }
        }
    }

    /// A file as the store holds it: everything but its roster rows, which `rosters(keys:)` fetches
    /// only for the files whose snapshots a run holds in force.
    struct Hit {
        var validated: ValidatedFile
        var encoding: String?
    }

    /// The cached files under `keys` (digest and year), each decoded as its source, in one read;
    /// absent, stale or unreadable entries are left out.
    func load(_ keys: [(key: String, source: String)]) -> [String: Hit] {
        guard !keys.isEmpty else { return [:] }
        // Decoded straight from SQLite's row (copying the row first copied every payload once more).
        let hits = try? pool.read { db -> [String: Hit] in
            let statement = try db.cachedStatement(sql: "SELECT encoding, payload FROM files WHERE key = ? AND codec = ?")
            var hits: [String: Hit] = [:]
            for k in keys where hits[k.key] == nil {
                let rows = try Row.fetchCursor(statement, arguments: [k.key, ValidatedFile.codecVersion])
                guard let row = try rows.next(),
                      let validated = try row.withUnsafeData(atIndex: 1, { payload in
                          payload.flatMap { try? ValidatedFile(decoding: [UInt8]($0), source: k.source) }
                      }) else { continue }
                hits[k.key] = Hit(validated: validated, encoding: row[0])
            }
            return hits
        }
        return hits ?? [:]
    }

    /// The cached file under `key`, decoded as `source`; nil when absent, stale or unreadable.
    func load(key: String, source: String) -> Hit? { load([(key, source)])[key] }

    /// The roster rows of the cached files under `keys`, still encoded, in two reads side by side with
    /// one prepared statement each (a read per file prepared the statement and opened a transaction 455
    /// times a night); absent or stale entries are left out.
    func rosters(keys: [String]) -> [String: [UInt8]] {
        lookUpOnBothCores(Array(Set(keys))) { db, keys in
            let statement = try db.cachedStatement(sql: "SELECT roster FROM files WHERE key = ? AND codec = ?")
            return try keys.compactMap { key -> (String, [UInt8])? in
                let rows = try Row.fetchCursor(statement, arguments: [key, ValidatedFile.codecVersion])
                guard let row = try rows.next(), let blob = try row.withUnsafeData(atIndex: 0, { $0.map { [UInt8]($0) } }) else { return nil }
                return (key, blob)
            }
        }
    }

    /// Stores newly ingested files, and the digests of files read this run, in one transaction.
    func store(_ files: [IngestedFile], digests: [(path: [UInt8], stamp: FileName.Stamp, sha256: String)]) throws {
        guard !files.isEmpty || !digests.isEmpty else { return }
        try pool.write { db in
            for f in files where !f.sha256.isEmpty {
                let (main, roster) = f.storePayloads
                try db.execute(sql: "INSERT OR REPLACE INTO files (key, codec, encoding, payload, roster) VALUES (?, ?, ?, ?, ?)",
                               arguments: [f.cacheKey, ValidatedFile.codecVersion, f.encoding, Data(main), Data(roster)])
            }
            for d in digests {
                try db.execute(sql: "INSERT OR REPLACE INTO digests (path, stamp, sha256) VALUES (?, ?, ?)",
                               arguments: [pseudonyms.digest(d.path), IngestCache.text(d.stamp), d.sha256])
            }
        }
    }

    /// The recorded digests of the files at `paths` (absolute), looked up by their keyed paths in two
    /// reads side by side with one prepared statement each: a run reads what its landing lists, however
    /// many files the store has seen (loading every recorded digest was a sixth of a warm night on a
    /// store that had seen ten landings' worth).
    func digests(for paths: [[UInt8]]) -> Digests {
        Digests(byPath: lookUpOnBothCores(paths) { [pseudonyms] db, paths in
            let statement = try db.cachedStatement(sql: "SELECT stamp, sha256 FROM digests WHERE path = ?")
            return try paths.compactMap { path -> ([UInt8], (stamp: FileName.Stamp, sha256: String))? in
                guard let row = try Row.fetchOne(statement, arguments: [pseudonyms.digest(path)]),
                      let text = row[0] as String?, let stamp = IngestCache.stamp(text), let sha = row[1] as String? else { return nil }
                return (path, (stamp, sha))
            }
        })
    }

    /// `lookUp` over the two halves of `items` at once, each half in a read of its own (the pool serves
    /// readers side by side): one read on one core left the other idle for a tenth of a warm night.
    /// Nothing is found when a read fails (the files are then read again: the store never costs the night).
    private func lookUpOnBothCores<Item: Sendable, Key: Hashable, Value>(
        _ items: [Item], _ lookUp: @escaping @Sendable (Database, ArraySlice<Item>) throws -> [(Key, Value)]
    ) -> [Key: Value] {
        guard !items.isEmpty else { return [:] }
        let middle = items.count / 2
        guard let (first, second) = try? Concurrently.both({ try pool.read { try lookUp($0, items[..<middle]) } },
                                                           { try pool.read { try lookUp($0, items[middle...]) } })
        else { return [:] }
        return Dictionary(first + second, uniquingKeysWith: { a, _ in a })
    }

    /// The digests of the files the last runs read, by path and stamp.
    struct Digests: Sendable {
        let byPath: [[UInt8]: (stamp: FileName.Stamp, sha256: String)]

        /// The digest of the file at `path` when it still has `stamp`; nil when unknown or changed.
        func sha256(path: [UInt8], stamp: FileName.Stamp) -> String? {
            guard let known = byPath[path], known.stamp == stamp else { return nil }
            return known.sha256
        }
    }

    /// A stamp as the digests table keeps it: `size:modified:changed:inode:device`.
    fileprivate static func text(_ s: FileName.Stamp) -> String { "\(s.size):\(s.modified):\(s.changed):\(s.inode):\(s.device)" }

    /// The stamp `text` writes, read back once per recorded file (formatting each file's stamp to compare
    /// it was a fortieth of a warm night with 30 days of history); nil when it is not one, and the file
    /// is then read and hashed again.
    static func stamp(_ text: String) -> FileName.Stamp? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 5, let size = Int(parts[0]), let modified = Int(parts[1]), let changed = Int(parts[2]),
              let inode = UInt64(parts[3]), let device = UInt64(parts[4]) else { return nil }
        return FileName.Stamp(size: size, modified: modified, changed: changed, inode: inode, device: device)
    }
}
