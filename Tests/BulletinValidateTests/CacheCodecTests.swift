import BulletinCore
import BulletinIngest
import Foundation
import BulletinTestSupport
import BulletinValidate
import Testing

struct CacheCodecTests {
    @Test func aValidatedFileRoundTripsUnderItsNewName() throws {
        let csv = dailyCSV(rows: [dailyRow(), dailyRow(code: "HYS002", submitted: "上午"), "合计,,,,,,150"])
        let original = validate(csv, source: "2020-02-08/a.csv")
        let copy = try ValidatedFile(decoding: original.encoded(), source: "2020-02-09/b.csv")
        #expect(copy.dailyReports.count == 1 && copy.rejects.count == 1 && copy.totalRows.count == 1)
        #expect(copy.dailyReports[0].position.source == "2020-02-09/b.csv")
        var renamed = original.dailyReports[0]
        renamed.position.source = "2020-02-09/b.csv"
        #expect(copy.dailyReports[0] == renamed)
        #expect(copy.rejects[0].reason == original.rejects[0].reason && copy.rejects[0].date == original.rejects[0].date)
        #expect(copy.sheets == original.sheets)
    }

    @Test func rosterRowsTravelApartAndTheSnapshotIndexWithoutThem() throws {
        let csv = "摸排日期,机构代码,人员类别,姓名,身份证号,观察方式,观察开始日期\n"
            + "2020-02-08,HYS001,学生,张三,11010519491231002X,居家观察,2020-02-01\n2020-02-08,HYS002,教职工,李四,x,,\n"
        let original = validate(csv, source: "a.csv")
        var copy = try ValidatedFile(decoding: original.encoded(), source: "b.csv")
        #expect(copy.rosterEntries.isEmpty)
        #expect(copy.rosterSnapshots == original.rosterSnapshots && copy.rosterSnapshots.count == 2)
        try copy.decodeRoster(original.encodedRoster())
        #expect(copy.rosterEntries.map(\.person.pseudonym) == original.rosterEntries.map(\.person.pseudonym))
        #expect(copy.rosterEntries[0].observationStart == original.rosterEntries[0].observationStart)
        #expect(copy.rosterEntries[0].position.source == "b.csv" && copy.rosterEntries[0].position.row == 2)
    }

    /// Care contacts and duty shifts are decoded when one of them carries a date asked for, and passed
    /// over unread otherwise; everything else in the file comes back either way.
    @Test func careContactsAndDutyShiftsAreDecodedOnlyForTheDatesAskedFor() throws {
        let care = "联系日期,机构代码,学生姓名,学生身份证号,负责教师,联系方式\n"
            + "2020-02-08,HYS001,张三,11010519491231002X,王老师,电话\n2020-02-09,HYS001,李四,11010519491231002X,王老师,微信\n"
            + "2020-02-09,HYS001,,x,王老师,电话\n"
        let duty = "值班日期,姓名,身份证号,值守点位,开始时间,结束时间\n2020-02-07,赵六,11010519491231002X,东门,08:00,20:00\n"
        for (csv, dates) in [(care, ["2020-02-08", "2020-02-09"]), (duty, ["2020-02-07"])] {
            let original = validate(csv, source: "a.csv")
            #expect(original.careContacts.count + original.dutyShifts.count == dates.count)
            let bytes = original.encoded()
            let asked = { (days: [String]) in
                try ValidatedFile(decoding: bytes, source: "a.csv",
                                  keeping: .init(dailyReports: [], careAndDuty: Set(days.map { LocalDate(iso: $0)! })))
            }
            for day in dates {
                let copy = try asked(["2020-01-01", day])
                #expect(copy.careContacts.map(\.student.pseudonym) == original.careContacts.map(\.student.pseudonym))
                #expect(copy.dutyShifts.map(\.cadre.pseudonym) == original.dutyShifts.map(\.cadre.pseudonym))
            }
            let passedOver = try asked(["2020-02-10", "2020-01-01"])
            #expect(passedOver.careContacts.isEmpty && passedOver.dutyShifts.isEmpty)
            #expect(passedOver.sheets == original.sheets && passedOver.rejects.count == original.rejects.count)
            let whole = try ValidatedFile(decoding: bytes, source: "a.csv")
            #expect(whole.careContacts.count == original.careContacts.count && whole.dutyShifts.count == original.dutyShifts.count)
        }
        #expect(validate(care, source: "a.csv").rejects.count == 1)
    }

