#if canImport(Glibc)
import Glibc
#endif

/// One cell of a row read whole: where its `r`, `t` and `s` values and its `<v>` text lie in the
/// chunk (a start of -1: absent).
struct RowCell {
    var reference = (start: -1, end: -1)
    var type = (start: -1, end: -1)
    var style = (start: -1, end: -1)
    var value = (start: -1, end: -1)
}

/// Whole elements: a worksheet's `<row>` of plain cells (`<c …/>`, or `<c …>` with at most one `<v>` of
/// plain text) and a shared string's `<si>` of one plain `<t>`, the shapes nearly every row and string
/// of an .xlsx have, read in one pass and handed to their handler (`XMLRowHandler`,
/// `XMLStringItemHandler`) as the calls its events would make, without the events' name lookups,
/// attribute slots and open-element bookkeeping (a cell's events cost several times its bytes).
///
/// The element is first read whole and checked as `startTag`, `text` and `endTag` would check it; only
/// then is it handed over. Anything else in it (another element, an entity, a namespace declaration,
/// an undeclared prefix, a duplicate attribute, an element cut by the chunk's end, …) leaves the whole
/// element to the event path, which reads it (or declines the document) as before: so an element is
/// handed over here only when the event path would read it, and then as that path would.
extension XMLScanner {
    /// The end of the row at `start` when it was read and handed over whole; nil to leave it to `startTag`.
    func wholeRow(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int) -> Int? {
        guard start + 4 < limit, base[start + 1] == 0x72, base[start + 2] == 0x6F, base[start + 3] == 0x77,   // "row"
              nameClass[Int(base[start + 4])] == 0, let rows = rowHandler, depth > 0, depth + 3 <= Self.maxDepth,
              rows.takesWholeRows
        else { return nil }
        rowCells.removeAll()
        var row = RowCell()
        guard let (afterRow, rowClosed) = attributes(base, from: start + 4, limit: limit, into: &row) else { return nil }
        var j = afterRow
        if !rowClosed {
            while true {
                guard let lt = plainTextEnd(base, from: j, limit: limit), lt + 2 < limit else { return nil }
                j = lt
                if base[j + 1] == 0x2F {
                    guard j + 6 <= limit, Self.word(base + j) == 0x6F72_2F3C, base[j + 4] == 0x77, base[j + 5] == 0x3E   // "</row>"
                    else { return nil }
                    j += 6
                    break
                }
                guard base[j + 1] == 0x63, nameClass[Int(base[j + 2])] == 0 else { return nil }   // "<c"
                // Noted straight into the last element (a copy of a cell just written stalled the
                // processor on every cell).
                rowCells.append(RowCell())
                let last = rowCells.address(rowCells.count - 1)
                guard let (afterCell, cellClosed) = attributes(base, from: j + 2, limit: limit, into: &last.pointee) else { return nil }
                j = afterCell
                if !cellClosed {
                    guard var lt = plainTextEnd(base, from: j, limit: limit) else { return nil }
                    if lt + 3 <= limit, base[lt + 1] == 0x76, base[lt + 2] == 0x3E {   // "<v>"
                        guard let end = plainTextEnd(base, from: lt + 3, limit: limit), end + 4 <= limit,
                              Self.word(base + end) == 0x3E76_2F3C,   // "</v>"
                              let next = plainTextEnd(base, from: end + 4, limit: limit)
                        else { return nil }
                        last.pointee.value = (lt + 3, end)
                        lt = next
                    }
                    guard lt + 4 <= limit, Self.word(base + lt) == 0x3E63_2F3C else { return nil }   // "</c>"
                    j = lt + 4
                }
            }
        }
        deliver(row, to: rows, base)
        return j
    }

    /// The end of the shared string at `start` when it was read and handed over whole; nil to leave it to `startTag`.
    func wholeItem(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int) -> Int? {
        guard start + 3 < limit, base[start + 1] == 0x73, base[start + 2] == 0x69, nameClass[Int(base[start + 3])] == 0,   // "si"
              let items = itemHandler, depth > 0, depth + 2 <= Self.maxDepth, items.takesWholeItems
        else { return nil }
        var ignored = RowCell()
        guard let (afterItem, itemClosed) = plainAttributes(base, from: start + 3, limit: limit, into: &ignored) else { return nil }
        if itemClosed {
            items.item(UnsafeBufferPointer(start: nil, count: 0))
            return afterItem
        }
        guard let lt = plainTextEnd(base, from: afterItem, limit: limit), lt + 2 < limit,
              base[lt + 1] == 0x74, nameClass[Int(base[lt + 2])] == 0   // "<t"
        else { return nil }
        let afterText: Int, textClosed: Bool
        if lt + 24 <= limit, memcmp(base + lt + 2, " xml:space=\"preserve\">", 22) == 0 {
            (afterText, textClosed) = (lt + 24, false)   // what Excel writes, as `plainAttributes` reads it
        } else {
            guard let tag = plainAttributes(base, from: lt + 2, limit: limit, into: &ignored) else { return nil }
            (afterText, textClosed) = tag
        }
        var j = afterText, text = (start: afterText, end: afterText)
        if !textClosed {
            guard let end = plainTextEnd(base, from: afterText, limit: limit), end + 4 <= limit,
                  Self.word(base + end) == 0x3E74_2F3C   // "</t>"
            else { return nil }
            text.end = end
            j = end + 4
        }
        guard let close = plainTextEnd(base, from: j, limit: limit), close + 5 <= limit,
              Self.word(base + close) == 0x6973_2F3C, base[close + 4] == 0x3E   // "</si>"
        else { return nil }
        items.item(UnsafeBufferPointer(start: base + text.start, count: text.end - text.start))
        return close + 5
    }

