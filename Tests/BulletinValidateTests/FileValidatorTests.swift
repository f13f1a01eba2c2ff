import BulletinCore
import BulletinIngest
import BulletinSample
import BulletinTestSupport
import BulletinValidate
import Testing

struct FileValidatorTests {
    /// Columns declared `ignored` (remarks, the reporter's phone) are neither read nor checked: what
    /// they hold — a NUL, text in a phone column — never costs the row, and is kept nowhere.
    @Test func ignoredColumnsAreNeverReadOrKept() {
        let row = dailyRow(other: [.remarks: "备注\u{1}有控制字符", .reporterPhone: "不是电话 13812345678"])
        let v = validate(dailyCSV(rows: [row]))
        #expect(v.dailyReports.count == 1 && v.rejects.isEmpty && v.furtherProblems.isEmpty)
        #expect(!v.encoded().contains(Array("13812345678".utf8)), "the phone is not stored")
        // The same NUL in a column that is read rejects the row, naming it.
        let bad = validate(dailyCSV(rows: [dailyRow(other: [.name: "乙小学\u{1}"])]))
        #expect(bad.rejects.first?.reason == .controlCharacter && bad.rejects.first?.position.column == "机构名称")
    }

    /// Cells typed where they lie and cells folded first give the same values: full-width digits and
    /// letters, a date typed in full-width, and a name longer than the fold buffer starts with (the
    /// buffer grows; a NUL past its first 256 bytes is still seen).
    @Test func fullWidthAndLongCellsAreFoldedBeforeTyping() {
        let longName = String(repeating: "乙小学Ａ", count: 40)   // 480 bytes, with full-width letters to fold
        let folded = validate(dailyCSV(rows: [
            dailyRow(date: "２０２０-０２-０８", code: "ＨＹＳ００１", students: ["１００", "９０", "１０", "0", "0", "1", "0", "0", "0"],
                     other: [.name: longName]),
        ]))
        #expect(folded.rejects.isEmpty)
        let r = folded.dailyReports.first
        #expect(r?.code == "HYS001" && r?.date == LocalDate(year: 2020, month: 2, day: 8))
        #expect(r?.counts.figure(.total, of: .students) == 100 && r?.counts.figure(.away, of: .students) == 10)
        #expect(r?.name == String(repeating: "乙小学A", count: 40))
        let bad = validate(dailyCSV(rows: [dailyRow(other: [.name: longName + "\u{0}"])]))
        #expect(bad.rejects.first?.reason == .controlCharacter && bad.rejects.first?.position.column == "机构名称")
    }

    /// Workbooks are asked once per sheet whether a cell may need folding, as CSV files are: below a
    /// title row's full-width colon, full-width cells are still folded and a control character still fails its row,
    /// in .xlsx (cells as shared strings, anywhere in the sheet's bytes) and SpreadsheetML alike.
    @Test func workbookCellsAreFoldedAndCheckedBelowTitleRows() throws {
        let titles = [["槐荫区XX学校疫情防控日报"], ["填报单位：XX学校"]]
        func rows(_ data: [String]) -> [[String]] {
            [DailyColumn.allCases.map(\.spec.chinese)] + data.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let plain = rows([dailyRow(), dailyRow(code: "HYS002")])
        let fullWidth = rows([dailyRow(), dailyRow(date: "２０２０-０２-０８", code: "ＨＹＳ００２")])
        // DEL: a control character XML allows (a NUL or U+0001 makes the whole workbook unreadable).
        let nul = rows([dailyRow(), dailyRow(code: "HYS002", other: [.name: "乙小学\u{7F}"])])
        for (format, make) in [(TableFormat.xlsx, { SampleWorkbook.xlsx(sheet: "日报", titles: titles, rows: $0) }),
                               (TableFormat.spreadsheetML, { SampleWorkbook.spreadsheetML(sheet: "日报", titles: titles, rows: $0) })] {
            let read = { (sheet: [[String]]) in
                FileValidator.validate(bytes: make(sheet), source: "2020-02-08/a.\(format.rawValue)", format: format, pseudonyms: .testing)
            }
            let a = read(plain), b = read(fullWidth), c = read(nul)
            #expect(a.rejects.isEmpty && a.dailyReports.map(\.code) == ["HYS001", "HYS002"], "\(format)")
            #expect(b.rejects.isEmpty && b.dailyReports.map(\.code) == ["HYS001", "HYS002"], "\(format)")
            #expect(b.dailyReports.last?.date == LocalDate(year: 2020, month: 2, day: 8), "\(format)")
            #expect(c.dailyReports.map(\.code) == ["HYS001"] && c.rejects.first?.reason == .controlCharacter
                    && c.rejects.first?.position.column == "机构名称", "\(format)")
        }
    }

