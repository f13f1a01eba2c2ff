@_spi(Testing) import BulletinIngest
import Foundation
import Testing

/// The cells of every row, as strings, for comparing.
func cells(_ sheet: Sheet) -> [[String]] {
    sheet.withRows { rows in
        (0..<rows.count).map { r in
            let row = rows[r]
            return (0..<row.count).map { c in row.withCell(c) { String(decoding: $0, as: UTF8.self) } }
        }
    }
}

struct CSVReaderTests {
    static let cases: [(String, String, [[String]])] = [
        ("plain", "a,b\nc,d\n", [["a", "b"], ["c", "d"]]),
        ("CRLF", "a,b\r\nc,d\r\n", [["a", "b"], ["c", "d"]]),
        ("bare CR", "a,b\rc,d", [["a", "b"], ["c", "d"]]),
        ("no final newline", "a,b\nc,d", [["a", "b"], ["c", "d"]]),
        ("quoted comma", "\"a,1\",b\n", [["a,1", "b"]]),
        ("doubled quote", "\"say \"\"hi\"\"\",x\n", [["say \"hi\"", "x"]]),
        ("newline inside quotes", "\"line1\nline2\",x\ny,z\n", [["line1\nline2", "x"], ["y", "z"]]),
        ("CRLF inside quotes", "\"a\r\nb\",c\r\n", [["a\r\nb", "c"]]),
        ("empty cells", ",,\n", [["", "", ""]]),
        ("trailing comma at end of file", "a,", [["a", ""]]),
        ("blank line is a record", "a\n\nb\n", [["a"], [""], ["b"]]),
        ("Chinese", "报告日期,机构代码\n2020-02-08,HYK001\n", [["报告日期", "机构代码"], ["2020-02-08", "HYK001"]]),
        ("empty file", "", []),
        // Cells are ranges of the file; unescaped ones follow it: both kinds interleaved, several per row.
        ("escaped and plain cells mixed", "a,\"b \"\"q\"\" c\",d\n\"x\"y,,\"z\"\n\"\"\"\",\"w\"\n",
         [["a", "b \"q\" c", "d"], ["xy", "", "z"], ["\"", "w"]]),
        ("quoted cell closing the file", "a,\"b\"", [["a", "b"]]),
        ("empty quoted cell", "\"\",x\n", [["", "x"]]),
    ]

    @Test(arguments: cases)
    func reads(_ name: String, _ input: String, _ expected: [[String]]) throws {
        let sheet = try CSVReader.read(utf8: Array(input.utf8))
        #expect(cells(sheet) == expected, "\(name)")
    }

