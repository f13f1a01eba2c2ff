import BulletinCore
import BulletinIngest
import BulletinTestSupport
@_spi(Testing) import BulletinValidate
import Testing

struct HeaderMatcherTests {
    func sheet(_ rows: [[String]]) -> Sheet {
        let s = SheetBuilder()
        for (i, row) in rows.enumerated() {
            for cell in row { s.appendCell(cell) }
            s.endRow(number: i + 1)
        }
        return s.sheet(name: nil)
    }

    @Test func recognisesEachFormFromItsRequiredColumns() {
        for form in FormKind.allCases {
            let header = form.columns.filter(\.required).map(\.chinese)
            guard case .matched(let m) = HeaderMatcher.match(sheet([header])) else {
                Issue.record("\(form) not recognised")
                continue
            }
            #expect(m.form == form)
            #expect(m.missingRequired.isEmpty)
        }
    }

    @Test func headerAfterTitleRowsWithSpacesAndCase() {
        let s = sheet([["槐荫区XX学校人员摸排花名册"], ["填报单位：", "XX"],
                       [" 摸排日期 ", "\u{3000}机构代码", "PERSON_TYPE", "Name", "id_number"]])
        guard case .matched(let m) = HeaderMatcher.match(s) else { Issue.record("no match"); return }
        #expect(m.form == .roster && m.headerRow == 2)
        #expect(m.columnMap[RosterColumn.personType.rawValue] == 2)
    }

    @Test func moreThanHalfTheRequiredColumnsIsEnoughAndTheRestAreMissing() {
        // Exactly half (11 of 22, with 机构代码) would tie with the inspection log's 1 of 2 and be ambiguous.
        let names = DailyColumn.allCases.filter(\.spec.required).map(\.spec.chinese)
        guard case .matched(let m) = HeaderMatcher.match(sheet([Array(names.prefix(names.count / 2 + 1))])) else {
            Issue.record("no match"); return
        }
        #expect(m.form == .daily)
        #expect(m.missingRequired.count == names.count - names.count / 2 - 1)
    }

    /// Every name of every form's every column, in either language and typed with capitals, spaces and a
    /// byte-order mark, is found where it stands; a longer text that begins with a name is not that name.
    @Test func everyNameOfEveryColumnIsFoundWhereItStands() {
        for form in FormKind.allCases {
            for (variant, name) in [(0, \ColumnSpec.chinese), (1, \ColumnSpec.english)] {
                let header = form.columns.map { column -> String in
                    let text = column[keyPath: name]
                    return variant == 0 ? "\u{3000}" + text + " " : "\u{FEFF}" + text.uppercased() + "\t"
                }
                guard case .matched(let m) = HeaderMatcher.match(sheet([header + [header[0] + "号"]])) else {
                    Issue.record("\(form) not recognised by its \(variant == 0 ? "Chinese" : "English") names")
                    continue
                }
                #expect(m.form == form && m.columnMap == Array(form.columns.indices), "\(form), \(variant)")
                #expect(m.unknownColumns == [HeaderMatcher.normalise(header[0] + "号")])
            }
        }
    }

    @Test func noHeaderWithinTenRows() {
        let rows = Array(repeating: ["说明"], count: 10) + [FormKind.roster.columns.map(\.chinese)]
        guard case .noHeader = HeaderMatcher.match(sheet(rows)) else { Issue.record("expected no header"); return }
    }

    @Test func equalSharesAreAmbiguous() {
        // 联系日期, 学生姓名, 学生身份证号 (3 of care's 5) and 摸排日期, 人员类别, 姓名 (3 of roster's 5).
        let s = sheet([["联系日期", "学生姓名", "学生身份证号", "摸排日期", "人员类别", "姓名"]])
        guard case .ambiguous(let forms, _) = HeaderMatcher.match(s) else { Issue.record("expected ambiguity"); return }
        #expect(Set(forms) == [.care, .roster])
    }

    /// The byte-level key every header cell is looked up by is `normalise`'s text, for what people type
    /// around a name: spaces, full-width and no-break spaces, byte-order marks, line ends, capitals.
    @Test(arguments: ["  机构代码 ", "\u{3000}机构代码\u{3000}", "\u{FEFF}Institution_Code", " INSTITUTION_CODE\t",
                      "\u{A0}报告日期\u{FEFF}", "\r\n在济学生数\r\n", "", " ", "\u{FEFF} \u{FEFF} X ", "\u{FEFF}"])
    func headerKeysAreTheNormalisedText(_ typed: String) {
        var key: [UInt8] = []
        Array(typed.utf8).withUnsafeBufferPointer { HeaderMatcher.headerKey($0, into: &key) }
        #expect(key == Array(HeaderMatcher.normalise(typed).utf8))
    }
}
