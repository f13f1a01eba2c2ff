#if canImport(Glibc)
import Glibc
#endif

/// The namespace prefixes `XMLScanner`'s open elements declare (`xmlns:p="uri"`), each with the depth
/// of the element that declared it, kept by packed key (`XMLBytes.key`): whether a prefixed name may be
/// read without libxml2, which would refuse an undeclared one.
struct XMLPrefixScope {
    private var keys: [UInt64] = []
    private var depths: [Int] = []

    /// Declarations in scope.
    var count: Int { keys.count }

    /// Whether the attribute at `start` is `xmlns` or `xmlns:p`.
    static func isDeclaration(_ base: UnsafePointer<UInt8>, start: Int, colon: Int, end: Int) -> Bool {
        let prefixEnd = colon < 0 ? end : colon
        return prefixEnd - start == 5 && memcmp(base + start, "xmlns", 5) == 0
    }

    /// Records `xmlns:p="uri"` and `xmlns="uri"` of the element at `depth`; false for declarations
    /// libxml2 refuses or treats specially (a URI it cannot parse, an empty URI for a prefix, `xml`,
    /// `xmlns`, a prefix twice in one tag).
    mutating func declare(_ base: UnsafePointer<UInt8>, start: Int, colon: Int, end: Int, valueStart: Int, valueEnd: Int,
                          depth: Int) -> Bool {
        let uri = UnsafeBufferPointer(start: base + valueStart, count: valueEnd - valueStart)
        guard uri.isEmpty || XMLPushParser.acceptsNamespace(uri) else { return false }
        // The default namespace changes no local name; declared twice in one tag, libxml2 refuses it.
        // Prefixes are kept by key; one longer than seven bytes is left to libxml2 (its key is not exact).
        let length = colon < 0 ? 0 : end - colon - 1
        guard length <= 7 else { return false }
        let key = XMLBytes.key(base + colon + 1, length)
        if colon >= 0 {
            let isXML = length == 3 && memcmp(base + colon + 1, "xml", 3) == 0
            let isXMLNS = length == 5 && memcmp(base + colon + 1, "xmlns", 5) == 0
            guard valueEnd > valueStart, !isXML, !isXMLNS else { return false }
        }
        if zip(keys, depths).contains(where: { $0.1 == depth && $0.0 == key }) { return false }
        keys.append(key)
        depths.append(depth)
        return true
    }

    /// Whether `prefix` is declared by an open element.
    func isDeclared(_ prefix: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard length > 0, length <= 7 else { return false }
        let key = XMLBytes.key(prefix, length)
        for k in keys where k == key { return true }
        return false
    }

    /// Forgets what the elements at `depth` and deeper declared (they have ended, or are read again).
    @inline(__always)
    mutating func undeclare(depth: Int) {
        while let last = depths.last, last >= depth {
            depths.removeLast()
            keys.removeLast()
        }
    }
}
