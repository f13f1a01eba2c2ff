/// A compact binary writer for the ingest cache: variable-length integers and length-prefixed UTF-8.
///
/// It writes into memory of its own, grown by doubling: a value is a capacity check and a store (an
/// array's append also checked its buffer's uniqueness, and the store's encoding of every roster row
/// was a tenth of a parse worker's time). Not copyable, so that no two writers share that memory.
public struct BinaryWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    public init() {
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// What has been written.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Room for `count` bytes in all, so a large blob is copied in once rather than regrown.
    public mutating func reserveCapacity(_ total: Int) {
        if total > capacity { grow(to: total) }
    }

    /// Room for `more` bytes past those written.
    @inlinable @inline(__always)
    mutating func room(_ more: Int) {
        if count + more > capacity { grow(to: count + more) }
    }

    @usableFromInline
    mutating func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inlinable @inline(__always)
    mutating func byte(_ b: UInt8) {
        room(1)
        base[count] = b
        count += 1
    }

    @inlinable
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { return }
        room(bytes.count)
        (base + count).update(from: from, count: bytes.count)
        count += bytes.count
    }

    /// A zig-zag varint: small magnitudes take one byte. (The writer's primitives are inlinable: they
    /// run for every value the store or a worker encodes, and a call across modules for each was a
    /// third of a worker's encoding.)
    @inlinable @inline(__always)
    public mutating func int(_ v: Int) {
        var z = UInt64(bitPattern: Int64((v << 1) ^ (v >> 63)))   // zig-zag, then 7 bits a byte
        room(10)   // the most a 64-bit varint takes
        while z >= 0x80 {
            base[count] = UInt8(z & 0x7F) | 0x80
            z >>= 7
            count += 1
        }
        base[count] = UInt8(z)
        count += 1
    }

    /// Length-prefixed UTF-8 (read in place: a native string is not copied, nor retained, to be read).
    @inlinable
    public mutating func string(_ s: String) {
        let written: Void? = s.utf8.withContiguousStorageIfAvailable { utf8 in
            int(utf8.count)
            append(utf8)
        }
        guard written == nil else { return }
        var s = s   // a bridged or lazily decoded string is made contiguous first
        s.withUTF8 { utf8 in
            int(utf8.count)
            append(utf8)
        }
    }

    @inlinable
    public mutating func bool(_ b: Bool) { byte(b ? 1 : 0) }
    /// Eight bytes, big-endian (a digest's bits, which a varint would only lengthen).
    @inlinable
    public mutating func fixed64(_ v: UInt64) {
        room(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: v.bigEndian, as: UInt64.self)
        count += 8
    }
    /// Bytes with their length before them.
    public mutating func blob(_ b: [UInt8]) {
        int(b.count)
        raw(b)
    }
    /// Bytes as they are (the reader takes them with `rest()`).
    public mutating func raw(_ b: [UInt8]) { b.withUnsafeBufferPointer { append($0) } }

    /// `count` bytes that `fill` writes in place (zeroed first): fixed-size records, written whole.
    @inlinable
    public mutating func fixed(_ count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        room(count)
        let bytes = UnsafeMutableRawBufferPointer(start: base + self.count, count: count)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
        fill(bytes)
        self.count += count
    }
    @inlinable
    public mutating func date(_ d: LocalDate) { int(d.dayNumber) }

    /// A presence byte, then the value when present.
    @inlinable
    public mutating func optional<T>(_ v: T?, _ write: (inout BinaryWriter, T) -> Void) {
        guard let v else { byte(0); return }
        byte(1)
        write(&self, v)
    }

    @inlinable
    public mutating func optionalInt(_ v: Int?) { optional(v) { $0.int($1) } }
    /// A choice by its ordinal.
    /// (The generic coding functions are inlinable so that the records' codecs, in other modules, get
    /// them specialised: unspecialised, each call looked up type metadata.)
    @inlinable public mutating func choice<C: Choosable>(_ v: C) { int(v.ordinal) }
    @inlinable public mutating func optionalChoice<C: Choosable>(_ v: C?) { optional(v) { $0.choice($1) } }
    @inlinable
    public mutating func optionalDate(_ v: LocalDate?) { optional(v) { $0.date($1) } }
    @inlinable
    public mutating func optionalString(_ v: String?) { optional(v) { $0.string($1) } }
    /// A three-valued yes/no: blank, no, yes.
    @inlinable
    public mutating func optionalBool(_ v: Bool?) { int(v.map { $0 ? 2 : 1 } ?? 0) }

    /// The count, then each item.
    @inlinable
    public mutating func array<T>(_ items: [T], _ write: (inout BinaryWriter, T) -> Void) {
        int(items.count)
        for item in items { write(&self, item) }
    }

    /// What `write` writes, with its length before it: a reader may pass over it whole (`skipSection`).
    public mutating func section(_ write: (inout BinaryWriter) -> Void) {
        var inner = BinaryWriter()
        write(&inner)
        blob(inner.bytes)
    }

    /// A section after the dates its records carry, in order: a reader passes over it when it wants none
    /// of them (`BinaryReader.datedSection`).
    public mutating func datedSection(_ dates: Set<LocalDate>, _ write: (inout BinaryWriter) -> Void) {
        array(dates.sorted()) { $0.date($1) }
        section(write)
    }
}