    @Test func headerBelowTitleRowsAndEveryRowAccounted() {
        let v = validate(dailyCSV(rows: [dailyRow(), "", dailyRow(code: "HYS002"), "合计,,,,,,200"]))
        #expect(v.forms == [.daily])
        #expect(v.dailyReports.map(\.code) == ["HYS001", "HYS002"])
        #expect(v.dailyReports[0].position.row == 4)
        let s = v.sheets[0]
        #expect(s.rowsRead == 7)
        #expect(s.accepted == 2 && s.rejected == 0 && s.skipped == 5)
        #expect(s.rowsRead == s.accepted + s.rejected + s.skipped)
    }

    @Test func englishHeadersShuffledColumnsAndUnknownColumnWarned() {
        let names = DailyColumn.allCases.map(\.spec.english)
        let row = dailyRow().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let order = Array(names.indices.reversed())
        let csv = (order.map { names[$0].uppercased() } + ["extra"]).joined(separator: ",") + "\n"
            + (order.map { row[$0] } + ["x"]).joined(separator: ",") + "\n"
        let v = validate(csv)
        #expect(v.dailyReports.count == 1)
        #expect(v.dailyReports.first?.counts.figure(.total, of: .students) == 100)
        #expect(v.warnings.count == 1 && v.warnings[0].contains("extra"))
    }

    @Test(arguments: [
        (dailyRow(students: ["", "90", "10", "0", "0", "1", "0", "0", "0"]), "missing_value", "学生总数"),
        (dailyRow(students: ["100", "九十", "10", "0", "0", "1", "0", "0", "0"]), "bad_count", "在济学生数"),
        (dailyRow(students: ["100", "90", "-10", "0", "0", "1", "0", "0", "0"]), "bad_count", "离济学生数"),
        (dailyRow(submitted: "上午"), "bad_date", "填报时间"),
        (dailyRow(date: "2020-02-30"), "bad_date", "报告日期"),
        (dailyRow(zero: "可能"), "bad_enum", "是否零报告"),
    ])
    func rejectsWithReasonAndColumn(_ row: String, _ reason: String, _ column: String) {
        let v = validate(dailyCSV(rows: [row]))
        #expect(v.dailyReports.isEmpty)
        #expect(v.rejects.count == 1)
        let r = v.rejects[0]
        #expect(r.reason.rawValue == reason)
        #expect(r.position.column == column)
        #expect(r.position.row == 4)
        #expect(r.position.source == "2020-02-08/a.csv")
        #expect(v.sheets[0].rejected == 1)
    }

    @Test func rejectedRowKeepsItsDateAndCodeForReceived() {
        let v = validate(dailyCSV(rows: [dailyRow(submitted: "上午")]))
        #expect(v.rejects[0].date == LocalDate(year: 2020, month: 2, day: 8))
        #expect(v.rejects[0].institutionCode == "HYS001")
    }

    @Test func idAndPhoneNumbersInRejectedValuesAreMasked() {
        let csv = "摸排日期,机构代码,人员类别,姓名,身份证号\n370104200801011234,HYS001,学生,张三,370104200801011234\n"
            + "13812345678,HYS001,学生,李四,370104200801011234\n"
        let v = validate(csv)
        #expect(v.rejects.map(\.reason) == [.badDate, .badDate])
        #expect(v.rejects.map(\.value) == ["370104********1234", "*******5678"])
    }

    @Test func blankRequiredValueIsMissing() {
        let v = validate("摸排日期,机构代码,人员类别,姓名,身份证号\n2020-02-08,HYS001,学生,张三,\n")
        #expect(v.rejects.first?.reason == .missingValue)
        #expect(v.rejects.first?.position.column == "身份证号")
    }

    @Test func unknownHeaderRejectsTheFile() {
        let v = validate("姓名,电话\n张三,13812345678\n")
        #expect(v.fileRejected)
        #expect(v.rejects.map(\.reason) == [.unknownForm])
        #expect(v.sheets[0].skipped == 2)
    }