    /// Daily reports and total rows are decoded when one of them carries a date asked for, and passed
    /// over unread otherwise: all of a file's or none.
    @Test func dailyReportsAreDecodedOnlyForTheDatesAskedFor() throws {
        let csv = dailyCSV(rows: [dailyRow(), dailyRow(date: "2020-02-09", code: "HYS002"), dailyRow(date: "2020-02-09", code: "HYS003", students: ["百", "90", "10", "0", "0", "1", "0", "0", "0"]),
                                  "合计,,,,,,200"])
        let original = validate(csv, source: "a.csv")
        #expect(original.dailyReports.count == 2 && original.rejects.count == 1 && original.totalRows.count == 1)
        let bytes = original.encoded()
        func asked(_ days: [String]) throws -> ValidatedFile {
            try ValidatedFile(decoding: bytes, source: "a.csv", keeping: .init(dailyReports: Set(days.map { LocalDate(iso: $0)! }), careAndDuty: []))
        }
        for day in ["2020-02-08", "2020-02-09"] {
            let copy = try asked([day])
            #expect(copy.dailyReports == original.dailyReports && copy.totalRows.map(\.stated) == original.totalRows.map(\.stated))
        }
        let passedOver = try asked(["2020-02-10"])
        #expect(passedOver.dailyReports.isEmpty && passedOver.totalRows.isEmpty)
        #expect(passedOver.rejects.map(\.reason) == original.rejects.map(\.reason) && passedOver.sheets == original.sheets)
    }

    /// The snapshot index is taken a run of rows at a time: snapshots that come back after another, or
    /// differ in the code or the date alone, are all in it, each once.
    @Test func everySnapshotOfAFileIsIndexedWhateverTheOrderOfItsRows() throws {
        let rows = [("2020-02-08", "HYS001"), ("2020-02-08", "HYS001"), ("2020-02-08", "HYS002"), ("2020-02-01", "HYS002"),
                    ("2020-02-08", "HYS001"), ("2020-02-01", "HYS001")]
        let csv = "摸排日期,机构代码,人员类别,姓名,身份证号\n" + rows.map { "\($0.0),\($0.1),学生,张三,11010519491231002X\n" }.joined()
        let file = validate(csv, source: "a.csv")
        #expect(file.rosterEntries.count == rows.count)
        let expected = Set(rows.map { RosterSnapshot(code: $0.1, asOf: LocalDate(iso: $0.0)!) })
        #expect(file.rosterSnapshots == expected && expected.count == 4)
    }