    /// Hands the row read to `rows`, stopping where a call stops the scanner (as the events would).
    private func deliver(_ row: RowCell, to rows: XMLRowHandler, _ base: UnsafePointer<UInt8>) {
        func bytes(_ range: (start: Int, end: Int)) -> UnsafeBufferPointer<UInt8>? {
            range.start < 0 ? nil : UnsafeBufferPointer(start: base + range.start, count: range.end - range.start)
        }
        rows.rowStarted(reference: bytes(row.reference))
        for cell in rowCells.elements {
            guard stopped == nil else { return }
            rows.cell(reference: bytes(cell.reference), type: bytes(cell.type), style: bytes(cell.style),
                      value: bytes(cell.value) ?? UnsafeBufferPointer(start: nil, count: 0))
        }
        if stopped == nil { rows.rowEnded() }
    }

    /// The attributes after a row's or cell's name at `start`, as `plainAttributes` reads them: most
    /// tags in the common form by `commonAttributes`, the rest by `plainAttributes` from the start.
    @inline(__always)
    private func attributes(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int,
                            into cell: inout RowCell) -> (end: Int, selfClosing: Bool)? {
        if let tag = commonAttributes(base, from: start, limit: limit, into: &cell) { return tag }
        cell = RowCell()
        return plainAttributes(base, from: start, limit: limit, into: &cell)
    }

    /// Attributes in the common form — each ` x="…"` (one space, a one-byte name, a value of bytes
    /// that need no check), then `>` or `/>`, all four bytes short of the chunk's end — read as
    /// `plainAttributes` would read them, in fewer steps; nil for any other tag.
    @inline(__always)
    private func commonAttributes(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int,
                                  into cell: inout RowCell) -> (end: Int, selfClosing: Bool)? {
        let nameClass = self.nameClass, valueClass = self.valueClass
        var j = start, count = 0, seen: UInt64 = 0
        while j &+ 4 <= limit {
            let word = Self.word(base + j)
            if word & 0xFF == 0x3E { return (j &+ 1, false) }        // ">"
            if word & 0xFFFF == 0x3E2F { return (j &+ 2, true) }     // "/>"
            guard word & 0xFFFF_00FF == 0x223D_0020, nameClass[Int(base[j &+ 1])] == 2, count < Self.maxAttributes else { return nil }
            var k = j &+ 4
            while k < limit, valueClass[Int(base[k])] == 0 { k &+= 1 }
            guard k < limit, base[k] == 0x22, Self.note(base[j &+ 1], value: (j &+ 4, k), seen: &seen, in: &cell) else { return nil }
            count &+= 1
            j = k &+ 1
        }
        return nil
    }