/// The last string a `BinaryReader` read through it, kept to be handed out again when the same bytes follow.
public struct RepeatedString {
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var string = ""

    public init() {}
}

/// Reads what `BinaryWriter` wrote; a truncated or foreign blob throws instead of crashing: every read
/// checks the bytes left before it touches them. It reads memory it does not own (SQLite's row, as the
/// store hands it out: copying each blob into an array first was 20 MB and 5k page faults a warm night),
/// so it lives inside the closure that lends the bytes (`reading(_:_:)`, or a caller's own). (Its
/// primitives are inlinable: a warm night decodes every roster row in force through them, and a call
/// across modules per value was a third of decoding those rows.)
public struct BinaryReader {
    /// The blob is truncated, foreign, or holds a value out of range.
    public struct Corrupt: Error {
        public init() {}
    }

    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var offset = 0

    /// A reader of `bytes`, which must stay valid and unchanged while it is used.
    public init(unsafeBytes bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// `body`'s answer with a reader of `bytes`.
    @inlinable
    public static func reading<T>(_ bytes: [UInt8], _ body: (inout BinaryReader) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { raw in
            var r = BinaryReader(unsafeBytes: raw)
            return try body(&r)
        }
    }

    public var atEnd: Bool { offset == bytes.count }

    /// The next byte; past the end is corrupt.
    @inlinable
    public mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Corrupt() }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// What `BinaryWriter.int` wrote; more than ten bytes of varint is corrupt. A value of one byte (-64…63:
    /// most counts, lengths and flags) is read here, inlined where it is asked for; longer ones by `longInt`
    /// (the whole loop, left out of line by the optimiser, was a call per value).
    @inlinable @inline(__always)
    public mutating func int() throws -> Int {
        if offset < bytes.count {
            let b = bytes[offset]
            if b < 0x80 {
                offset &+= 1
                return Int(b >> 1) ^ (0 &- Int(b & 1))
            }
        }
        return try longInt()
    }

