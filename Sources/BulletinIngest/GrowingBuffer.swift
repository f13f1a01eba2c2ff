/// Elements stored through a pointer into memory of its own, doubled when full: what an array's append
/// does without asking whether the storage is shared (it cannot be: the buffer is not copyable, and
/// frees its memory when it goes).
struct GrowingBuffer<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    init() {}

    deinit { base?.deallocate() }

    /// The last element; there must be one.
    var last: Element { base![count &- 1] }

    /// Where element `i` (below `count`) is, until the next `append`.
    func address(_ i: Int) -> UnsafeMutablePointer<Element> { base! + i }

    /// The elements, until the next `append`.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ e: Element) {
        if count == capacity { grow() }
        base![count] = e
        count &+= 1
    }

    /// Appends the elements of `more`.
    @inline(__always)
    mutating func append(contentsOf more: UnsafeBufferPointer<Element>) {
        guard let from = more.baseAddress else { return }
        if capacity &- count < more.count { grow(toHold: count + more.count) }
        (base! + count).initialize(from: from, count: more.count)
        count &+= more.count
    }

    /// Element `i`, which must be below `count`.
    subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "GrowingBuffer index out of range")
        return base![i]
    }

    @inline(never)
    private mutating func grow(toHold wanted: Int = 0) {
        capacity = max(32 << 10 / MemoryLayout<Element>.stride, 2 * capacity, wanted)   // 32 KiB first
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        if let base {
            bigger.initialize(from: base, count: count)
            base.deallocate()
        }
        base = bigger
    }

    /// Forgets the elements, keeping the memory.
    mutating func removeAll() { count = 0 }

    /// The elements as an array.
    func array() -> [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
