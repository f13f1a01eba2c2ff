/// Receives the events of an XML document from an `XMLEventSource`. Names are interned: compare them
/// by pointer with the source's `interned(_:)` names, never by string.
protocol XMLEventHandler: AnyObject {
    /// Takes the names it compares with from `source`, and may keep `source` (unowned) to stop it.
    func bind(_ source: XMLEventSource)
    func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes)
    func endElement(_ name: UnsafePointer<UInt8>)
    func characters(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// A worksheet's handler that `XMLScanner` may also hand a plain `<row>` whole (`XMLScanner+WholeElements`): its
/// cells as calls its own events make, so a row reads the same either way. `rowStarted` does what the
/// row's start tag does, `cell` what a cell's start tag, the text of its `<v>` and its end tag do
/// (`value` is empty without a `<v>`), `rowEnded` what the row's end tag does.
protocol XMLRowHandler: XMLEventHandler {
    /// Whether a row starting now may be handed whole: text is not being captured (a `<row>` inside
    /// a value would have its white space captured).
    var takesWholeRows: Bool { get }
    func rowStarted(reference: UnsafeBufferPointer<UInt8>?)
    func cell(reference: UnsafeBufferPointer<UInt8>?, type: UnsafeBufferPointer<UInt8>?, style: UnsafeBufferPointer<UInt8>?,
              value: UnsafeBufferPointer<UInt8>)
    func rowEnded()
}

/// The shared strings' handler, which `XMLScanner` may also hand a plain `<si>` whole
/// (`XMLScanner+WholeElements`): `item` does what the events of `<si><t>text</t></si>` do.
protocol XMLStringItemHandler: XMLEventHandler {
    /// Whether an item starting now may be handed whole: no text is being kept and no phonetic run is open.
    var takesWholeItems: Bool { get }
    func item(_ text: UnsafeBufferPointer<UInt8>)
}

/// What hands a handler its events: libxml2 (`XMLPushParser`) or the fast `XMLScanner`.
protocol XMLEventSource: AnyObject {
    /// The source's own copy of `name`: the pointer every event for that local name carries.
    func interned(_ name: String) -> UnsafePointer<UInt8>
    /// Stops reading from inside an event with `error`, which the read then throws.
    func stop(_ error: IngestError)
}

/// The attributes of a start tag in libxml2's SAX2 layout, five pointers each (local name, prefix,
/// URI, value start, value end), read in place (no copies).
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let count: Int

    /// The value of the attribute whose interned local name is `name`.
    func value(_ name: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        for i in 0..<count where base[i * 5] == name {
            let start = base[i * 5 + 3]!, end = base[i * 5 + 4]!
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// The attribute as a whole number ≥ 0; nil when absent or not digits. A number too large
    /// for `Int` reads as `Int.max`, so callers' range checks refuse it instead of trapping.
    func integer(_ name: UnsafePointer<UInt8>) -> Int? { Self.integer(value(name)) }

    /// An attribute value as a whole number ≥ 0, as `integer(_:)` reads it.
    static func integer(_ value: UnsafeBufferPointer<UInt8>?) -> Int? {
        guard let v = value else { return nil }
        var n = 0
        for c in v {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            n = n <= (Int.max - 9) / 10 ? n * 10 + Int(c - 0x30) : Int.max
        }
        return v.isEmpty ? nil : n
    }
}

/// Which readers an XML document goes through.
@_spi(Testing) public enum XMLReaders: Sendable {
    /// `XMLScanner`, and libxml2 when it declines: what the night uses.
    case scannerFirst
    /// libxml2 alone: a workbook's small parts (its sheet list, relationships, styles), and what the
    /// tests compare the scanner with.
    case libxml2
    /// `XMLScanner` alone, a declined document thrown as an error: tests see what the scanner reads itself.
    case scannerOnly
    /// `XMLScanner` handing every element over as events (no whole rows or shared strings), libxml2 when
    /// it declines: what the tests compare the whole elements with.
    case scannerEvents

    /// The error `scannerOnly` throws for a document the scanner leaves to libxml2.
    public static var declined: IngestError { XMLScanner.declinedSignal }
}

/// Reads one XML document (a worksheet, the shared strings, a SpreadsheetML file) into a handler.
enum XMLDocument {
    /// Hands a document's bytes, chunk by chunk, to its argument (a zip member's stream, or bytes in memory).
    typealias Content = (_ sink: (UnsafeRawBufferPointer) throws(IngestError) -> Void) throws(IngestError) -> Void

    /// Reads `content` into a handler `make` creates: through `XMLScanner`, or, when the scanner
    /// declines the document, again from its start through libxml2 into a fresh handler, which
    /// accepts or refuses it with libxml2's own words. `part` names the document in errors.
    static func read<Handler: XMLEventHandler>(part: String, readers: XMLReaders = .scannerFirst, make: () -> Handler,
                                               content: Content) throws(IngestError) -> Handler {
        if readers != .libxml2 {
            let fast = make()
            let scanner = XMLScanner(handler: fast, wholeElements: readers != .scannerEvents)
            fast.bind(scanner)
            do throws(IngestError) {
                try content { chunk throws(IngestError) in try scanner.feed(chunk, last: false) }
                try scanner.feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
                return fast
            } catch {
                guard scanner.declined, readers != .scannerOnly else { throw error }
            }
        }
        let handler = make()
        let parser = XMLPushParser(handler: handler, part: part)
        handler.bind(parser)
        try content { chunk throws(IngestError) in try parser.feed(chunk, last: false) }
        try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
        return handler
    }

    /// A document held in memory, in chunks of 1 MiB.
    static func inMemory(_ bytes: [UInt8]) -> Content {
        { sink throws(IngestError) in
            var failure: IngestError?
            bytes.withUnsafeBytes { all in
                var offset = 0
                while offset < all.count {
                    let end = min(all.count, offset + (1 << 20))
                    do throws(IngestError) { try sink(UnsafeRawBufferPointer(rebasing: all[offset..<end])) } catch {
                        failure = error
                        return
                    }
                    offset = end
                }
            }
            if let failure { throw failure }
        }
    }
}
