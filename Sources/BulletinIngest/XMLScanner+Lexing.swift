/// The scanner's two lexical reads, shared by the event path (`XMLScanner.swift`) and the whole-element
/// path (`XMLScanner+WholeElements.swift`): a name, and an attribute value's end.
extension XMLScanner {
    /// Where an attribute value that starts at `start` ends (its closing `quote`), in one pass that also
    /// checks it is one libxml2 hands over as written: -1 at a '<', an entity, a character it would
    /// normalise (tab, CR, LF) or refuse (other controls, U+FFFE, U+FFFF); nil when incomplete.
    @inline(__always)
    func attributeValueEnd(_ base: UnsafePointer<UInt8>, from start: Int, quote: UInt8, limit: Int) -> Int? {
        var j = start
        while j < limit {
            let c = base[j]
            if valueClass[Int(c)] != 0 {
                if c == quote { return j }
                if c == 0xEF {
                    guard j + 2 < limit else { return nil }
                    if base[j + 1] == 0xBF, base[j + 2] >= 0xBE { return -1 }
                } else if c != 0x22, c != 0x27 {
                    return -1
                }
            }
            j += 1
        }
        return nil
    }

    /// A name at `start` of ASCII letters, digits, '.', '-' and '_' with at most one ':' inside: its
    /// end and the colon's index (or -1); an end of -1 when it is no such name; nil when incomplete.
    func name(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int) -> (end: Int, colon: Int)? {
        var j = start, colon = -1
        guard j < limit else { return nil }
        guard nameClass[Int(base[j])] == 2 else { return (-1, -1) }
        j += 1
        while j < limit {
            let k = nameClass[Int(base[j])]
            if k == 0 { break }
            if k == 3 {
                guard colon < 0, j + 1 < limit else { return j + 1 < limit ? (-1, -1) : nil }
                guard nameClass[Int(base[j + 1])] == 2 else { return (-1, -1) }
                colon = j
            }
            j += 1
            guard j - start <= Self.maxNameLength else { return (-1, -1) }
        }
        guard j < limit else { return nil }
        return (j, colon)
    }
}