    @Test func aHeaderThatFitsTwoFormsEquallyRejectsTheFile() {
        let v = validate("联系日期,学生姓名,学生身份证号,摸排日期,人员类别,姓名\n2020-02-08,张三,x,2020-02-08,学生,张三\n")
        #expect(v.fileRejected)
        #expect(v.rejects.map(\.reason) == [.unknownForm])
        #expect(v.rejects.first?.position.row == 1)
        #expect(v.rejects.first?.message.contains("温暖在线关爱记录") == true)
    }

    @Test func missingRequiredColumnRejectsTheFile() {
        let header = DailyColumn.allCases.filter { $0 != .submittedAt }.map(\.spec.chinese).joined(separator: ",")
        let v = validate(header + "\n1,2,3\n")
        #expect(v.fileRejected)
        #expect(v.rejects.first?.reason == .missingColumn)
        #expect(v.rejects.first?.position.column == "填报时间")
        #expect(v.dailyReports.isEmpty)
    }

    @Test func undecodableFileIsRejectedWithPosition() {
        let v = FileValidator.validate(bytes: [0x41, 0xFF, 0xFF], source: "x.csv", format: .csv, pseudonyms: .testing)
        #expect(v.fileRejected)
        #expect(v.rejects.first?.reason == .unreadableFile)
        #expect(v.rejects.first?.message.contains("byte 1") == true)
    }

    @Test func totalRowCarriesStatedAndSummedCounts() {
        let v = validate(dailyCSV(title: false, rows: [dailyRow(), dailyRow(code: "HYS002"), "合计,,,,,,150"]))
        #expect(v.totalRows.count == 1)
        let t = v.totalRows[0]
        let column = DailyColumn.figure(.total, of: .students).rawValue
        #expect(t.stated[column] == 150)
        #expect(t.summed[column] == 200)
        #expect(t.position.row == 4)
        // Summed only for the columns the total row states, over the usable reports above it: none above the
        // first total row, the one below it after (a rejected row adds nothing).
        let twice = validate(dailyCSV(title: false, rows: ["合计,,,,,,150", dailyRow(), dailyRow(date: "2月30日"), "合计,,,,,,150"]))
        #expect(twice.totalRows.map(\.summed) == [[:], [column: 100]])
    }

    @Test func rosterRowTypedFully() {
        let csv = "摸排日期,机构代码,人员类别,姓名,性别,身份证号,当前所在地,返济日期,湖北旅居接触史,健康状况,观察方式,观察开始日期,观察结束日期,是否在岗\n"
            + "2020-02-08,HYS001,教职工,李四,女,11010519491231002X,在济,2月1日,否,健康,居家观察,2020-02-01,2020-02-14,N\n"
        let v = validate(csv)
        let e = try! #require(v.rosterEntries.first)
        #expect(e.personType == .staff && e.gender == .female && e.location == .inCity && e.observation == .home && e.onDuty == false)
        #expect(e.returnDate == LocalDate(year: 2020, month: 2, day: 1))
        #expect(e.person == Pseudonymizer.testing.person("11010519491231002X", asOf: nil))
        #expect(e.person.masked == "110105********002X" && e.person.problem == nil && e.person.isMale == false)
    }

