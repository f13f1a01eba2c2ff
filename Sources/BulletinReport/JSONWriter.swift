import BulletinCore

/// Writes JSON in `JSONValue`'s layout (two-space indents, keys in the order written, text scrubbed)
/// straight into bytes, for a document too long to build as a tree first: a manifest lists thousands
/// of inputs, and building then freeing their tree cost more than writing it.
///
/// The bytes go into a buffer of its own, grown by doubling, each token checked for room once and then
/// stored through a pointer (an array's append checked its uniqueness and capacity for every byte: a
/// key with its indent cost some 350 instructions, a third of a 30-day night's manifest).
struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// How many members or items each open object or array holds so far, outermost first (`depth` of
    /// them, in a buffer of its own: an array's element updated per item was checked for uniqueness).
    private var counts: UnsafeMutablePointer<Int>
    private var depth = 0
    private var depthCapacity = 16
    /// Whether a key was just written, so the value that follows is its member's, not a new item.
    private var afterKey = false
    /// Room for what `JSONValue` writes into an array (the few values that are not a manifest's own).
    private var scratch: [UInt8] = []

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
        counts = .allocate(capacity: depthCapacity)
    }

    deinit {
        base.deallocate()
        counts.deallocate()
    }

    mutating func openObject() { open(UInt8(ascii: "{")) }
    mutating func closeObject() { close(UInt8(ascii: "}")) }
    mutating func openArray() { open(UInt8(ascii: "[")) }
    mutating func closeArray() { close(UInt8(ascii: "]")) }

    /// Starts an object's member: its value comes next. Names are the writer's own words, never data.
    /// Room for the comma, line, indent and name is made once (a key cost some 190 instructions as
    /// an item and a name each checked and wrote its own; a manifest writes sixteen a file).
    mutating func key(_ name: StaticString) {
        name.withUTF8Buffer { utf8 in
            reserve(utf8.count + 2 * depth + Self.indentSlack + 6)
            newItem()
            put(0x22)
            copy(utf8)
        }
        put(0x22)
        put(UInt8(ascii: ":"))
        put(0x20)
        afterKey = true
    }

    /// The next item of the array, written already (`Manifest.Entries`): from its opening to its closing
    /// bracket, at this depth.
    mutating func item(_ written: [UInt8]) {
        item()
        append(written)
    }

    /// A value: the member's after `key`, else the next item of the array.
    mutating func value(_ v: JSONValue) {
        item()
        scratch.removeAll(keepingCapacity: true)
        v.write(into: &scratch, indent: 2 * depth)
        append(scratch)
    }

    // The values a manifest writes for each of its thousands of inputs, written as `value` would write
    // them but without making a `JSONValue` (or a String per number) first.

    /// Text, scrubbed of personal numbers, as `value(.string(text))`.
    mutating func text(_ text: String) {
        item()
        string(Masking.scrub(text))
    }

    /// Text that cannot hold a personal number (a digest, a date, a form's code), as `value(.digest(text))`.
    mutating func code(_ text: String) {
        item()
        string(text)
    }

    /// As `value(.int(v))`.
    mutating func int(_ v: Int) {
        item()
        reserve(20)
        if v < 0 { put(UInt8(ascii: "-")) }
        count += Digits.decimal(v.magnitude, into: base + count)
    }

    /// As `value(.bool(v))`.
    mutating func bool(_ v: Bool) {
        item()
        append(v ? Self.trueBytes : Self.falseBytes)
    }

    /// The document, with the final newline `JSONValue.renderedBytes()` ends with.
    consuming func finished() -> [UInt8] {
        reserve(1)
        put(0x0A)
        return Array(UnsafeBufferPointer(start: base, count: count))
    }

    private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

    /// A JSON string of `s`, already scrubbed where it must be: copied whole when nothing in it needs an
    /// escape (most text), else as `JSONValue` escapes it.
    private mutating func string(_ s: String) {
        var s = s
        let plain = s.withUTF8 { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            reserve(utf8.count + 2)
            put(0x22)
            copy(utf8)
            put(0x22)
            return true
        }
        if plain { return }
        scratch.removeAll(keepingCapacity: true)
        JSONValue.writeString(s, scrubbed: false, into: &scratch)
        append(scratch)
    }

    private mutating func open(_ bracket: UInt8) {
        item()
        reserve(1)
        put(bracket)
        if depth == depthCapacity {
            let deeper = UnsafeMutablePointer<Int>.allocate(capacity: 2 * depthCapacity)
            deeper.moveInitialize(from: counts, count: depth)
            counts.deallocate()
            counts = deeper
            depthCapacity *= 2
        }
        counts[depth] = 0
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if counts[depth] > 0 { newLine() }
        reserve(1)
        put(bracket)
    }

    /// Begins a member or an item: a comma after the one before, a new line, the indent.
    private mutating func item() {
        if afterKey { afterKey = false; return }
        guard depth > 0 else { return }
        reserve(2 * depth + Self.indentSlack + 2)
        newItem()
    }

    /// What `item` writes (a comma after the member or item before, a new line, the indent), in room already made for it.
    @inline(__always)
    private mutating func newItem() {
        guard depth > 0 else { return }
        if counts[depth - 1] > 0 { put(0x2C) }
        counts[depth - 1] += 1
        put(0x0A)
        putIndent()
    }

    /// A new line and the indent of the depth now open.
    private mutating func newLine() {
        reserve(2 * depth + Self.indentSlack + 1)
        put(0x0A)
        putIndent()
    }

    /// Bytes past an indent that writing it may touch: it is stored eight spaces at a time.
    private static let indentSlack = 8

    /// The indent of the depth now open, in room made for it and `indentSlack` more, stored eight
    /// bytes at a time (a call to fill a few bytes cost more than the bytes).
    @inline(__always)
    private mutating func putIndent() {
        let indent = 2 * depth
        var k = 0
        while k < indent {
            UnsafeMutableRawPointer(base + count + k).storeBytes(of: 0x2020_2020_2020_2020 as UInt64, as: UInt64.self)
            k += 8
        }
        count += indent
    }

    private mutating func append(_ bytes: [UInt8]) {
        reserve(bytes.count)
        bytes.withUnsafeBufferPointer { copy($0) }
    }

    /// Stores bytes there is room for (`reserve`).
    @inline(__always) private mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let from = bytes.baseAddress { (base + count).initialize(from: from, count: bytes.count) }
        count += bytes.count
    }

    /// Stores a byte there is room for (`reserve`).
    @inline(__always) private mutating func put(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    /// Room for `n` more bytes, the buffer doubled (at least) when it has less.
    @inline(__always) private mutating func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        let grown = max(2 * capacity, count + n)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = grown
    }
}