    @Test func everyShapeOfIDNumberKeepsItsMaskedFormThroughTheStore() throws {
        // A valid number, a short one, one with Chinese in it, one with full-width digits (folded to ASCII).
        let ids = ["11010519491231002X", "12345", "370102二〇〇五1111232", "１１０１０５１９４９１２３１００２Ｘ"]
        let csv = "摸排日期,机构代码,人员类别,姓名,身份证号\n" + ids.map { "2020-02-08,HYS001,学生,张三,\($0)\n" }.joined()
        let original = validate(csv, source: "a.csv")
        #expect(original.rosterEntries.map(\.person.masked)
                == ["110105********002X", "*****", "370102********1232", "110105********002X"])
        var copy = try ValidatedFile(decoding: original.encoded(), source: "a.csv")
        try copy.decodeRoster(original.encodedRoster())
        #expect(copy.rosterEntries.map(\.person.masked) == original.rosterEntries.map(\.person.masked))
        #expect(copy.rosterEntries.map(\.person.problem) == original.rosterEntries.map(\.person.problem))
    }

    @Test func maskedIDsSortAsTheirTextDoes() {
        // Lengths either side of the words the ASCII test and the visible bytes are read in, non-ASCII late.
        let ids = ["37010220051111232X", "110105194912310021", "11010519491231002X", "1101051949", "370102二〇〇五1111232",
                   "12345", "", "A10105194912310021", "110105194912310021123456", "1101051949123é", "11010519491231002é"]
        let masked = ids.map { id in Array(id.utf8).withUnsafeBufferPointer { MaskedID(utf8: $0) } }
        #expect(masked.map(\.description) == ids.map(Masking.idNumber))
        #expect(masked.sorted().map(\.description) == masked.map(\.description).sorted())
    }

    /// Every roster row of a generated district, in every format, comes back from the store's records
    /// equal in every field (blank and filled values alike, the generator's bad ID numbers included).
    @Test func everyRosterRowOfAGeneratedDistrictComesBackWhole() throws {
        let district = try sampleDistrict("roster-codec", days: 8, seed: 3, formats: [.csv, .xlsx, .spreadsheetML])
        let files = FileManager.default.enumerator(atPath: district.landing.path)!.compactMap { $0 as? String }
            .filter { $0.contains("花名册/") }.sorted()
        var rows: [RosterEntry] = []
        for path in files {
            let bytes = try [UInt8](Data(contentsOf: district.landing.appendingPathComponent(path)))
            let format = TableFormat(fileName: path)!
            let original = FileValidator.validate(bytes: bytes, source: path, format: format, pseudonyms: .testing)
            var copy = try ValidatedFile(decoding: original.encoded(), source: path)
            try copy.decodeRoster(original.encodedRoster())
            #expect(copy.rosterEntries == original.rosterEntries, "\(path)")
            rows += original.rosterEntries
        }
        // What the comparison covered: blanks and values of every kind.
        #expect(rows.count > 1_000)
        #expect(rows.contains { $0.person.problem != nil } && rows.contains { $0.person.isMale == nil })
        #expect(rows.contains { $0.observationStart != nil } && rows.contains { $0.observationStart == nil })
        #expect(rows.contains { $0.returnDate != nil } && rows.contains { $0.onDuty == true })
        #expect(rows.contains { $0.position.source.contains("#") })   // sheets of workbooks as well as files
    }

    /// A roster blob with any one byte changed is read or refused as corrupt: never a crash, never an
    /// out-of-range choice, date or string.
    @Test func aRosterBlobWithAnyByteChangedIsReadOrRefused() throws {
        // A second row of blanks and a bad ID number (its masked form and problem kept as text).
        let file = validate(CacheCodecGoldenBytesTests.roster + "2020-02-08,HYS002,教职工,李四,,12345,,,,\n", source: "a.csv")
        #expect(file.rosterEntries.count == 2)
        let blob = file.encodedRoster()
        for at in ValidatedFile.header.count..<blob.count {
            for value: UInt8 in [0x00, 0x7F, 0xFE, 0xFF] where blob[at] != value {
                var changed = blob
                changed[at] = value
                var read = ValidatedFile(source: "a.csv")
                do { try read.decodeRoster(changed) } catch is BinaryReader.Corrupt { continue }
                #expect(read.rosterEntries.count == 2)
            }
        }
    }

    /// One-byte varints are read inline and longer ones by a loop: values on both sides of the boundary
    /// (−64…63 in one byte), at the extremes, and a longer one cut short, all read as written or refused.
    @Test func integersOnEitherSideOfTheOneByteBoundaryRoundTrip() throws {
        let values = [0, 1, -1, 63, -64, 64, -65, 127, -128, 8_191, -8_192, 8_192, 1 << 40, -(1 << 40), Int.max, Int.min]
        var w = BinaryWriter()
        for v in values { w.int(v) }
        #expect(try BinaryReader.reading(w.bytes) { r in try values.map { _ in try r.int() } } == values)
        var long = BinaryWriter()
        long.int(64)
        #expect(throws: BinaryReader.Corrupt.self) { try BinaryReader.reading(Array(long.bytes.dropLast())) { try $0.int() } }
    }

    @Test func aTruncatedBlobIsRefused() {
        let bytes = validate(dailyCSV(rows: [dailyRow()])).encoded()
        #expect(throws: BinaryReader.Corrupt.self) { try ValidatedFile(decoding: Array(bytes.dropLast(3)), source: "x.csv") }
    }
}