    /// The attributes after an element's name at `start`, up to its `>` or `/>`, checked as `startTag`
    /// checks them, the values of `r`, `t` and `s` (by local name, as handlers find them) noted in
    /// `cell`; nil for a tag to leave to the event path (a namespace declaration, an undeclared prefix,
    /// two attributes of one local name, too many, or one cut by the chunk's end).
    private func plainAttributes(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int,
                                 into cell: inout RowCell) -> (end: Int, selfClosing: Bool)? {
        let nameClass = self.nameClass, valueClass = self.valueClass   // in registers, not reloaded through self
        var j = start, count = 0, longNames = 0
        // Local names of one byte seen, as bits (a name's first byte is a letter or '_', 0x41…0x7A);
        // longer ones are compared as `startTag` compares them.
        var oneByteNames: UInt64 = 0
        while true {
            guard j < limit else { return nil }
            // The common attribute, ` x="…"` (one space, a one-byte name, no space about the '='), read the
            // same as below without the general steps.
            if j + 4 <= limit, Self.word(base + j) & 0xFFFF_00FF == 0x223D_0020, nameClass[Int(base[j + 1])] == 2 {
                let vStart = j + 4
                var k = vStart
                while k < limit, valueClass[Int(base[k])] == 0 { k += 1 }
                if k < limit, base[k] != 0x22 {
                    guard let end = attributeValueEnd(base, from: k, quote: 0x22, limit: limit), end >= 0 else { return nil }
                    k = end
                }
                guard k < limit, count < Self.maxAttributes,
                      Self.note(base[j + 1], value: (vStart, k), seen: &oneByteNames, in: &cell)
                else { return nil }
                count += 1
                j = k + 1
                continue
            }
            let hadSpace = XMLBytes.isSpace(base[j])
            while j < limit, XMLBytes.isSpace(base[j]) { j += 1 }
            guard j < limit else { return nil }
            if base[j] == 0x3E { return (j + 1, false) }
            if base[j] == 0x2F { return j + 1 < limit && base[j + 1] == 0x3E ? (j + 2, true) : nil }
            guard hadSpace, count < Self.maxAttributes else { return nil }
            let aStart = j, aEnd: Int, aColon: Int
            if j + 1 < limit, nameClass[Int(base[j])] == 2, nameClass[Int(base[j + 1])] == 0 {
                (aEnd, aColon) = (j + 1, -1)   // a one-byte name, as `name` reads it
            } else {
                guard let (end, colon) = name(base, from: j, limit: limit), end >= 0 else { return nil }
                (aEnd, aColon) = (end, colon)
            }
            j = aEnd
            while j < limit, XMLBytes.isSpace(base[j]) { j += 1 }
            guard j < limit, base[j] == 0x3D else { return nil }
            j += 1
            while j < limit, XMLBytes.isSpace(base[j]) { j += 1 }
            guard j < limit, base[j] == 0x22 || base[j] == 0x27 else { return nil }
            let vStart = j + 1
            guard let vEnd = attributeValueEnd(base, from: vStart, quote: base[j], limit: limit), vEnd >= 0,
                  !XMLPrefixScope.isDeclaration(base, start: aStart, colon: aColon, end: aEnd)
            else { return nil }
            j = vEnd + 1
            if aColon >= 0 {
                let length = aColon - aStart
                guard (length == 3 && memcmp(base + aStart, "xml", 3) == 0) || prefixes.isDeclared(base + aStart, length) else { return nil }
            }
            count += 1
            let local = aColon < 0 ? aStart : aColon + 1
            if aEnd - local == 1 {
                guard Self.note(base[local], value: (vStart, vEnd), seen: &oneByteNames, in: &cell) else { return nil }
            } else {
                for other in UnsafeBufferPointer(start: attributeNames, count: longNames) {
                    let otherLocal = other.colon < 0 ? other.start : other.colon + 1
                    if other.end - otherLocal == aEnd - local, XMLBytes.equal(base + otherLocal, base + local, aEnd - local) { return nil }
                }
                attributeNames[longNames] = (aStart, aColon, aEnd)
                longNames += 1
            }
        }
    }

    /// Notes an attribute of the one-byte local name `name` (a letter or '_': 0x41…0x7A) with its
    /// value: `r`, `t` and `s` in `cell`, every name in `seen`; false when the tag already had it.
    @inline(__always)
    private static func note(_ name: UInt8, value: (start: Int, end: Int), seen: inout UInt64, in cell: inout RowCell) -> Bool {
        let bit: UInt64 = 1 << UInt64(name &- 0x40)
        guard seen & bit == 0 else { return false }
        seen |= bit
        switch name {
        case 0x72: cell.reference = value   // r
        case 0x74: cell.type = value        // t
        case 0x73: cell.style = value       // s
        default: break
        }
        return true
    }

    /// The four bytes at `p` as one little-endian word (tags are compared a word at a time).
    @inline(__always)
    private static func word(_ p: UnsafePointer<UInt8>) -> UInt32 { UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)) }

    /// The '<' that ends text starting at `start`, when the text is plain (no entity, no character
    /// `text` would refuse or rewrite) and the '<' is within the chunk; nil otherwise.
    @inline(__always)
    private func plainTextEnd(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int) -> Int? {
        let textClass = self.textClass
        var j = start
        while j < limit {
            let c = base[j]
            if c == 0x3C { return j }
            if textClass[Int(c)] != 0 {
                // As `text` reads them: ']' and 0xEF (full-width forms) stand in text unless they begin
                // "]]>" or U+FFFE/U+FFFF; the rest leave the element to the event path. The bytes looked at
                // are before the '<' (UTF-8 was checked to the chunk's last '>').
                switch c {
                case 0x5D: if j + 2 < limit, base[j + 1] == 0x5D, base[j + 2] == 0x3E { return nil }
                case 0xEF: if j + 2 < limit, base[j + 1] == 0xBF, base[j + 2] >= 0xBE { return nil }
                default: return nil
                }
            }
            j += 1
        }
        return nil
    }
}
