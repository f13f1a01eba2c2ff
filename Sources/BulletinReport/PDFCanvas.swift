private import CPangoCairo
import BulletinCore
import Foundation

/// An A4 PDF being drawn with cairo and pango: text with CJK fonts embedded as subsets,
/// lines and rectangles, pages. Owns its surface and cairo context, and frees them; its text is laid
/// out on the borrowed font map's `LaidTexts`.
final class PDFCanvas {
    static let pageWidth = 595.28, pageHeight = 841.89
    static let left = 50.0, right = 545.28, top = 56.0, bottom = 790.0

    /// cairo's and pango's functions, the libraries opened on first use (by the thread that first asks
    /// whether Chinese can be shown, at the start of a night); nil when they cannot be.
    fileprivate static let library: BulletinPangoCairo? = bulletin_pango_cairo()?.pointee

    /// Why no PDF can be drawn on this machine (cairo or pango cannot be opened), or nil.
    static var unavailable: String? {
        guard library == nil else { return nil }
        let detail = bulletin_pango_cairo_error().map { String(cString: $0) } ?? ""
        return "无法加载 PDF 日报所需的 cairo/pango 库（\(detail)）；请安装 Debian 软件包 libpangocairo-1.0-0 后重试 / "
            + "cannot open cairo and pango: apt-get install libpangocairo-1.0-0"
    }

    /// cairo's and pango's functions (the first canvas of a process opens the libraries).
    private let lib: BulletinPangoCairo
    private let sink = PDFSink()
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    /// Lent by `FontMaps` for the canvas's life; given back by the canvas when it borrowed it.
    private let fontMap: FontMapLoan, borrowed: Bool
    private let fontFamily: String
    /// Whether the canvas draws; when not, it only lays text out (see `init`).
    private let drawing: Bool
    private(set) var page = 1

