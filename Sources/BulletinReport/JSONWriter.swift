/// Writes JSON in `JSONValue`'s layout (two-space indents, keys in the order written, text scrubbed)
/// straight into bytes, for a document too long to build as a tree first: a manifest lists thousands
/// of inputs, and building then freeing their tree cost more than writing it.
struct JSONWriter: ~Copyable {
    private(set) var bytes: [UInt8] = []
    /// How many members or items each open object or array holds so far, outermost first.
    private var counts: [Int] = []
    /// Whether a key was just written, so the value that follows is its member's, not a new item.
    private var afterKey = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func openObject() { open(UInt8(ascii: "{")) }
    mutating func closeObject() { close(UInt8(ascii: "}")) }
    mutating func openArray() { open(UInt8(ascii: "[")) }
    mutating func closeArray() { close(UInt8(ascii: "]")) }

    /// Starts an object's member: its value comes next. Names are the writer's own words, never data.
    mutating func key(_ name: StaticString) {
        item()
        bytes.append(0x22)
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(0x22)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(0x20)
        afterKey = true
    }

    /// A value: the member's after `key`, else the next item of the array.
    mutating func value(_ v: JSONValue) {
        item()
        v.write(into: &bytes, indent: 2 * counts.count)
    }

    // The values a manifest writes for each of its thousands of inputs, written as `value` would write
    // them but without making a `JSONValue` (or a String per number) first.

    /// Text, scrubbed of personal numbers, as `value(.string(text))`.
    mutating func text(_ text: String) {
        item()
        JSONValue.writeString(text, scrubbed: true, into: &bytes)
    }

    /// Text that cannot hold a personal number (a digest, a date, a form's code), as `value(.digest(text))`.
    mutating func code(_ text: String) {
        item()
        JSONValue.writeString(text, scrubbed: false, into: &bytes)
    }

    /// As `value(.int(v))`.
    mutating func int(_ v: Int) {
        item()
        JSONValue.writeInt(v, into: &bytes)
    }

    /// As `value(.bool(v))`.
    mutating func bool(_ v: Bool) {
        item()
        bytes.append(contentsOf: (v ? "true" : "false").utf8)
    }

    /// The document, with the final newline `JSONValue.renderedBytes()` ends with.
    consuming func finished() -> [UInt8] {
        bytes.append(0x0A)
        return bytes
    }

    private mutating func open(_ bracket: UInt8) {
        item()
        bytes.append(bracket)
        counts.append(0)
    }

    private mutating func close(_ bracket: UInt8) {
        if counts.removeLast() > 0 { newLine() }
        bytes.append(bracket)
    }

    /// Begins a member or an item: a comma after the one before, a new line, the indent.
    private mutating func item() {
        if afterKey { afterKey = false; return }
        guard let last = counts.indices.last else { return }
        if counts[last] > 0 { bytes.append(0x2C) }
        counts[last] += 1
        newLine()
    }

    /// A new line and the indent of the depth now open, a byte at a time (appending a run of spaces as a
    /// collection, or `"\": "` as a String's UTF-8, was a sixth of writing a manifest).
    private mutating func newLine() {
        bytes.append(0x0A)
        for _ in 0..<(2 * counts.count) { bytes.append(0x20) }
    }
}