    @Test func cellsEndAtEveryOffsetOfAWord() throws {
        // Cells are ranges of the file: a cell of every length up to three 8-byte words and past two
        // 64-byte blocks (a CRLF split between blocks among them), before each kind of record end, among
        // Chinese text, with commas and with tabs.
        for length in 0..<70 {
            let cell = String(repeating: "7", count: length)
            for (sep, delimiter) in [(",", ","), ("\t", "\t")] {
                for end in ["\n", "\r\n", "\r"] {   // the last record ends the file
                    let text = "\(cell)\(sep)机构\(sep)\(cell)中\(end)x\(sep)\(cell)"
                    let expected = [[cell, "机构", cell + "中"], ["x", cell]]
                    #expect(cells(try CSVReader.read(utf8: Array(text.utf8))) == expected,
                            "length \(length), delimiter \(delimiter == "," ? "comma" : "tab"), end \(Array(end.utf8))")
                }
            }
        }
    }

    /// A block's mask from the vector compares is the byte loop's (the one other CPUs use), for
    /// blocks of separators, their neighbours and bytes with the high bit set, densely and sparsely.
    @Test func aBlocksMaskIsTheByteLoops() {
        var state: UInt64 = 0x2020_0303
        func next(_ bound: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % bound }
        let alphabet: [UInt8] = [0x2C, 0x09, 0x0D, 0x0A, 0x2B, 0x2D, 0x08, 0x0B, 0x0C, 0x0E, 0x61, 0xE6, 0x8C, 0xAC, 0xFF, 0x00]
        for round in 0..<2000 {
            let block = (0..<64).map { _ in next(4) <= round % 4 ? alphabet[next(alphabet.count)] : UInt8(0x37) }
            for delimiter: UInt8 in [0x2C, 0x09] {
                let vector = block.withUnsafeBytes { SeparatorMask.block($0.baseAddress!, 0, delimiter: delimiter) }
                let bytes = block.withUnsafeBufferPointer { SeparatorMask.bytes($0, delimiter: delimiter) }
                #expect(vector == bytes, "\(block)")
            }
        }
    }

    /// Files without a quote are tokenized from their separator masks, files with one byte by byte: a
    /// file read alone, and with a quoted record after it (which sends it down the other path), must
    /// give the same rows, or the same error. Random files of separators, spaces, ASCII and Chinese,
    /// across several 64-byte blocks.
    @Test func theMaskTokenizerReadsAsTheByteLoopDoes() {
        var state: UInt64 = 0x2020_0206
        func next(_ bound: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % bound }
        let pieces: [[UInt8]] = [[0x2C], [0x09], [0x0D], [0x0A], [0x0D, 0x0A], [0x20], Array("a".utf8), Array("7".utf8), Array("机".utf8)]
        func outcome(_ file: [UInt8]) -> String {
            do { return "\(cells(try CSVReader.read(utf8: file)))" } catch { return "\(error.kind) \(error.message) \(String(describing: error.location))" }
        }
        for _ in 0..<3000 {
            var file: [UInt8] = []
            for _ in 0..<(1 + next(200)) { file += pieces[next(pieces.count)] }
            // A record of its own: after the file's last line end, or after one that ends the file's last record.
            let ends = file.last.map { $0 == 0x0A || $0 == 0x0D } ?? true
            let alone = outcome(file), quoted = outcome(file + Array((ends ? "\"x\"" : "\n\"x\"").utf8))
            // The quoted record is the last row: the rows before it are the file's.
            let expected = alone.hasPrefix("[") ? String(alone.dropLast()) + (alone == "[]" ? "" : ", ") + "[\"x\"]]" : alone
            #expect(quoted == expected, "\(file)")
        }
    }

    /// Excel's column limit is counted alike by both tokenizers, at the limit and one past it, for a
    /// record ending in a line end, at the end of the file, or in a delimiter that ends the file (whose
    /// empty last cell is not counted).
    @Test func theColumnLimitIsCountedAlikeWithAndWithoutQuotes() {
        func outcome(_ file: [UInt8]) -> String {
            do { return "rows \(try CSVReader.read(utf8: file).rowCount)" } catch { return "\(error.kind) \(String(describing: error.location))" }
        }
        for cells in [SheetLimits.maxColumns - 1, SheetLimits.maxColumns, SheetLimits.maxColumns + 1] {
            let record = String(repeating: "a,", count: cells - 1) + "a"
            for file in ["h\n" + record + "\n", "h\n" + record, "h\n" + record + ","] {
                let plain = outcome(Array(file.utf8)), quoted = outcome(Array(file.replacingOccurrences(of: "h\n", with: "\"h\"\n").utf8))
                #expect(plain == quoted, "\(cells) cells, ending \(file.suffix(2).debugDescription)")
                #expect(plain.hasPrefix("rows") == (cells <= SheetLimits.maxColumns), "\(cells): \(plain)")
            }
        }
    }

    /// The delimiter is the one the first ten lines (to the tenth LF, within 64 KiB) hold more of, tab
    /// or comma, outside quotes; a file without a quote is counted apart, sixteen bytes at a time, and
    /// must decide as the byte loop does for files with quotes.
    @Test func theDelimiterIsTheFirstTenLinesMostFrequent() {
        let tabLines = { (n: Int) in String(repeating: "a\tb\n", count: n) }, commaLine = "c,d,e,f,g,h,i,j,k,l,m\n"
        for (text, expected) in [
            (tabLines(10) + commaLine + commaLine, UInt8(0x09)),   // the lines after the tenth LF are not counted
            (tabLines(9) + commaLine + commaLine, UInt8(0x2C)),    // the tenth line is
            ("a\tb\tc\rd,e\rf,g", UInt8(0x2C)),                     // no LF at all: every byte within 64 KiB
            ("x\ty", UInt8(0x09)),
            ("", UInt8(0x2C)),
        ] {
            #expect(CSVReader.delimiter(Array(text.utf8)) == expected, "\(text.debugDescription)")
            // The same lines after a quoted first cell, which the byte loop reads.
            let quoted = "\"q\"" + (expected == 0x09 ? "\t" : ",") + text
            #expect(CSVReader.delimiter(Array(quoted.utf8)) == expected, "\(quoted.debugDescription)")
        }
        // Past 64 KiB nothing is counted, quotes or not.
        let late = String(repeating: "x", count: 64 << 10) + String(repeating: "\t", count: 10)
        #expect(CSVReader.delimiter(Array(late.utf8)) == 0x2C)
    }

    /// The sheet's offsets are sized from a count of the bytes that can end a cell or a record; files
    /// of nothing but such bytes (every cell empty, bare CRs, CRLF and LF mixed) are the tightest that
    /// bound gets: every file of up to seven of them reads as a plain split would.
    @Test func filesOfNothingButSeparatorsFitTheirBounds() throws {
        func expected(_ text: [UInt8]) -> [[String]] {
            var records: [[UInt8]] = [[]], i = 0
            while i < text.count {
                if text[i] == 0x0D || text[i] == 0x0A {
                    if text[i] == 0x0D, i + 1 < text.count, text[i + 1] == 0x0A { i += 1 }
                    records.append([])
                } else {
                    records[records.count - 1].append(text[i])
                }
                i += 1
            }
            if let last = text.last, last == 0x0D || last == 0x0A { records.removeLast() }
            if text.isEmpty { return [] }
            return records.map { r in Array(repeating: "", count: r.count + 1) }
        }
        var files: [[UInt8]] = [[]], longest: [[UInt8]] = [[]]
        for _ in 0..<7 {
            longest = longest.flatMap { f in [f + [0x2C], f + [0x0D], f + [0x0A]] }
            files += longest
        }
        for file in files {
            #expect(cells(try CSVReader.read(utf8: file)) == expected(file), "\(file)")
        }
    }

    /// Random unquoted cells of up to a few words of bytes near the separators' values, ended by a
    /// comma, LF, CRLF or the file's end, read as a plain split would.
    @Test func unquotedCellsOfEveryLengthEndWhereTheirSeparatorIs() throws {
        var state: UInt64 = 0x2020_0226
        func next(_ bound: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % bound }
        // Bytes one off the separators, too (a word is told apart by exact bytes only).
        let content: [[UInt8]] = [Array("7".utf8), Array("a".utf8), Array("机".utf8), [0x2B], [0x2D], [0x0B], [0x0C], [0x7F], [0x8C]]
        // (A bare CR is left to the tests above: before an empty cell and an LF it would be a CRLF.)
        let ends: [[UInt8]] = [[0x2C], [0x0A], [0x0D, 0x0A]]
        for _ in 0..<3000 {
            var file: [UInt8] = [], expected: [[String]] = [[]]
            var end: [UInt8] = []
            for _ in 0..<(1 + next(6)) {
                var cell: [UInt8] = []
                for _ in 0..<next(30) { cell += content[next(content.count)] }
                file += cell
                expected[expected.count - 1].append(String(decoding: cell, as: UTF8.self))
                end = ends[next(ends.count)]
                file += end
                if end != [0x2C] { expected.append([]) }
            }
            // A last cell the file ends in, without a separator; else after a comma, an empty one.
            if next(2) == 0 { file += Array("尾".utf8); expected[expected.count - 1].append("尾") }
            else if end == [0x2C] { expected[expected.count - 1].append("") }
            if expected.last == [] { expected.removeLast() }
            #expect(cells(try CSVReader.read(utf8: file)) == expected, "\(file)")
        }
    }

    /// The count the sheet is sized by, sixteen bytes at a time, is the byte-by-byte count: for every
    /// length up to a few blocks and past the 255 blocks a lane counts before it is summed, with
    /// separators dense (every byte) and sparse, after tabs and commas.
    @Test func separatorsAreCountedAsByteByByte() {
        var state: UInt64 = 0x2020_0128
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for length in Array(0..<70) + [4079, 4080, 4081, 4096 * 3 + 7] {
            for density in [1, 3, 16] {
                for delimiter: UInt8 in [0x2C, 0x09] {
                    let bytes = (0..<length).map { _ -> UInt8 in
                        next() % UInt64(density) != 0 ? 0x41 : [0x2C, 0x09, 0x0A, 0x0D, 0x41][Int(next() % 5)]
                    }
                    let expected = (bytes.filter { $0 == delimiter }.count, bytes.filter { $0 == 0x0A || $0 == 0x0D }.count)
                    let counted = bytes.withUnsafeBufferPointer { CSVReader.separators($0, delimiter: delimiter) }
                    #expect(counted == expected, "length \(length), density \(density)")
                }
            }
        }
        // Every byte a line end, for long enough that a lane's count would pass 255 if it were not summed.
        let allLineEnds = [UInt8](repeating: 0x0A, count: 16 * 600)
        #expect(allLineEnds.withUnsafeBufferPointer { CSVReader.separators($0, delimiter: 0x2C) } == (0, 16 * 600))
    }

    @Test func recordNumbersCountRecordsNotLines() throws {
        let sheet = try CSVReader.read(utf8: Array("title\n\"two\nlines\"\nthird\n".utf8))
        #expect(sheet.rowNumbers == [1, 2, 3])
    }

    @Test func unterminatedQuoteIsAnErrorWithItsRecord() {
        #expect(throws: IngestError.self) { try CSVReader.read(utf8: Array("a,b\n\"open,c\nd,e\n".utf8)) }
        do {
            _ = try CSVReader.read(utf8: Array("a,b\n\"open,c\nd,e\n".utf8))
        } catch {
            #expect(error.kind == .malformedCSV)
            #expect(error.location == .record(2))
        }
    }

    /// Which rows may hold a cell that needs folding: a title row's full-width colon above the data does
    /// not count; a full-width digit, a NUL or an escaped cell's full-width text in the data does.
    @Test func foldingIsLookedForInTheRowsAskedAbout() throws {
        let titled = try CSVReader.read(utf8: Array("填报单位：某园\na,b\n1,2\n\"3\t\",\"x\ny\"\n".utf8))
        #expect(titled.mayNeedFolding(inRowsFrom: 0))
        #expect(!titled.mayNeedFolding(inRowsFrom: 1))
        #expect(!titled.mayNeedFolding(inRowsFrom: 4), "past the last row")
        for data in ["1,２\n", "1,a\u{0}b\n", "1,\"say \"\"１\"\"\"\n", "\"１\"x,2\n"] {
            let sheet = try CSVReader.read(utf8: Array("填报单位：某园\na,b\n\(data)".utf8))
            #expect(sheet.mayNeedFolding(inRowsFrom: 1), "\(data)")
            #expect(sheet.mayNeedFolding(inRowsFrom: 2), "\(data)")
        }
        // A workbook's cell may be a range of bytes held before the rows asked about (a shared string).
        let builder = SheetBuilder(holding: Array("１".utf8))
        builder.appendCell("a")
        builder.endRow(number: 1)
        builder.appendCell("b")
        builder.endCell(holding: 0..<3)
        builder.endRow(number: 2)
        #expect(builder.sheet(name: "表").mayNeedFolding(inRowsFrom: 1))
    }
}