    /// `date` (ISO) stamps the document's metadata, so the same bulletin gives the same bytes.
    /// `fontMap`: the map to draw with (by default one borrowed from `FontMaps`). `drawing` false: text is
    /// laid out and measured as for the PDF (its fonts loaded, its glyphs measured in the map's caches) but
    /// nothing is drawn, and `finish` returns no bytes: no page content, font subset or compression.
    /// Throws when cairo and pango cannot be opened (`unavailable`).
    init(title: String, date: String, fontFamily: String = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif",
         fontMap: FontMapLoan? = nil, drawing: Bool = true) throws(BulletinPDF.Failed) {
        guard let lib = PDFCanvas.library else { throw BulletinPDF.Failed(description: PDFCanvas.unavailable ?? "") }
        self.lib = lib
        self.fontFamily = fontFamily
        self.drawing = drawing
        (self.fontMap, borrowed) = (fontMap ?? FontMaps.borrow(lib), fontMap == nil)
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        surface = lib.cairo_pdf_surface_create_for_stream({ closure, data, length in
            let sink = Unmanaged<PDFSink>.fromOpaque(closure!).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, closure, PDFCanvas.pageWidth, PDFCanvas.pageHeight)
        lib.cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        lib.cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "bulletin")
        lib.cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date + "T00:00:00")
        lib.cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date + "T00:00:00")
        cr = lib.cairo_create(surface)
        self.fontMap.texts.matchOnce(cr, lib)
    }

    /// Whether the fonts the bulletin asks for can show Chinese (a machine without a CJK font would
    /// draw boxes): the font pango picks for the family must cover 中 and 报.
    static func hasChineseFont(fontFamily: String = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif") -> Bool {
        guard let lib = library else { return false }
        let loan = FontMaps.borrow(lib), map = loan.map
        defer { FontMaps.giveBack(loan) }
        let context = lib.pango_font_map_create_context(map)
        defer { lib.g_object_unref(UnsafeMutableRawPointer(context)) }
        let desc = lib.pango_font_description_from_string("\(fontFamily) 12")
        defer { lib.pango_font_description_free(desc) }
        let language = lib.pango_language_from_string("zh-cn")
        guard let fontset = lib.pango_font_map_load_fontset(map, context, desc, language) else { return false }
        defer { lib.g_object_unref(UnsafeMutableRawPointer(fontset)) }
        for ch: UInt32 in [0x4E2D, 0x62A5] {
            guard let font = lib.pango_fontset_get_font(fontset, ch) else { return false }
            defer { lib.g_object_unref(UnsafeMutableRawPointer(font)) }
            if lib.pango_font_has_char(font, ch) == 0 { return false }
        }
        return true
    }

    deinit {
        fontMap.texts.endDocument()
        for (regular, bold) in fonts.values { [regular, bold].compactMap { $0 }.forEach(lib.pango_font_description_free) }
        lib.cairo_destroy(cr)
        lib.cairo_surface_destroy(surface)
        if borrowed { FontMaps.giveBack(fontMap) }
    }

    enum Align { case left, center, right }

    /// Font descriptions by size and weight, parsed once each (a bulletin asks for a handful, a thousand times).
    private var fonts: [Double: (regular: OpaquePointer?, bold: OpaquePointer?)] = [:]

    private func font(size: Double, bold: Bool) -> OpaquePointer {
        if let known = bold ? fonts[size]?.bold : fonts[size]?.regular { return known }
        let desc = lib.pango_font_description_from_string("\(fontFamily) \(bold ? "Bold " : "")\(size)")
        if bold { fonts[size, default: (nil, nil)].bold = desc } else { fonts[size, default: (nil, nil)].regular = desc }
        return desc
    }

    /// Sets `layout` up for `text` and returns its size in points (laying it out).
    private func set(_ layout: OpaquePointer, _ text: String, size: Double, bold: Bool, width: Double?, align: Align) -> (w: Double, h: Double) {
        lib.pango_layout_set_font_description(layout, font(size: size, bold: bold))
        lib.pango_layout_set_width(layout, width.map { Int32($0 * Double(PANGO_SCALE)) } ?? -1)
        switch align {
        case .left: lib.pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: lib.pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: lib.pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        lib.pango_layout_set_text(layout, Masking.scrub(text), -1)
        var w: Int32 = 0, h: Int32 = 0
        lib.pango_layout_get_size(layout, &w, &h)
        return (Double(w) / Double(PANGO_SCALE), Double(h) / Double(PANGO_SCALE))
    }

    /// Text laid out once, measured now and drawn later as it is (`draw`): a table's cells decide their
    /// row's height and are then drawn without being laid out again.
    final class LaidText {
        fileprivate let layout: OpaquePointer
        let size: (w: Double, h: Double)
        private let unref: @convention(c) (UnsafeMutableRawPointer?) -> Void

        fileprivate init(layout: OpaquePointer, size: (w: Double, h: Double), lib: BulletinPangoCairo) {
            self.layout = layout
            self.size = size
            unref = lib.g_object_unref
        }

        deinit { unref(UnsafeMutableRawPointer(layout)) }
    }

    /// `text` laid out in a layout of its own, on the font map's context; the same text laid out the same
    /// way again — in this drawing or the one before it on the map — is the same layout, drawn where it
    /// is asked for.
    func lay(_ text: String, size: Double, bold: Bool = false, width: Double? = nil, align: Align = .left) -> LaidText {
        let texts = fontMap.texts
        let key = LaidTexts.Key(text: text, family: fontFamily, size: size, bold: bold, width: width, align: align)
        if let known = texts.use(key) { return known }
        let own = lib.pango_layout_new(texts.context)
        lib.pango_layout_set_wrap(own, PANGO_WRAP_WORD_CHAR)
        let laid = LaidText(layout: own, size: set(own, text, size: size, bold: bold, width: width, align: align), lib: lib)
        texts.keep(laid, for: key)
        return laid
    }

    /// Draws laid-out text with its top-left at (x, y).
    func draw(_ text: LaidText, x: Double, y: Double, rgb: (Double, Double, Double) = (0.07, 0.07, 0.07)) {
        guard drawing else { return }
        lib.cairo_set_source_rgb(cr, rgb.0, rgb.1, rgb.2)
        lib.cairo_move_to(cr, x, y)
        lib.pango_cairo_show_layout(cr, text.layout)
    }

    /// The height `text` takes when wrapped to `width`.
    func measure(_ text: String, size: Double, bold: Bool = false, width: Double? = nil) -> (w: Double, h: Double) {
        lay(text, size: size, bold: bold, width: width).size
    }

    /// Draws `text` with its top-left at (x, y); returns its height.
    @discardableResult
    func text(_ text: String, x: Double, y: Double, size: Double, bold: Bool = false, width: Double? = nil,
              align: Align = .left, rgb: (Double, Double, Double) = (0.07, 0.07, 0.07)) -> Double {
        let laid = lay(text, size: size, bold: bold, width: width, align: align)
        draw(laid, x: x, y: y, rgb: rgb)
        return laid.size.h
    }

    func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, width: Double = 0.5,
              rgb: (Double, Double, Double) = (0.6, 0.6, 0.6)) {
        guard drawing else { return }
        lib.cairo_set_source_rgb(cr, rgb.0, rgb.1, rgb.2)
        lib.cairo_set_line_width(cr, width)
        lib.cairo_move_to(cr, x1, y1)
        lib.cairo_line_to(cr, x2, y2)
        lib.cairo_stroke(cr)
    }

    func polyline(_ points: [(Double, Double)], width: Double, rgb: (Double, Double, Double)) {
        guard drawing, let first = points.first else { return }
        lib.cairo_set_source_rgb(cr, rgb.0, rgb.1, rgb.2)
        lib.cairo_set_line_width(cr, width)
        lib.cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { lib.cairo_line_to(cr, p.0, p.1) }
        lib.cairo_stroke(cr)
    }

    func fill(x: Double, y: Double, w: Double, h: Double, rgb: (Double, Double, Double)) {
        guard drawing else { return }
        lib.cairo_set_source_rgb(cr, rgb.0, rgb.1, rgb.2)
        lib.cairo_rectangle(cr, x, y, w, h)
        lib.cairo_fill(cr)
    }

    /// Outlines the cells of a table's rows on one page in one stroke: the outer border, then a line
    /// between each two rows and each two columns. `columns` are the x of every column's edge, left to
    /// right; `rows` the y of every row's edge, top to bottom. (Each cell outlined as a rectangle of its
    /// own wrote eight numbers a cell, half the numbers of a bulletin's pages, each formatted by cairo
    /// through `snprintf`.)
    func grid(columns: [Double], rows: [Double]) {
        guard drawing, columns.count > 1, rows.count > 1 else { return }
        let left = columns[0], right = columns[columns.count - 1], top = rows[0], bottom = rows[rows.count - 1]
        lib.cairo_set_source_rgb(cr, 0.6, 0.6, 0.6)
        lib.cairo_set_line_width(cr, 0.5)
        lib.cairo_rectangle(cr, left, top, right - left, bottom - top)
        for y in rows.dropFirst().dropLast() {
            lib.cairo_move_to(cr, left, y)
            lib.cairo_line_to(cr, right, y)
        }
        for x in columns.dropFirst().dropLast() {
            lib.cairo_move_to(cr, x, top)
            lib.cairo_line_to(cr, x, bottom)
        }
        lib.cairo_stroke(cr)
    }

    /// Ends the page (with its number) and starts the next.
    func newPage() {
        pageNumber()
        if drawing { lib.cairo_show_page(cr) }
        page += 1
    }

    private func pageNumber() {
        text("第 \(page) 页", x: PDFCanvas.left, y: PDFCanvas.bottom + 20, size: 9, width: PDFCanvas.right - PDFCanvas.left,
             align: .center, rgb: (0.4, 0.4, 0.4))
    }

    /// Finishes the document and returns its bytes; throws when cairo reports an error (out of
    /// memory, a broken font), so a damaged PDF is never published as if it were whole.
    func finish() throws(BulletinPDF.Failed) -> [UInt8] {
        pageNumber()
        guard drawing else { return [] }
        lib.cairo_show_page(cr)
        lib.cairo_surface_finish(surface)
        for status in [lib.cairo_status(cr), lib.cairo_surface_status(surface)] where status != CAIRO_STATUS_SUCCESS {
            throw BulletinPDF.Failed(description: "PDF 日报无法生成（cairo：\(String(cString: lib.cairo_status_to_string(status)))）"
                                     + " / cairo could not draw the PDF")
        }
        return sink.bytes
    }
}

