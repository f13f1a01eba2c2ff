private import CLibXML2

/// A streaming libxml2 SAX2 push parser with safe settings: no network, no DTD loading,
/// no entity substitution, and any DOCTYPE refused (spreadsheets never carry one).
/// Owns its parser context and frees it.
final class XMLPushParser: XMLEventSource {
    private let context: xmlParserCtxtPtr
    private let state: ParserState

    /// `part` names the document in error messages (a file, or a member of a workbook).
    init(handler: XMLEventHandler, part: String) {
        XMLPushParser.refuseExternalEntities
        state = ParserState(handler: handler, part: part)
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        // The three events of every cell reach the handler through a guaranteed reference: no retain or
        // release per event (taking the state as a strong reference cost two pairs of each per event).
        sax.startElementNs = { ctx, localname, _, _, _, _, count, _, attributes in
            Unmanaged<ParserState>.fromOpaque(ctx!)._withUnsafeGuaranteedRef {
                $0.handler.startElement(localname!, XMLAttributes(base: attributes, count: Int(count)))
            }
        }
        sax.endElementNs = { ctx, localname, _, _ in
            Unmanaged<ParserState>.fromOpaque(ctx!)._withUnsafeGuaranteedRef { $0.handler.endElement(localname!) }
        }
        sax.characters = { ctx, bytes, length in
            Unmanaged<ParserState>.fromOpaque(ctx!)._withUnsafeGuaranteedRef {
                $0.handler.characters(UnsafeBufferPointer(start: bytes, count: Int(length)))
            }
        }
        sax.cdataBlock = sax.characters
        sax.internalSubset = { ctx, _, _, _ in
            let state = Unmanaged<ParserState>.fromOpaque(ctx!).takeUnretainedValue()
            state.refuse("文档含有DOCTYPE声明（电子表格不应包含），出于安全考虑拒绝读取")
        }
        sax.entityDecl = { ctx, _, _, _, _, _ in
            Unmanaged<ParserState>.fromOpaque(ctx!).takeUnretainedValue().refuse("文档声明了实体，出于安全考虑拒绝读取")
        }
        sax.serror = { ctx, error in
            guard let ctx, let error else { return }
            let state = Unmanaged<ParserState>.fromOpaque(ctx).takeUnretainedValue()
            let e = error.pointee
            guard e.level.rawValue >= XML_ERR_ERROR.rawValue, state.error == nil else { return }
            state.error = XMLPushParser.ingestError(e, part: state.part)
        }
        let unmanaged = Unmanaged.passUnretained(state).toOpaque()
        context = xmlCreatePushParserCtxt(&sax, unmanaged, nil, 0, part)
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue))
        state.context = UnsafeMutableRawPointer(context)
    }

    deinit { xmlFreeParserCtxt(context) }

    /// libxml2's error as the file's reject: its message, its code, and its line and column.
    private static func ingestError(_ e: xmlError, part: String) -> IngestError {
        let message = e.message.map { String(cString: $0) }?.trimmingTrailingNewlines ?? "XML error \(e.code)"
        return IngestError(.malformedXML, "\(part)：\(message)", location: .line(Int(e.line), column: Int(e.int2)), code: Int(e.code))
    }

    /// The parser's own copy of `name`: the pointer every event for that name carries.
    func interned(_ name: String) -> UnsafePointer<UInt8> {
        xmlDictLookup(context.pointee.dict, name, -1)!
    }

    /// Feeds the next chunk of the document; `last` ends it.
    func feed(_ bytes: UnsafeRawBufferPointer, last: Bool) throws(IngestError) {
        if let error = state.error { throw error }
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        let rc = xmlParseChunk(context, base, Int32(bytes.count), last ? 1 : 0)
        if let error = state.error { throw error }
        if rc != 0 {
            if let last = xmlCtxtGetLastError(context) { throw XMLPushParser.ingestError(last.pointee, part: state.part) }
            throw IngestError(.malformedXML, "\(state.part)：XML解析失败（错误码\(rc)）", code: Int(rc))
        }
    }

    /// Stops the parse from inside a callback with `error`.
    func stop(_ error: IngestError) {
        if state.error == nil { state.error = error }
        xmlStopParser(context)
    }

    /// Whether libxml2 takes `uri` as a namespace name without an error: a URI reference it can parse,
    /// and neither the `xml` nor the `xmlns` namespace (which only their own prefixes may name).
    static func acceptsNamespace(_ uri: UnsafeBufferPointer<UInt8>) -> Bool {
        let text = String(decoding: uri, as: UTF8.self)
        guard text != "http://www.w3.org/XML/1998/namespace", text != "http://www.w3.org/2000/xmlns/" else { return false }
        guard let parsed = xmlParseURI(text) else { return false }
        xmlFreeURI(parsed)
        return true
    }

    /// Installed once per process: libxml2 never opens an external entity, file or URL.
    private static let refuseExternalEntities: Void = {
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()
}

/// What the C callbacks reach through their context pointer.
private final class ParserState {
    /// Held strongly and read through the guaranteed state on every event (the handler holds its parser unowned).
    let handler: XMLEventHandler
    let part: String
    var error: IngestError?
    var context: UnsafeMutableRawPointer?

    init(handler: XMLEventHandler, part: String) {
        self.handler = handler
        self.part = part
    }

    func refuse(_ message: String) {
        if error == nil { error = IngestError(.unsafe, "\(part)：\(message)") }
        if let context { xmlStopParser(context.assumingMemoryBound(to: xmlParserCtxt.self)) }
    }
}

private extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.last == "\n" || s.last == " " { s.removeLast() }
        return s
    }
}
