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
    /// Whether the store held entries made under another key or pseudonym function, and was emptied.
    public let emptiedForAnotherKey: Bool

    /// Opens (or makes) the store at `path`, readable by its owner only. Entries made under another
    /// key (or pseudonym function) than `pseudonyms`' are dropped: their pseudonyms would not match.
    public init(path: URL, pseudonyms: Pseudonymizer) throws {
        self.pseudonyms = pseudonyms
        try StateFolder.privateFolder(path.deletingLastPathComponent())
        let fd = open(path.path, O_WRONLY | O_CREAT, 0o600)   // SQLite gives its -wal and -shm files this mode
        if fd >= 0 { close(fd) }
        chmod(path.path, 0o600)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        // Read through a memory map rather than a read() per page: a warm night reads thousands of rows.
        // A command leaves the store open to its exit (`Pipeline.leavesInputsToExit`), so no close
        // checkpoints and deletes the WAL: SQLite truncates it to 4 MiB when it starts it over instead
        // of keeping the size of the longest write (a cold season's, as large as the store).
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            try db.execute(sql: "PRAGMA journal_size_limit = 4194304")
        }
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
            // Replaced by `folders` below; kept so that every store migrates through the same history.
            try db.create(table: "digests") { t in
                t.primaryKey("path", .text)
                t.column("stamp", .text).notNull()
                t.column("sha256", .text).notNull()
            }
        }
        migrator.registerMigration("folders") { db in
            // The digests of the files last read, a row per folder (its absolute path keyed, never in the
            // clear) holding each file's stamp and digest: a warm night reads only the files that changed,
            // with a lookup per folder (one per file, by keyed path, was a tenth of a warm night).
            try db.drop(table: "digests")
            try db.create(table: "folders") { t in
                t.primaryKey("path", .text)
                t.column("files", .blob).notNull()
            }
        }
        migrator.registerMigration("periods") { db in
            // Past dates' reporting and counts by `PeriodMemo`'s key: the period charts of the next night.
            try db.create(table: "periods") { t in
                t.primaryKey("key", .text)
                t.column("figures", .blob).notNull()
            }
        }
        try migrator.migrate(pool)
        let fingerprint = pseudonyms.fingerprint
        emptiedForAnotherKey = try pool.write { db in
            let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'key'")
            guard stored != fingerprint else { return false }
            try db.execute(sql: "DELETE FROM files")
            try db.execute(sql: "DELETE FROM folders")
            try db.execute(sql: "DELETE FROM periods")
            try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES ('key', ?)", arguments: [fingerprint])
            return stored != nil   // a new store has no key yet: nothing was emptied
        }
    }

    /// The store at `path`, or — when it is corrupt or cannot be opened — a fresh one, the bad file
    /// set aside as `<path>.corrupt-<time>`; nil (parse everything) when not even that works. The
    /// cache is an optimisation: it never costs the night. `log` hears what happened.
    public static func openOrRebuild(path: URL, pseudonyms: Pseudonymizer, log: (String) -> Void) -> IngestCache? {
        do {
            let cache = try IngestCache(path: path, pseudonyms: pseudonyms)
            if cache.emptiedForAnotherKey {
                log("warning=缓存由另一密钥或另一化名算法生成，已清空，本次所有文件重新读取 / store made under another key or "
                    + "pseudonym function: emptied, every file is read again")
            }
            return cache
        } catch {
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

    /// A file as the store holds it: everything but its roster rows, which `forEachRoster(keys:_:)`
    /// fetches only for the files whose snapshots a run holds in force.
    struct Hit {
        var validated: ValidatedFile
        var encoding: String?
    }

    /// What `load` is asked for a file: its cache key, its source, and the stored records to decode.
    typealias Request = (key: String, source: String, keeping: ValidatedFile.StoredRecordDates?)

    /// The cached files asked for (by digest and year), each decoded as its own source and keeping what
    /// its request says (see `ValidatedFile(decoding:source:keeping:)`); nil for an absent, stale or
    /// unreadable entry. A warm night asks for every file of the season at once: the table is then walked
    /// (`loadByWalking`); fewer requests are looked up by key, the two halves side by side, each in one
    /// read (a read per batch of sixteen opened 183 transactions) and one statement per batch of keys (a
    /// statement and a cursor per file were a third of reading the store). Entries are decoded straight
    /// from SQLite's row.
    func load(_ requests: [Request]) -> [Hit?] {
        guard requests.count > 1 else { return loadInOneRead(requests[...]) }
        if let walked = loadByWalking(requests) { return walked }
        let middle = requests.count / 2
        let halves = try? Concurrently.both({ loadInOneRead(requests[..<middle]) }, { loadInOneRead(requests[middle...]) })
        return halves.map { $0.0 + $0.1 } ?? [Hit?](repeating: nil, count: requests.count)
    }

    /// `load` by walking the table in parts of its rows (`walkParts`) on all cores, when `requests` name at
    /// least half of its entries: a walk reads each page once, where a lookup went down the key's index
    /// and then the table for each key (a third of the instructions of a warm night's read). Each entry is
    /// decoded into its request's slot (a row's keys are the table's: the parts never write the same
    /// slot). Nil when they name fewer, or a read fails.
    private func loadByWalking(_ requests: [Request]) -> [Hit?]? {
        let asked = Asked(requests)
        guard let (entries, first, last) = try? pool.read({ db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM files") ?? 0, try Int.fetchOne(db, sql: "SELECT min(rowid) FROM files") ?? 0,
             try Int.fetchOne(db, sql: "SELECT max(rowid) FROM files") ?? 0)
        }), entries > 0, asked.first.count * 2 >= entries else { return nil }
        var walked = true
        let hits = [Hit?](unsafeUninitializedCapacity: requests.count) { slots, initialized in
            slots.initialize(repeating: nil)
            initialized = requests.count
            nonisolated(unsafe) let out = slots.baseAddress!
            @Sendable func walk(_ rows: ClosedRange<Int>) throws {
                try pool.read { db in
                    let statement = try db.cachedStatement(sql: "SELECT key, encoding, payload FROM files WHERE rowid BETWEEN ? AND ? AND codec = ?")
                    let cursor = try Row.fetchCursor(statement, arguments: [rows.lowerBound, rows.upperBound, ValidatedFile.codecVersion])
                    while let row = try cursor.next() { try Self.decode(row, asked: asked, requests: requests, into: out) }
                }
            }
            // In parts the cores take as they come free: the newest rows are the costly ones (the daily
            // reports a night looks back on are decoded, older ones skipped), and with the table in two
            // halves the core given the older one idled for most of the walk.
            let parts = Self.walkParts, span = (last - first) / parts + 1
            nonisolated(unsafe) let partsWalked = UnsafeMutableBufferPointer<Bool>.allocate(capacity: parts)
            partsWalked.initialize(repeating: false)
            defer { partsWalked.deallocate() }
            DispatchQueue.concurrentPerform(iterations: parts) { k in
                let lowest = first + k * span
                partsWalked[k] = lowest > last || (try? walk(lowest...min(last, lowest + span - 1))) != nil
            }
            walked = partsWalked.allSatisfy { $0 }
        }
        return walked ? hits : nil
    }

    /// How many parts `loadByWalking` walks the table in, each in a read of its own.
    private static let walkParts = 8

    /// `load` of `requests` in one read.
    private func loadInOneRead(_ slice: ArraySlice<Request>) -> [Hit?] {
        let requests = Array(slice)
        let asked = Asked(requests)
        let keys = Array(asked.first.keys)
        var hits = [Hit?](repeating: nil, count: requests.count)
        let read: ()? = hits.withUnsafeMutableBufferPointer { slots in
            try? pool.read { db in
                for start in stride(from: 0, to: keys.count, by: 500) {   // well within SQLite's limit on parameters
                    let batch = keys[start..<min(keys.count, start + 500)]
                    let marks = String(repeating: "?,", count: batch.count - 1) + "?"
                    let statement = try db.cachedStatement(sql: "SELECT key, encoding, payload FROM files WHERE key IN (\(marks)) AND codec = ?")
                    let rows = try Row.fetchCursor(statement, arguments: StatementArguments(batch) + [ValidatedFile.codecVersion])
                    while let row = try rows.next() { try Self.decode(row, asked: asked, requests: requests, into: slots.baseAddress!) }
                }
            }
        }
        return read == nil ? [Hit?](repeating: nil, count: requests.count) : hits
    }

    /// Where in a list of requests each key is asked for: the newest position by key, and after each
    /// position the one before it asking for the same key (-1: none); the same bytes may land under two
    /// names. (An array of positions per key was an allocation per file of a warm night.)
    private struct Asked: Sendable {
        let first: [String: Int]
        let next: [Int]

        init(_ requests: [Request]) {
            var first: [String: Int] = [:], next = [Int](repeating: -1, count: requests.count)
            first.reserveCapacity(requests.count)
            for i in requests.indices { next[i] = first.updateValue(i, forKey: requests[i].key) ?? -1 }
            self.first = first
            self.next = next
        }
    }

    /// Decodes the entry in `row` (key, encoding, payload) into the slot of each request asking for its
    /// key, as that request's file; a slot stays nil when its payload no longer decodes.
    private static func decode(_ row: Row, asked: Asked, requests: [Request], into slots: UnsafeMutablePointer<Hit?>) throws {
        guard let key = row[0] as String?, var i = asked.first[key] else { return }
        let encoding = row[1] as String?
        try row.withUnsafeData(atIndex: 2) { payload in
            guard let payload else { return }
            payload.withUnsafeBytes { bytes in
                while i >= 0 {
                    if let file = try? ValidatedFile(decoding: bytes, source: requests[i].source, keeping: requests[i].keeping) {
                        slots[i] = Hit(validated: file, encoding: encoding)
                    }
                    i = asked.next[i]
                }
            }
        }
    }

    /// Lends `use` the roster rows of each cached file under `keys`, still encoded, as they are read: in
    /// two reads side by side with one prepared statement each (a read per file prepared the statement
    /// and opened a transaction 455 times a night), `use` called from both at once, once per key found.
    /// `blob` is SQLite's own copy of the row, valid during the call only: a night's rows in force are never
    /// copied out encoded (20 MB, and their page faults, on every warm night). Absent or stale entries,
    /// or all when a read fails, are not lent.
    func forEachRoster(keys: [String], _ use: @escaping @Sendable (_ key: String, _ blob: UnsafeRawBufferPointer) -> Void) {
        let keys = Array(Set(keys))
        guard !keys.isEmpty else { return }
        @Sendable func read(_ keys: ArraySlice<String>) throws {
            try pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT roster FROM files WHERE key = ? AND codec = ?")
                for key in keys {
                    let rows = try Row.fetchCursor(statement, arguments: [key, ValidatedFile.codecVersion])
                    guard let row = try rows.next() else { continue }
                    try row.withUnsafeData(atIndex: 0) { data in data?.withUnsafeBytes { use(key, $0) } }
                }
            }
        }
        let middle = keys.count / 2
        _ = try? Concurrently.both({ try read(keys[..<middle]) }, { try read(keys[middle...]) })
    }

    /// Stores newly ingested files, and the digests of the files whose digest `seen` knows (read this
    /// run or unchanged since `known` was looked up), in one transaction. Only folders where a file was
    /// read are written: each with what `known` holds for it, a file that changed replacing its old entry.
    func store(_ files: [IngestedFile], seen: [(path: [UInt8], stamp: FileName.Stamp, sha256: String)], known: Digests?) throws {
        var read: [[UInt8]: [(stamp: FileName.Stamp, sha256: String)]] = [:]
        for d in seen where known?.sha256(stamp: d.stamp) != d.sha256 {
            read[IngestCache.folder(of: d.path), default: []].append((d.stamp, d.sha256))
        }
        let changed = read.map { folder, entries in
            let files = Set(entries.map { [$0.stamp.device, $0.stamp.inode] })
            var all = (known?.byFolder[folder] ?? [:]).filter { !files.contains([$0.key.device, $0.key.inode]) }
            for e in entries { all[e.stamp] = e.sha256 }
            return (folder: folder, entries: all)
        }
        guard !files.isEmpty || !changed.isEmpty else { return }
        try pool.write { db in
            for f in files where !f.sha256.isEmpty {
                let (main, roster) = f.storePayloads
                try db.execute(sql: "INSERT OR REPLACE INTO files (key, codec, encoding, payload, roster) VALUES (?, ?, ?, ?, ?)",
                               arguments: [f.cacheKey, ValidatedFile.codecVersion, f.encoding, Data(main), Data(roster)])
            }
            for (folder, entries) in changed {
                try db.execute(sql: "INSERT OR REPLACE INTO folders (path, files) VALUES (?, ?)",
                               arguments: [pseudonyms.digest(folder), Data(Digests.encoded(entries))])
            }
        }
    }

    /// The figures kept under `keys` (`PeriodMemo`'s), by key; none when the read fails.
    func periods(_ keys: [String]) -> [String: [UInt8]] {
        lookUpOnBothCores(keys) { db, keys in
            let statement = try db.cachedStatement(sql: "SELECT figures FROM periods WHERE key = ?")
            return try keys.compactMap { key -> (String, [UInt8])? in
                guard let row = try Row.fetchOne(statement, arguments: [key]),
                      let figures = try row.withUnsafeData(atIndex: 0, { $0.map { [UInt8]($0) } }) else { return nil }
                return (key, figures)
            }
        }
    }

    /// Keeps `figures` under their keys, in one transaction.
    func storePeriods(_ figures: [(key: String, figures: [UInt8])]) throws {
        guard !figures.isEmpty else { return }
        try pool.write { db in
            for f in figures {
                try db.execute(sql: "INSERT OR REPLACE INTO periods (key, figures) VALUES (?, ?)", arguments: [f.key, Data(f.figures)])
            }
        }
    }

    /// The recorded digests of the files in `folders` (absolute, each once): a lookup per folder, the
    /// folders looked up in two reads side by side.
    func digests(forFolders folders: [[UInt8]]) -> Digests {
        Digests(byFolder: lookUpOnBothCores(folders) { [pseudonyms] db, folders in
            let statement = try db.cachedStatement(sql: "SELECT files FROM folders WHERE path = ?")
            return try folders.compactMap { folder -> ([UInt8], [FileName.Stamp: String])? in
                guard let row = try Row.fetchOne(statement, arguments: [pseudonyms.digest(folder)]),
                      let entries = try row.withUnsafeData(atIndex: 0, { $0.flatMap { Digests.decoded([UInt8]($0)) } })
                else { return nil }
                return (folder, entries)
            }
        })
    }

    /// The folder part of an absolute path: up to its last `/`.
    static func folder(of path: [UInt8]) -> [UInt8] {
        Array(path[..<(path.lastIndex(of: UInt8(ascii: "/")) ?? path.startIndex)])
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
}