    /// A row's code is made again whenever its cell's bytes differ from the row before's (the parser keeps
    /// the last one): runs of one code, codes of one length, a padded or full-width spelling, a blank.
    @Test func eachRowKeepsItsOwnInstitutionCode() {
        let header = "摸排日期,机构代码,人员类别,姓名,性别,身份证号\n"
        let codes = ["HYS001", "HYS001", "HYS002", "HYS001", " HYS001 ", "ＨＹＳ００３", "HYS0011", "110105194912310021", "HYS002"]
        let ids = ["11010519491231002X", "110105194912310021", "110105194912310048", "110105194912310064",
                   "110105194912310080", "110105194912310101", "110105194912310128", "110105194912310144", "110105194912310160"]
        let rows = zip(codes, ids).map { "2020-02-08,\($0),学生,李四,女,\($1)" } + ["2020-02-08,,学生,李四,女,11010519491231018X"]
        let v = validate(header + rows.joined(separator: "\n") + "\n")
        #expect(v.rosterEntries.map(\.code) == ["HYS001", "HYS001", "HYS002", "HYS001", "HYS001", "HYS003", "HYS0011",
                                                "110105********0021", "HYS002"])
        #expect(v.rejects.map(\.reason) == [.missingValue])
    }

    /// Roster rows' pseudonyms are made a batch of rows at a time: across several batches, with a
    /// rejected row, a number typed in full-width digits (folded, so made at once) and numbers of other
    /// lengths among them, every entry has its own number's pseudonym.
    @Test func everyRosterEntryHasItsOwnNumbersPseudonym() {
        let header = "摸排日期,机构代码,人员类别,姓名,性别,身份证号\n"
        var ids = (0..<600).map { "1101051949" + String(10_000_000 + $0 * 7) }
        ids[3] = "１１０１０５１９４９１２３１００２Ｘ"
        ids[300] = "110105491231002"                 // fifteen digits: one block
        ids[301] = String(repeating: "1", count: 40)  // three blocks: made alone
        ids[520] = ""                                  // blank: the row is rejected
        let rows = ids.map { "2020-02-08,HYS001,学生,李四,女,\($0)" }
        let v = validate(header + rows.joined(separator: "\n") + "\n")
        let kept = ids.filter { !$0.isEmpty }
        #expect(v.rosterEntries.count == kept.count && v.rejects.map(\.reason) == [.missingValue])
        let numbers = kept.map { $0.hasPrefix("１") ? "11010519491231002X" : $0 }   // the full-width number, folded
        let wrong = zip(v.rosterEntries, numbers).enumerated().filter { $1.0.person.pseudonym != Pseudonymizer.testing.person($1.1, asOf: nil).pseudonym }.map(\.offset)
        #expect(wrong.isEmpty, "entries with another number's pseudonym: \(wrong.prefix(10))")
        #expect(v.rosterEntries[3].person.masked == "110105********002X")
    }

    /// A date cell is read again whenever its text or the year it is read against differs from the row
    /// before's in its column (the parser keeps each date column's last reading): the same 返济日期 text
    /// under another 摸排日期 year, texts alternating, a bad date between good ones, a longer text.
    @Test func eachRowReadsItsOwnDates() {
        let header = "摸排日期,机构代码,人员类别,姓名,性别,身份证号,当前所在地,返济日期\n"
        let cells = [("2020-02-08", "2月1日"), ("2020-02-08", "2月1日"), ("2021-02-08", "2月1日"), ("2021-02-08", "2020-01-30"),
                     ("2021-02-08", "2月1日"), ("2021-02-08", "2月30日"), ("2021-02-08", "2月1日"), ("2021-02-08", "2021年2月1日 00:00:00")]
        let ids = ["11010519491231002X", "110105194912310021", "110105194912310048", "110105194912310064",
                   "110105194912310080", "110105194912310101", "110105194912310128", "110105194912310144"]
        let rows = zip(cells, ids).map { "\($0.0),HYS001,学生,李四,女,\($1),在济,\($0.1)" }
        let v = validate(header + rows.joined(separator: "\n") + "\n")
        let d = { (y: Int, m: Int, day: Int) in LocalDate(year: y, month: m, day: day) }
        #expect(v.rosterEntries.map(\.returnDate) == [d(2020, 2, 1), d(2020, 2, 1), d(2021, 2, 1), d(2020, 1, 30), d(2021, 2, 1),
                                                       d(2021, 2, 1), d(2021, 2, 1)])
        #expect(v.rejects.map(\.reason) == [.badDate] && v.rejects.first?.position.row == 7)
    }
}

struct YearlessDateTests {
    @Test func aReportDateWithoutAYearTakesTheLandingDaysYear() {
        let csv = dailyCSV(title: false, rows: [dailyRow(date: "2月8日", submitted: "2月8日 9:30")])
        let v = FileValidator.validate(bytes: Array(csv.utf8), source: "2020-02-08/a.csv", format: .csv, defaultYear: 2020, pseudonyms: .testing)
        #expect(v.dailyReports.first?.date == LocalDate(year: 2020, month: 2, day: 8))
        let strict = FileValidator.validate(bytes: Array(csv.utf8), source: "a.csv", format: .csv, pseudonyms: .testing)
        #expect(strict.rejects.first?.reason == .badDate)
    }
}