/// The store's bytes pinned: a change to the codec that is not a change of its version fails here.
/// (Daily counts are encoded by the form's declaration, whose fingerprint is in the version; the
/// roster row holds the person's pseudonym, the testing key's AES-CMAC of the number.)
struct CacheCodecGoldenBytesTests {
    static let registry = "机构代码,机构名称,机构类别,办学性质,所属街道,在册学生数,教职工数,联系电话,状态\n"
        + "HYK001,槐荫区第1幼儿园,幼儿园,公办,匡山街道,120,15,13912345678,正常\n"
        + "HYT001,济南书法培训学校,training,民办,西市场街道,0,4,,停办\n"
    static let roster = "摸排日期,机构代码,人员类别,姓名,性别,身份证号,当前所在地,健康状况,观察方式,观察开始日期\n"
        + "2020-02-08,HYS001,学生,张三,女,11010519491231002X,在济,发热,居家观察,2020-02-01\n"

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test func everyEncodingStartsWithTheMagicAndTheVersion() {
        var w = BinaryWriter()
        w.int(ValidatedFile.codecVersion)
        #expect(ValidatedFile.header == Array("BLTN".utf8) + w.bytes)
        let file = validate(Self.registry, source: "registry/2020-02-01.csv")
        #expect(file.encoded().starts(with: ValidatedFile.header) && file.encodedRoster().starts(with: ValidatedFile.header))
    }

    @Test func aRegistryAndARosterEncodeToThePinnedBytes() {
        let registry = validate(Self.registry, source: "registry/2020-02-01.csv")
        #expect(registry.institutions.count == 2)
        let body = Array(registry.encoded().dropFirst(ValidatedFile.header.count))
        #expect(Self.hex(body) == "040c48594b3030312ce6a790e88dabe58cbae7acac31e5b9bce584bfe59bad0018e58ca1e5b1b1e8a197e98193f0011e01000104000c48595430303130e6b58ee58d97e4b9a6e6b395e59fb9e8aeade5ada6e6a0a1101ee8a5bfe5b882e59cbae8a197e981930008000001060000040000000004000000000002000118696e737469747574696f6e730604000200000000")
        let roster = validate(Self.roster, source: "2020-02-08/r.csv")
        #expect(roster.rosterEntries.count == 1)
        let rows = Array(roster.encodedRoster().dropFirst(ValidatedFile.header.count))
        #expect(Self.hex(rows) == "040c48595330303100027c47000000000000000100010100000000000080754700000000008001000000e0828181dd7eacdb6cadc18603e65a9a353031303131000058323030ffffffff01000000ffffffff0200000000000000")
    }
}

/// The store keeps a choice as its ordinal, read from the case's own byte: for every set, each case's
/// ordinal is its place in `allCases`, so what is stored decodes back to the same case.
struct ChoiceOrdinalTests {
    func ordinalsArePlaces<C: Choosable>(_: C.Type) -> Bool {
        MemoryLayout<C>.size == 1 && C.all.enumerated().allSatisfy { $0.element.ordinal == $0.offset && C(ordinal: $0.offset) == $0.element }
    }

    @Test func everyCaseIsStoredAsItsPlaceInAllCasesAndMadeBackFromIt() {
        #expect(ordinalsArePlaces(InstitutionCategory.self))
        #expect(ordinalsArePlaces(Ownership.self))
        #expect(ordinalsArePlaces(InstitutionStatus.self))
        #expect(ordinalsArePlaces(PersonType.self))
        #expect(ordinalsArePlaces(Gender.self))
        #expect(ordinalsArePlaces(Whereabouts.self))
        #expect(ordinalsArePlaces(HealthStatus.self))
        #expect(ordinalsArePlaces(ObservationKind.self))
        #expect(ordinalsArePlaces(ParentRole.self))
        #expect(ordinalsArePlaces(ContactMethod.self))
        #expect(ordinalsArePlaces(Mood.self))
        #expect(ordinalsArePlaces(StudyStatus.self))
        #expect(ordinalsArePlaces(InspectionKind.self))
    }
}
