#if canImport(Glibc)
import Glibc
#endif

/// A fast reader of the plain XML that spreadsheet writers produce (Excel, WPS, LibreOffice, openpyxl):
/// elements, attributes, text with the five predefined entities and character references, and
/// processing instructions (skipped, as the handlers never ask for them), in UTF-8.
///
/// It hands the same events to the same `XMLEventHandler` as `XMLPushParser` would, without libxml2's
/// per-event machinery. It reads only what it can judge as libxml2 judges it: anything else (a DOCTYPE,
/// a comment, CDATA, another encoding, an entity in an attribute value, a carriage return or control
/// character, an undeclared prefix, a namespace URI libxml2 would not parse, a duplicate attribute, a
/// mismatched tag, text outside the root, great depth, length or number) makes it *decline*, and
/// `XMLDocument.read` then reads the whole document again through libxml2 with a fresh handler, which
/// accepts or refuses it as before. So a document libxml2 refuses is never read here, and one read
/// here gives the events libxml2 would give (`XMLScannerTests` and the `xmldiff` fuzz target hold this).
final class XMLScanner: XMLEventSource {
    /// Thrown through the caller's stream when the scanner declines, so that reading stops at once.
    static let declinedSignal = IngestError(.malformedXML, "XMLScanner declined")

    private let handler: XMLEventHandler
    /// Whether the document is one this scanner does not read (libxml2 reads it instead).
    private(set) var declined = false
    private(set) var stopped: IngestError?

    /// The names the handler compares with, and how a name read is found among them.
    private let names = XMLNameTable()

    /// Bytes of an incomplete token carried from one chunk to the next.
    private var carry: [UInt8] = []
    /// Open elements' qualified names, end to end (`namesEnd` bytes), and where each starts (`depth` of them).
    private let openNames: UnsafeMutablePointer<UInt8>
    private let openStarts: UnsafeMutablePointer<Int>
    private(set) var depth = 0
    private var namesEnd = 0
    /// Prefixes declared by open elements.
    private(set) var prefixes = XMLPrefixScope()
    private var atDocumentStart = true
    private var sawRoot = false
    private var rootClosed = false
    /// One start tag's attributes in libxml2's SAX2 layout: five pointers each (local name, prefix,
    /// URI, value start, value end).
    private let slots: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    /// Attribute name ranges of the current start tag: (qname start, colon or -1, end).
    let attributeNames: UnsafeMutablePointer<(start: Int, colon: Int, end: Int)>

    /// Byte classes, per scanner (a static table is reached through a lazy initialiser's check on every read).
    let nameClass: UnsafeMutablePointer<UInt8>
    let textClass: UnsafeMutablePointer<UInt8>
    let valueClass: UnsafeMutablePointer<UInt8>
    /// The interned name of each open element, for its end tag.
    private let openElements: UnsafeMutablePointer<UnsafePointer<UInt8>>
    /// The handler as one that takes whole rows or shared strings (`XMLScanner+WholeElements`), and
    /// the cells of the row being read. Unowned: `handler` keeps it (and a retain per tag cost more
    /// than reading the tag).
    unowned(unsafe) let rowHandler: XMLRowHandler?
    unowned(unsafe) let itemHandler: XMLStringItemHandler?
    /// Whether either is there (a SpreadsheetML document's tags are not looked at twice).
    private let wholeElements: Bool
    /// The cells of the row `wholeRow` is reading (in memory of the scanner's own: an array in the
    /// scanner was checked for uniqueness at every cell's append and write).
    var rowCells = GrowingBuffer<RowCell>()

    static let maxAttributes = 32
    /// Namespace declarations in one tag, and prefixes in scope: more is left to libxml2 (every
    /// declaration and prefixed name is checked against them one by one).
    static let maxDeclarations = 32
    static let maxPrefixesInScope = 64
    static let maxDepth = 200
    static let maxNameLength = 256
    /// An incomplete token longer than this (a text node or tag of megabytes) is left to libxml2.
    static let maxCarry = 1 << 22

    /// A scanner for `handler`; with `wholeElements`, rows and shared strings its handler takes whole
    /// are handed over whole.
    init(handler: XMLEventHandler, wholeElements: Bool = true) {
        self.handler = handler
        rowHandler = wholeElements ? handler as? XMLRowHandler : nil
        itemHandler = wholeElements ? handler as? XMLStringItemHandler : nil
        self.wholeElements = rowHandler != nil || itemHandler != nil
        nameClass = .allocate(capacity: 256)
        nameClass.initialize(from: XMLBytes.nameClasses, count: 256)
        textClass = .allocate(capacity: 256)
        textClass.initialize(from: XMLBytes.textClasses, count: 256)
        valueClass = .allocate(capacity: 256)
        valueClass.initialize(from: XMLBytes.valueClasses, count: 256)
        openElements = .allocate(capacity: Self.maxDepth + 1)
        openNames = .allocate(capacity: Self.maxDepth * (Self.maxNameLength + 1))
        openStarts = .allocate(capacity: Self.maxDepth + 1)
        slots = .allocate(capacity: 5 * Self.maxAttributes)
        slots.initialize(repeating: nil, count: 5 * Self.maxAttributes)
        attributeNames = .allocate(capacity: Self.maxAttributes)
    }