struct TextEncodingTests {
    @Test func utf8PassesThrough() throws {
        let (out, enc) = try TextEncoding.decodeToUTF8(Array("机构代码".utf8))
        #expect(enc == .utf8)
        #expect(String(decoding: out, as: UTF8.self) == "机构代码")
    }

    @Test func bomIsStripped() throws {
        let (out, enc) = try TextEncoding.decodeToUTF8([0xEF, 0xBB, 0xBF] + Array("a,b".utf8))
        #expect(enc == .utf8BOM)
        #expect(out == Array("a,b".utf8))
    }

    @Test func aBrokenByteIsFoundWhereverItFallsInARunOfASCII() {
        // The validator skips ASCII 32 and then eight bytes at a time: a bad byte at every offset of two
        // blocks of 32, and after Chinese.
        for offset in 0..<80 {
            var bytes = Array(String(repeating: "2020-02-08,", count: 8).utf8)
            bytes.insert(0xFF, at: offset)
            #expect(TextEncoding.firstInvalidUTF8(bytes) == offset)
            #expect(TextEncoding.firstInvalidUTF8(Array("机构".utf8) + bytes) == 6 + offset)
        }
        #expect(TextEncoding.firstInvalidUTF8(Array("2020-02-08,机构代码,HYK001\n".utf8)) == nil)
        // Valid text of every length, ending where a block or a word does, and Chinese at every offset of them.
        for length in 0..<80 {
            let ascii = Array(String(repeating: "7", count: length).utf8)
            #expect(TextEncoding.firstInvalidUTF8(ascii) == nil, "\(length)")
            for at in 0...length {
                #expect(TextEncoding.firstInvalidUTF8(Array(ascii[..<at]) + Array("机".utf8) + Array(ascii[at...])) == nil, "\(length) \(at)")
            }
        }
        #expect(TextEncoding.firstInvalidUTF8(Array("12345678".utf8) + [0xE6, 0x9C]) == 8)   // cut short at the end
    }