/// A pango font map lent to one drawing (see `FontMaps`), with the texts laid out on it.
struct FontMapLoan: @unchecked Sendable {
    fileprivate let map: OpaquePointer
    fileprivate let texts: LaidTexts

    fileprivate init(_ lib: BulletinPangoCairo) {
        map = lib.pango_cairo_font_map_new()
        texts = LaidTexts(map: map, lib: lib)
    }
}

/// The texts laid out on one font map, kept from one drawing to the next: a date's bulletin shares
/// four fifths of its texts with the one before (headings, labels, names, figures), and laying text
/// out was a quarter of drawing a PDF. Used by the drawing the map is lent to, alone; keeps what the
/// last drawing used (memory stays that of one bulletin's texts).
private final class LaidTexts {
    /// What a text is laid out with: the same text laid out the same way is laid out once.
    struct Key: Hashable {
        let text: String, family: String, size: Double, bold: Bool, width: Double?, align: PDFCanvas.Align
    }

    /// The context every text on the map is laid out in (72 dpi: sizes in points).
    let context: OpaquePointer
    private var kept: [Key: (text: PDFCanvas.LaidText, drawing: Int)] = [:]
    private var drawing = 0
    /// Whether `matchOnce` has set the context up.
    private var matched = false

    init(map: OpaquePointer, lib: BulletinPangoCairo) {
        context = lib.pango_font_map_create_context(map)
        lib.pango_cairo_context_set_resolution(context, 72)
        // Glyphs where the font's advances put them, not rounded to whole points: rounded, a 10.5-point
        // character sat half a point off its advance, and cairo wrote a correction beside every glyph
        // (`[<001d>-48<001e>-47…]TJ`), each number formatted and deflated, a third of a page's output.
        lib.pango_context_set_round_glyph_positions(context, 0)
    }

