import BulletinCore

extension IngestCache {
    /// The digests of the files the last runs read, by folder and stamp.
    struct Digests: Sendable {
        let byFolder: [[UInt8]: [FileName.Stamp: String]]
        /// Every folder's entries together: a stamp names one file (its device and inode) as it was when
        /// read (its size and times, the change time moving with any rename or write), wherever it is.
        private let byStamp: [FileName.Stamp: String]

        init(byFolder: [[UInt8]: [FileName.Stamp: String]]) {
            self.byFolder = byFolder
            byStamp = byFolder.values.reduce(into: [:]) { all, entries in all.merge(entries) { a, _ in a } }
        }

        /// The digest of the file with `stamp`; nil when unknown or changed.
        func sha256(stamp: FileName.Stamp) -> String? { byStamp[stamp] }

        /// A folder's entries as the store keeps them: stamps and hex digests, in stamp order.
        static func encoded(_ entries: [FileName.Stamp: String]) -> [UInt8] {
            var w = BinaryWriter()
            w.array(entries.sorted { ($0.key.device, $0.key.inode) < ($1.key.device, $1.key.inode) }) { w, e in
                w.int(e.key.size); w.int(e.key.modified); w.int(e.key.changed); w.fixed64(e.key.inode)
                w.fixed64(e.key.device); w.string(e.value)
            }
            return w.bytes
        }

        /// What `encoded` wrote; nil when it does not decode (the folder's files are then read and hashed again).
        static func decoded(_ bytes: [UInt8]) -> [FileName.Stamp: String]? {
            let entries = BinaryReader.reading(bytes) { r -> [(FileName.Stamp, String)]? in
                guard let entries = try? r.array({ r in
                    (FileName.Stamp(size: try r.int(), modified: try r.int(), changed: try r.int(), inode: try r.fixed64(),
                                    device: try r.fixed64()), try r.string())
                }), r.atEnd else { return nil }
                return entries
            }
            return entries.map { Dictionary($0) { a, _ in a } }
        }
    }
}