    /// Every lead byte alone and with every second byte, then third and fourth bytes at the edges of
    /// the continuation range: the validator by lead-byte ranges finds the same
    /// first bad offset as decoding each scalar, and calls valid exactly what Swift's own decoder does.
    @Test func theValidatorAgreesWithScalarDecodingOnEverySequence() {
        /// The first offset whose sequence does not decode to a scalar (overlong, surrogate, past U+10FFFF).
        func byDecoding(_ p: [UInt8]) -> Int? {
            var i = 0
            while i < p.count {
                let c = p[i]
                if c < 0x80 { i += 1; continue }
                let (len, minimum, lead): (Int, UInt32, UInt32) =
                    c & 0xE0 == 0xC0 ? (2, 0x80, UInt32(c & 0x1F)) : c & 0xF0 == 0xE0 ? (3, 0x800, UInt32(c & 0x0F))
                    : c & 0xF8 == 0xF0 ? (4, 0x10000, UInt32(c & 0x07)) : (0, 0, 0)
                guard len > 0, i + len <= p.count else { return i }
                var scalar = lead
                for k in 1..<len {
                    guard p[i + k] & 0xC0 == 0x80 else { return i }
                    scalar = scalar << 6 | UInt32(p[i + k] & 0x3F)
                }
                if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
                i += len
            }
            return nil
        }
        // Second bytes all 256; the later ones at the edges of the continuation range (and outside it).
        let edges: [UInt8] = [0x41, 0x80, 0xBF, 0xC0]
        var disagreements: [[UInt8]] = []
        var sequences: [[UInt8]] = []
        for lead in UInt8(0x80)...0xFF {
            for second in UInt8(0)...0xFF {
                sequences += [[lead], [lead, second]]
                for third in edges {
                    sequences.append([lead, second, third])
                    for fourth in edges { sequences.append([lead, second, third, fourth]) }
                }
            }
        }
        for sequence in sequences {
            let bytes = Array("机,".utf8) + sequence + Array("a".utf8)
            let found = TextEncoding.firstInvalidUTF8(bytes)
            if found != byDecoding(bytes) || (found == nil) != (String(validating: bytes, as: UTF8.self) != nil) {
                disagreements.append(sequence)
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    /// Long text is checked sixty-four bytes at a time (`UTF8Blocks`): every lead byte with every second
    /// byte and a third at the edges of the continuation range, placed across a block's edge, and random
    /// text of every kind of character with bytes broken at random, give the offset the byte-by-byte
    /// check gives (which the test above holds to decoding).
    @Test func theBlocksFindWhatTheByteByByteCheckFinds() {
        let suffix = Array(String(repeating: "机构,HYK001,", count: 5).utf8)
        var disagreements: [[UInt8]] = []
        var k = 0
        for lead in UInt8(0x80)...0xFF {
            for second in UInt8(0)...0xFF {
                for sequence in [[lead, second]] + [0x41, 0x80, 0xBF, 0xC0].map({ [lead, second, $0] }) {
                    k += 1
                    let prefix = Array(String(repeating: "中", count: 20).utf8) + Array(String(repeating: "a", count: 1 + k % 8).utf8)
                    let bytes = prefix + sequence + suffix   // the sequence at offsets 61…68: across the first block's end
                    if TextEncoding.firstInvalidUTF8(bytes) != TextEncoding.firstInvalidUTF8Bytewise(bytes) { disagreements.append(sequence) }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        var random = UInt64(42)
        func next(_ bound: Int) -> Int {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((random >> 33) % UInt64(bound))
        }
        let characters = ["a", "7", ",", "\n", "é", "ß", "中", "机", "ࠀ", "퟿", "\u{E000}", "｡", "😀", "\u{10FFFF}", "𐀀"].map { Array($0.utf8) }
        var broken = 0
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(20 + next(300)) { bytes += characters[next(characters.count)] }
            for _ in 0..<next(3) where !bytes.isEmpty { bytes[next(bytes.count)] = UInt8(next(256)) }
            let expected = TextEncoding.firstInvalidUTF8Bytewise(bytes)
            if expected != nil { broken += 1 }
            #expect(TextEncoding.firstInvalidUTF8(bytes) == expected, "\(bytes)")
        }
        #expect(broken > 1_000)
    }

    @Test func byteOrderMarksAreFoundAmongOtherEFBytes() throws {
        // Full-width forms (EF BC 8C is "，") share the BOM's lead byte.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let (out, _) = try TextEncoding.decodeToUTF8(Array("a，b".utf8) + bom + Array("，c".utf8) + bom)
        #expect(String(decoding: out, as: UTF8.self) == "a，b，c")
    }

    /// Every two-byte code, after ASCII runs of every length up to a word and a half (the decoder copies
    /// ASCII eight bytes at a time), reads by table exactly as iconv reads it.
    @Test func everyTwoByteCodeDecodesByTableAsIconvDoes() throws {
        var gb: [UInt8] = []
        var k = 0
        for lead in UInt8(0x81)...0xFE {
            for trail in UInt8(0x40)...0xFE where trail != 0x7F {
                gb += Array(String(repeating: "7", count: k % 13).utf8) + [lead, trail]
                k += 1
            }
        }
        let byTable = try #require(GB18030Decoder.decode(gb))
        #expect(byTable == (try TextEncoding.transcode(gb, from: "GB18030")))
        #expect(try TextEncoding.decodeToUTF8(gb).utf8 == byTable)
    }

    /// What the table does not cover goes to iconv: four-byte codes, bytes no code starts with (0x80,
    /// 0xFF), a lead byte cut off by the end of the file or followed by a byte no code ends with.
    /// The same within and after words of ASCII (the decoder reads eight bytes at a time).
    @Test(arguments: [[0x81, 0x30, 0x81, 0x30], [0x41, 0x80], [0xFF, 0x41], [0x41, 0xB0], [0xB0, 0x20],
                      Array("ABCDEFG".utf8) + [0x80] + Array("XYZ".utf8), Array("AB".utf8) + [0xFF] + Array("CDEFGHIJ".utf8),
                      Array("ABCDEFGHIJ".utf8) + [0xB0], Array("ABC".utf8) + [0xB0, 0x7F] + Array("DEFGHIJK".utf8)] as [[UInt8]])
    func whatTheTableDoesNotCoverGoesToIconv(_ bytes: [UInt8]) {
        #expect(GB18030Decoder.decode(bytes) == nil)
    }

    @Test(arguments: ["槐荫区教育系统", "𠀀𪚥 and ASCII", "€100，全角１２"])
    func gb18030RoundTrips(_ text: String) throws {
        let gb = try TextEncoding.encode(Array(text.utf8), to: "GB18030")
        #expect(gb != Array(text.utf8))
        let (out, enc) = try TextEncoding.decodeToUTF8(gb)
        #expect(enc == .gb18030)
        #expect(String(decoding: out, as: UTF8.self) == text)
    }

    @Test func fourByteGB18030Sequences() throws {
        // U+20000 (𠀀) is 0x95 0x32 0x82 0x36 in GB18030.
        let (out, _) = try TextEncoding.decodeToUTF8([0x95, 0x32, 0x82, 0x36])
        #expect(String(decoding: out, as: UTF8.self) == "𠀀")
    }

    @Test func cp936EuroByteFallsBackToCP936() throws {
        // Byte 0x80 is € in CP936 and invalid in glibc's GB18030.
        let (out, enc) = try TextEncoding.decodeToUTF8([0x80, 0x31])
        #expect(enc == .cp936)
        #expect(String(decoding: out, as: UTF8.self) == "€1")
    }

    @Test func undecodableBytesAreAnErrorWithOffset() {
        do {
            _ = try TextEncoding.decodeToUTF8([0x41, 0x42, 0xFF, 0xFF])
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .undecodable)
            #expect(error.location == .byte(2))
        }
    }
}

/// A landing file's format comes from its extension, found on bytes as `NSString.pathExtension` finds it.
struct TableFormatTests {
    @Test(arguments: ["a.CSV", "a.tar.csv", ".csv", "a.", "a", "dir.x/file", "报表.XLSX", "a.csv/", "a/.csv", "a..csv",
                      "/x/y.xls", "a.csv//", "a b.xml", ".", "..", "a/b.c/", "x.Csv ", "", "/", "日报/花名册.Txt", "a.xlsx.bak",
                      "a.XlSx", "a.xmll", "a.xl", "a.cs", "表.Xls/", "a.csv.", "c.tXT"])
    func extensionsAreFoundAsFoundationFindsThem(_ name: String) {
        let foundation = (name as NSString).pathExtension.lowercased()
        #expect(TableFormat.pathExtension(name) == foundation, "\(name)")
        let byExtension: [String: TableFormat] = ["csv": .csv, "txt": .csv, "xml": .spreadsheetML, "xlsx": .xlsx, "xls": .xls]
        #expect(TableFormat(fileName: name) == byExtension[foundation], "\(name)")
    }

    @Test func formatsByExtension() {
        #expect(TableFormat(fileName: "2020-02-08/日报/HYK001.CSV") == .csv)
        #expect(TableFormat(fileName: "说明.txt") == .csv)
        #expect(TableFormat(fileName: "a.XML") == .spreadsheetML)
        #expect(TableFormat(fileName: "a.xlsx") == .xlsx)
        #expect(TableFormat(fileName: "a.xls") == .xls)
        #expect(TableFormat(fileName: "a.pdf") == nil)
        #expect(TableFormat(fileName: ".csv") == nil)
    }
}