    /// Sets the context up for drawing on `cr` (its font options and matrix), the first time only: every
    /// bulletin's cairo context is a new A4 PDF surface's, the same in both, and pango lays every text of
    /// a context out again after each update (its matrix is set anew), cached or not.
    func matchOnce(_ cr: OpaquePointer, _ lib: BulletinPangoCairo) {
        guard !matched else { return }
        lib.pango_cairo_update_context(cr, context)
        matched = true
    }

    /// The text laid out as `key` says, when it is kept; it is kept for the drawing after this one too.
    func use(_ key: Key) -> PDFCanvas.LaidText? {
        guard let known = kept[key] else { return nil }
        if known.drawing != drawing { kept[key]?.drawing = drawing }
        return known.text
    }

    func keep(_ text: PDFCanvas.LaidText, for key: Key) { kept[key] = (text, drawing) }

    /// Forgets the texts this drawing did not use; the next drawing starts.
    func endDocument() {
        kept = kept.filter { $0.value.drawing == drawing }
        drawing += 1
    }
}

/// pango font maps, each lent to one drawing at a time and kept for the next. pango's default map is
/// one per thread, so each thread's first PDF loaded its fonts and glyphs anew (twice the time of the
/// next); a kept map has them whichever thread draws. A map is used by one thread at a time, as pango
/// requires: the lock hands it over.
enum FontMaps {
    private static let state = NSCondition()
    nonisolated(unsafe) private static var idle: [FontMapLoan] = []
    nonisolated(unsafe) private static var warming = 0

    /// A kept map, else — while one is being warmed (`warm`) — that one once it is warm, else a new one.
    fileprivate static func borrow(_ lib: BulletinPangoCairo) -> FontMapLoan {
        state.lock()
        defer { state.unlock() }
        while idle.isEmpty && warming > 0 { state.wait() }
        return keptOrNew(lib)
    }

    static func giveBack(_ loan: FontMapLoan) { handBack(loan, warmed: false) }

    /// Lends a map to `draw` on another thread now: a drawing that starts before it is given back
    /// waits for it, warm, rather than loading every font and glyph again. The answer's `value` waits
    /// for `draw` to end. Nothing is lent, or drawn, when cairo and pango cannot be opened.
    static func warm(_ draw: @escaping @Sendable (FontMapLoan) -> Void) -> Concurrently.Pending<Void> {
        guard let lib = PDFCanvas.library else { return Concurrently.start {} }
        state.lock()
        let loan = keptOrNew(lib)
        warming += 1
        state.unlock()
        return Concurrently.start {
            draw(loan)
            handBack(loan, warmed: true)
        }
    }

    /// A kept map, else a new one (the lock held).
    private static func keptOrNew(_ lib: BulletinPangoCairo) -> FontMapLoan {
        idle.popLast() ?? FontMapLoan(lib)
    }

    /// Keeps `loan` for the next drawing and wakes those waiting; `warmed`: it comes back from `warm`.
    private static func handBack(_ loan: FontMapLoan, warmed: Bool) {
        state.lock()
        idle.append(loan)
        if warmed { warming -= 1 }
        state.broadcast()
        state.unlock()
    }
}

/// Where cairo's PDF stream lands.
private final class PDFSink {
    var bytes: [UInt8] = []
}