    deinit {
        attributeNames.deallocate()
        nameClass.deallocate()
        textClass.deallocate()
        valueClass.deallocate()
        openElements.deallocate()
        openNames.deallocate()
        openStarts.deallocate()
        slots.deallocate()
    }

    func interned(_ name: String) -> UnsafePointer<UInt8> { names.interned(name) }

    func stop(_ error: IngestError) {
        if stopped == nil { stopped = error }
    }

    /// Reads the next chunk; `last` ends the document. Throws the handler's error, or
    /// `declinedSignal` when the document is one to leave to libxml2 (`declined` is then true).
    func feed(_ chunk: UnsafeRawBufferPointer, last: Bool) throws(IngestError) {
        if declined { throw Self.declinedSignal }
        if let stopped { throw stopped }
        let bytes = UnsafeBufferPointer(start: chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), count: chunk.count)
        var offset = 0
        // A token carried from the last chunk is completed from this one up to a '>' (the chunk itself is
        // read in place, never copied whole); each attempt takes at least as many bytes as the carry
        // holds, so a token full of '>' (an attribute value, say) is rescanned a logarithmic number of
        // times, not once per '>'.
        while !carry.isEmpty, offset < bytes.count, !declined, stopped == nil {
            let from = min(bytes.count, offset + max(carry.count, 64))
            let end = XMLBytes.firstIndex(of: 0x3E, in: bytes.baseAddress!, from: from, to: bytes.count).map { $0 + 1 } ?? bytes.count
            carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[offset..<end]))
            offset = end
            let consumed = carry.withUnsafeBufferPointer { scan($0, last: false) }
            if !declined, stopped == nil { carry.removeFirst(consumed) }
        }
        if carry.isEmpty, offset < bytes.count, !declined, stopped == nil {
            let rest = UnsafeBufferPointer(rebasing: bytes[offset...])
            let consumed = scan(rest, last: false)
            if !declined, stopped == nil, consumed < rest.count { carry = Array(rest[consumed...]) }
        }
        if last, !declined, stopped == nil {
            let consumed = carry.withUnsafeBufferPointer { scan($0, last: true) }
            if !declined, stopped == nil { carry.removeFirst(consumed) }
        }
        if let stopped { throw stopped }
        if !declined, carry.count > Self.maxCarry || (last && !finished) { declined = true }
        if declined { throw Self.declinedSignal }
    }

    /// Whether the document is whole: one root, closed, nothing left over.
    private var finished: Bool { sawRoot && rootClosed && carry.isEmpty }

    private func decline() -> Int {
        declined = true
        return 0
    }

    // MARK: Scanning

    /// Delivers every complete token of `p` and returns how many bytes they took; what remains is an
    /// incomplete token, unless `last`.
    private func scan(_ p: UnsafeBufferPointer<UInt8>, last: Bool) -> Int {
        guard let base = p.baseAddress, p.count > 0 else { return 0 }
        var i = 0
        if atDocumentStart {
            guard p.count >= 6 || last else { return 0 }
            if p.count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { i = 3 }
            if p.count - i >= 5, memcmp(base + i, "<?xml", 5) == 0 {
                guard let end = XMLBytes.declarationEnd(base, from: i, count: p.count) else { return last ? decline() : 0 }
                guard end > 0 else { return decline() }
                i = end
            }
            atDocumentStart = false
        }
        // Only up to the last '>' (an ASCII byte, so no UTF-8 sequence is split) unless the document ends here.
        let limit = last ? p.count : (XMLBytes.lastIndex(of: 0x3E, in: base, from: i, to: p.count).map { $0 + 1 } ?? i)
        guard limit > i else { return i }
        if TextEncoding.firstInvalidUTF8(UnsafeBufferPointer(rebasing: p[i..<limit])) != nil { return decline() }
        while i < limit {
            if base[i] == 0x3C {   // <
                guard i + 1 < limit else { return last ? decline() : i }
                let next: Int?
                switch base[i + 1] {
                case 0x2F: next = endTag(base, from: i, limit: limit)
                case 0x3F: next = processingInstruction(base, from: i, limit: limit)
                case 0x21: return decline()   // comments, CDATA, DOCTYPE
                default:
                    next = (wholeElements ? wholeRow(base, from: i, limit: limit) ?? wholeItem(base, from: i, limit: limit) : nil)
                        ?? startTag(base, from: i, limit: limit)
                }
                guard let next else { return last ? decline() : i }
                if declined || stopped != nil { return 0 }
                i = next
            } else {
                guard let lt = XMLBytes.firstIndex(of: 0x3C, in: base, from: i, to: limit) else {
                    // Text at the end: only white space after the root, or more to come.
                    if last { return XMLBytes.isWhiteSpace(base, from: i, to: limit) && rootClosed ? limit : decline() }
                    return i
                }
                if depth == 0 {
                    guard XMLBytes.isWhiteSpace(base, from: i, to: lt) else { return decline() }
                } else {
                    guard text(base, from: i, to: lt) else { return decline() }
                    if stopped != nil { return 0 }
                }
                i = lt
            }
        }
        return i
    }

    /// A processing instruction at `start` (`<?mso-application progid="Excel.Sheet"?>`), skipped; nil when
    /// incomplete. Its target may not be `xml` in any case (libxml2 refuses a declaration out of place).
    private func processingInstruction(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int) -> Int? {
        guard let (targetEnd, colon) = name(base, from: start + 2, limit: limit) else { return nil }
        guard targetEnd >= 0, colon < 0 else { return decline() }
        if targetEnd - start - 2 == 3, (base[start + 2] | 0x20) == 0x78, (base[start + 3] | 0x20) == 0x6D,
           (base[start + 4] | 0x20) == 0x6C { return decline() }
        var j = targetEnd
        guard j + 1 < limit else { return nil }
        if base[j] == 0x3F { return base[j + 1] == 0x3E ? j + 2 : decline() }
        guard XMLBytes.isSpace(base[j]) else { return decline() }
        while true {
            guard let question = XMLBytes.firstIndex(of: 0x3F, in: base, from: j, to: limit), question + 1 < limit else { return nil }
            guard XMLBytes.plainText(base, from: j, to: question) else { return decline() }
            if base[question + 1] == 0x3E { return question + 2 }
            j = question + 1
        }
    }

    /// A start tag at `start`: its events delivered; nil when incomplete.
    private func startTag(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int) -> Int? {
        guard !rootClosed else { return decline() }
        let depth = self.depth + 1
        prefixes.undeclare(depth: depth)   // what an earlier, incomplete read of this same tag declared
        var j = start + 1
        let nameStart = j
        guard let (nameEnd, colon) = name(base, from: j, limit: limit) else { return nil }
        if nameEnd < 0 { return decline() }
        j = nameEnd
        var count = 0, declarations = 0
        var selfClosing = false
        while true {
            guard j < limit else { return nil }
            let hadSpace = XMLBytes.isSpace(base[j])
            while j < limit, XMLBytes.isSpace(base[j]) { j += 1 }
            guard j < limit else { return nil }
            if base[j] == 0x3E { j += 1; break }
            if base[j] == 0x2F {
                guard j + 1 < limit else { return nil }
                guard base[j + 1] == 0x3E else { return decline() }
                selfClosing = true
                j += 2
                break
            }
            guard hadSpace else { return decline() }   // attributes are separated by white space
            let aStart = j
            guard let (aEnd, aColon) = name(base, from: j, limit: limit) else { return nil }
            if aEnd < 0 { return decline() }
            j = aEnd
            while j < limit, XMLBytes.isSpace(base[j]) { j += 1 }
            guard j < limit else { return nil }
            guard base[j] == 0x3D else { return decline() }
            j += 1
            while j < limit, XMLBytes.isSpace(base[j]) { j += 1 }
            guard j < limit else { return nil }
            let quote = base[j]
            guard quote == 0x22 || quote == 0x27 else { return decline() }
            let vStart = j + 1
            guard let vEnd = attributeValueEnd(base, from: vStart, quote: quote, limit: limit) else { return nil }
            guard vEnd >= 0 else { return decline() }
            j = vEnd + 1
            if XMLPrefixScope.isDeclaration(base, start: aStart, colon: aColon, end: aEnd) {
                declarations += 1
                guard declarations <= Self.maxDeclarations, prefixes.count < Self.maxPrefixesInScope,
                      prefixes.declare(base, start: aStart, colon: aColon, end: aEnd, valueStart: vStart, valueEnd: vEnd, depth: depth)
                else { return decline() }
                continue
            }
            guard count < Self.maxAttributes else { return decline() }
            // Two attributes of one local name are left to libxml2 (it refuses the same name, or the same
            // namespace under two prefixes).
            let local = aColon < 0 ? aStart : aColon + 1
            for other in UnsafeBufferPointer(start: attributeNames, count: count) {
                let otherLocal = other.colon < 0 ? other.start : other.colon + 1
                if other.end - otherLocal == aEnd - local, XMLBytes.equal(base + otherLocal, base + local, aEnd - local) {
                    return decline()
                }
            }
            attributeNames[count] = (aStart, aColon, aEnd)
            let slot = slots + 5 * count
            slot[0] = names.lookup(base + local, aEnd - local, readable: limit - local)
            slot[3] = base + vStart
            slot[4] = base + vEnd
            count += 1
        }
        guard depth <= Self.maxDepth else { return decline() }
        // Prefixes must be declared: by this tag or an open element ("xml" is bound by the standard).
        if colon >= 0, !prefixes.isDeclared(base + nameStart, colon - nameStart) { return decline() }
        for a in UnsafeBufferPointer(start: attributeNames, count: count) where a.colon >= 0 {
            let length = a.colon - a.start
            if !(length == 3 && memcmp(base + a.start, "xml", 3) == 0), !prefixes.isDeclared(base + a.start, length) { return decline() }
        }
        let local = colon < 0 ? nameStart : colon + 1
        let element = names.lookup(base + local, nameEnd - local, readable: limit - local)
        sawRoot = true
        handler.startElement(element, XMLAttributes(base: slots, count: count))
        if selfClosing {
            if stopped == nil { handler.endElement(element) }
            prefixes.undeclare(depth: depth)
            if depth == 1 { rootClosed = true }
        } else {
            openStarts[self.depth] = namesEnd
            openElements[self.depth] = element
            for k in 0..<(nameEnd - nameStart) { openNames[namesEnd + k] = base[nameStart + k] }   // short: no memmove call
            namesEnd += nameEnd - nameStart
            self.depth = depth
        }
        return j
    }

    /// An end tag at `start`: it must close the innermost open element; nil when incomplete.
    private func endTag(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int) -> Int? {
        guard depth > 0 else { return decline() }
        let open = openStarts[depth - 1]
        let nameStart = start + 2
        guard let (nameEnd, _) = name(base, from: nameStart, limit: limit) else { return nil }
        if nameEnd < 0 { return decline() }
        var j = nameEnd
        while j < limit, XMLBytes.isSpace(base[j]) { j += 1 }
        guard j < limit else { return nil }
        guard base[j] == 0x3E else { return decline() }
        let length = nameEnd - nameStart
        guard namesEnd - open == length, XMLBytes.equal(openNames + open, base + nameStart, length) else { return decline() }
        handler.endElement(openElements[depth - 1])
        prefixes.undeclare(depth: depth)
        namesEnd = open
        depth -= 1
        if depth == 0 { rootClosed = true }
        return j + 1
    }

    /// Text from `start` to `end` (before a '<'), delivered with its entities replaced; false when it
    /// holds anything left to libxml2.
    private func text(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var run = start, j = start
        while j < end {
            let c = base[j]
            guard textClass[Int(c)] != 0 else { j += 1; continue }
            switch c {
            case 0x26:   // &
                if j > run { handler.characters(UnsafeBufferPointer(start: base + run, count: j - run)) }
                guard let semicolon = XMLBytes.firstIndex(of: 0x3B, in: base, from: j + 1, to: min(end, j + 12)),
                      let scalar = XMLBytes.entity(base, from: j + 1, to: semicolon) else { return false }
                if stopped == nil {
                    // Encoded on the stack: a sheet of `&amp;`s allocates nothing per entity.
                    var utf8: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
                    withUnsafeMutableBytes(of: &utf8) { out in
                        var n = 0
                        UTF8.encode(scalar) { out[n] = $0; n += 1 }
                        handler.characters(UnsafeBufferPointer(start: out.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n))
                    }
                }
                j = semicolon + 1
                run = j
            case 0x5D:   // ] — "]]>" may not stand in text
                if j + 2 < end, base[j + 1] == 0x5D, base[j + 2] == 0x3E { return false }
                j += 1
            case 0xEF:   // U+FFFE and U+FFFF are not XML characters
                if j + 2 < end, base[j + 1] == 0xBF, base[j + 2] >= 0xBE { return false }
                j += 1
            default:     // control characters, and CR (libxml2 rewrites line ends)
                return false
            }
            if stopped != nil { return true }
        }
        if j > run, stopped == nil { handler.characters(UnsafeBufferPointer(start: base + run, count: j - run)) }
        return true
    }
}
