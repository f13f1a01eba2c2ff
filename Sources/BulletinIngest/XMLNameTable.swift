/// The element and attribute names an XML handler compares with, interned for `XMLScanner`: each its
/// own NUL-terminated copy (the pointer the handler keeps), found again from a name's bytes by its
/// packed key (`XMLBytes.key`) in a small open-addressed table; every other name is one pointer.
final class XMLNameTable {
    private var names: [[UInt8]] = []
    private var pointers: [UnsafeMutablePointer<UInt8>] = []
    private let otherName: UnsafeMutablePointer<UInt8>
    /// Keys (never 0: a key holds the name's length) and names, at most half full: a lookup is one probe, mostly.
    private let keys: UnsafeMutablePointer<UInt64>
    private let found: UnsafeMutablePointer<UnsafePointer<UInt8>>
    private static let size = 64

    init() {
        otherName = .allocate(capacity: 1)
        otherName.initialize(to: 0)
        keys = .allocate(capacity: Self.size)
        keys.initialize(repeating: 0, count: Self.size)
        found = .allocate(capacity: Self.size)
        found.initialize(repeating: UnsafePointer(otherName), count: Self.size)
    }

    deinit {
        for p in pointers { p.deallocate() }
        keys.deallocate()
        found.deallocate()
        otherName.deallocate()
    }

    /// The table's own copy of `name`.
    func interned(_ name: String) -> UnsafePointer<UInt8> {
        let bytes = Array(name.utf8)
        if let known = names.firstIndex(of: bytes) { return UnsafePointer(pointers[known]) }
        // A handler asks for its dozen names when it is bound; the table stays at most half full.
        precondition(names.count < Self.size / 2, "XMLNameTable: more names interned than the table holds")
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + 1)
        pointer.initialize(from: bytes + [0], count: bytes.count + 1)
        names.append(bytes)
        pointers.append(pointer)
        let key = bytes.withUnsafeBufferPointer { XMLBytes.key($0.baseAddress!, bytes.count) }
        var slot = Self.slot(key)
        while keys[slot] != 0 { slot = (slot + 1) & (Self.size - 1) }
        keys[slot] = key
        found[slot] = UnsafePointer(pointer)
        return UnsafePointer(pointer)
    }

    /// The interned pointer of the local name at `name` (`readable` bytes may be read from there): the
    /// asked-for name's, or the one for every other name.
    @inline(__always)
    func lookup(_ name: UnsafePointer<UInt8>, _ length: Int, readable: Int) -> UnsafePointer<UInt8> {
        let key = readable >= 8 ? XMLBytes.key(word: UnsafeRawPointer(name).loadUnaligned(as: UInt64.self), length) : XMLBytes.key(name, length)
        var slot = Self.slot(key)
        while keys[slot] != 0 {
            if keys[slot] == key, length <= 7 || XMLBytes.equal(found[slot], name, length) { return found[slot] }
            slot = (slot + 1) & (Self.size - 1)
        }
        return UnsafePointer(otherName)
    }

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 58) }
}