    /// `int` of a varint of more than one byte.
    @usableFromInline
    mutating func longInt() throws -> Int {
        var z: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            z |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
            guard shift < 64 else { throw Corrupt() }
        }
        return Int(Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1))))
    }

    /// What `BinaryWriter.string` wrote, as the last string read through `last` when its bytes are the
    /// same: a file's rows repeat their institution code and sheet, and making each String again
    /// (validating its UTF-8) was a third of decoding a roster row.
    @inlinable
    public mutating func string(reusing last: inout RepeatedString) throws -> String {
        let n = try int()
        guard n >= 0, n <= bytes.count - offset else { throw Corrupt() }
        defer { offset += n }
        var same = n == last.bytes.count
        var k = 0
        while same, k < n {
            same = bytes[offset + k] == last.bytes[k]
            k += 1
        }
        if same { return last.string }
        last.bytes = Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]))
        last.string = String(decoding: last.bytes, as: UTF8.self)
        return last.string
    }

    /// What `BinaryWriter.string` wrote; a length past the end is corrupt.
    @inlinable
    public mutating func string() throws -> String {
        let n = try int()
        guard n >= 0, n <= bytes.count - offset else { throw Corrupt() }
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]), as: UTF8.self)
    }

    @inlinable
    public mutating func bool() throws -> Bool { try byte() != 0 }

    /// What `BinaryWriter.fixed64` wrote.
    @inlinable
    public mutating func fixed64() throws -> UInt64 {
        guard bytes.count - offset >= 8 else { throw Corrupt() }
        defer { offset += 8 }
        var v: UInt64 = 0
        for i in offset..<offset + 8 { v = v << 8 | UInt64(bytes[i]) }
        return v
    }

    /// What `BinaryWriter.blob` wrote.
    public mutating func blob() throws -> [UInt8] {
        let n = try int()
        guard n >= 0, n <= bytes.count - offset else { throw Corrupt() }
        defer { offset += n }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]))
    }

    /// The next `count` bytes, lent to `read` (what `BinaryWriter.fixed` wrote); past the end is corrupt.
    @inlinable
    public mutating func fixed<R>(_ count: Int, _ read: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard count >= 0, count <= bytes.count - offset else { throw Corrupt() }
        defer { offset += count }
        return try read(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]))
    }

    /// Everything not read yet.
    public mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
    }
    /// A date within years 1–9999 (anything else is a corrupt blob, not a date to compute with).
    @inlinable
    public mutating func date() throws -> LocalDate {
        let n = try int()
        guard (-719_162...2_932_896).contains(n) else { throw Corrupt() }
        return LocalDate(dayNumber: n)
    }

    /// A choice, stored by its ordinal; an ordinal out of range is a corrupt blob.
    @inlinable public mutating func choice<C: Choosable>() throws -> C { C.all[try int(in: 0...(C.all.count - 1))] }

    @inlinable public mutating func optionalChoice<C: Choosable>() throws -> C? {
        try optional { try $0.choice() }
    }

    /// An integer in `range`.
    @inlinable
    public mutating func int(in range: ClosedRange<Int>) throws -> Int {
        let v = try int()
        guard range.contains(v) else { throw Corrupt() }
        return v
    }

    @inlinable public mutating func optional<T>(_ read: (inout BinaryReader) throws -> T) throws -> T? {
        try byte() == 0 ? nil : try read(&self)
    }

    @inlinable
    public mutating func optionalInt() throws -> Int? { try optional { try $0.int() } }
    @inlinable
    public mutating func optionalDate() throws -> LocalDate? { try optional { try $0.date() } }
    @inlinable
    public mutating func optionalString() throws -> String? { try optional { try $0.string() } }
    @inlinable
    public mutating func optionalBool() throws -> Bool? {
        switch try int() {
        case 0: return nil
        case 1: return false
        default: return true
        }
    }

    /// What `BinaryWriter.section` wrote, read by `read`, which must take the section's bytes exactly.
    public mutating func section<R>(_ read: (inout BinaryReader) throws -> R) throws -> R {
        let n = try int()
        guard n >= 0, n <= bytes.count - offset else { throw Corrupt() }
        let end = offset + n
        let value = try read(&self)
        guard offset == end else { throw Corrupt() }
        return value
    }

    /// What `BinaryWriter.datedSection` wrote: read by `read` when `wanted` is nil or holds one of its
    /// dates, passed over unread otherwise (`read` is then not called).
    public mutating func datedSection(wanted: Set<LocalDate>?, _ read: (inout BinaryReader) throws -> Void) throws {
        let dates = try array { try $0.date() }
        if let wanted, !dates.contains(where: wanted.contains) { return try skipSection() }
        try section(read)
    }

    /// Passes over what `BinaryWriter.section` wrote, unread.
    public mutating func skipSection() throws {
        let n = try int()
        guard n >= 0, n <= bytes.count - offset else { throw Corrupt() }
        offset += n
    }

    /// What `BinaryWriter.array` wrote; a count larger than the bytes left is corrupt (no allocation from a crafted count).
    @inlinable
    public mutating func array<T>(_ read: (inout BinaryReader) throws -> T) throws -> [T] {
        let n = try int()
        guard n >= 0, n <= bytes.count else { throw Corrupt() }
        guard n > 0 else { return [] }   // most of a file's lists are empty: no call to reserve nothing
        var items: [T] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try read(&self)) }
        return items
    }
}
