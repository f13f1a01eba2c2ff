import BulletinCore

extension SampleGenerator {
    /// The figures an institution reports on day `d`, from the latest roster it wrote.
    func figures(of code: String, day d: Int) -> (students: [Int], staff: [Int]) {
        var students = [Int](repeating: 0, count: 9), staff = students
        guard let snaps = snapshots[code], let s = snaps.keys.filter({ $0 <= d }).max() else { return (students, staff) }
        // The school counts its own list, including any row the pipeline will reject.
        let rows = people[code]!.map { RosterRow($0, asOf: s) }
        for row in rows {
            func add(_ f: Figure) {
                if row.person.type == 0 { students[f.rawValue] += 1 } else { staff[f.rawValue] += 1 }
            }
            add(.total)
            add(row.location == 1 ? .away : .inCity)
            if row.returnDay == d { add(.returned) }
            if row.person.hubei { add(.hubei) }
            if row.underObservation(on: d) { add(.observation) }
            switch row.person.health {
            case 1: add(.fever)
            case 2: add(.suspected)
            case 3: add(.confirmed)
            default: break
            }
        }
        return (students, staff)
    }

    /// One row's cells by `DailyColumn`, as the author types them.
    func dailyCells(_ l: LedgerRow, style: TypingStyle, hasOnline: Bool) -> [String] {
        var cells = [String](repeating: "", count: DailyColumn.allCases.count)
        cells[DailyColumn.reportDate.rawValue] = style.rowDate(date(l.day))
        cells[DailyColumn.code.rawValue] = l.code
        cells[DailyColumn.name.rawValue] = l.name
        cells[DailyColumn.reporter.rawValue] = "填报员"
        cells[DailyColumn.submittedAt.rawValue] = style.dateTime(
            LocalDateTime(date: date(l.day + l.submittedDayOffset), secondOfDay: l.submittedSecond))
        for f in Figure.allCases {
            cells[DailyColumn.figure(f, of: .students).rawValue] = style.count(l.students[f.rawValue])
            cells[DailyColumn.figure(f, of: .staff).rawValue] = style.count(l.staff[f.rawValue])
        }
        if hasOnline {
            cells[DailyColumn.onlineLearners.rawValue] = l.learners.map(style.count) ?? ""
            cells[DailyColumn.onlineDifficulty.rawValue] = l.difficulty.map(style.count) ?? ""
        }
        cells[DailyColumn.zeroReport.rawValue] = l.zeroFlag ? "是" : "否"
        return cells
    }

    /// Every daily report of day `d`, in batch files by street (training institutions in one),
    /// plus late, separate and broken files as planned.
    mutating func writeDailyReports(day d: Int) throws {
        var batches: [String: [(LedgerRow, RejectCell?)]] = [:]
        var singles: [(path: String, row: LedgerRow, droppedColumn: Int?)] = []
        for institution in institutions {
            let code = institution.code
            if let closed = plan.closed, closed.code == code, d >= closed.day { continue }
            let problem = plan.problem(of: code, day: d)
            if problem == .missing { continue }
            let (students, staff) = figures(of: code, day: d)
            var row = LedgerRow(code: code, day: d, folderDay: d, submittedSecond: r.int(27_000...41_400),
                                students: students, staff: staff, zeroFlag: !(students[6...].contains { $0 > 0 } || staff[6...].contains { $0 > 0 }),
                                name: institution.name)
            if institution.group == .school {
                row.difficulty = r.int(0...min(2, students[0]))
                row.learners = students[0] - row.difficulty! - r.int(0...1)
                row.learners = max(0, row.learners!)
            }
            var reject: RejectCell?
            switch problem {
            case .lateSameDay?: row.submittedSecond = r.int(46_800...64_800)
            case .lateNextDay?:
                row.folderDay = d + 1
                row.submittedDayOffset = 1
                row.submittedSecond = r.int(28_800...32_400)
            case .duplicate?:
                var early = row
                early.submittedSecond = r.int(25_200...26_400)
                early.students[Figure.total.rawValue] += 1
                early.students[Figure.inCity.rawValue] += 1
                batches[batchName(institution, day: d), default: []].append((early, nil))
            case .nameMismatch?: row.name = institution.name + "分校"
            case .zeroFlag?: row.zeroFlag.toggle()
            case .sumMismatch?: row.students[Figure.inCity.rawValue] += row.students[Figure.inCity.rawValue] > 0 ? -1 : 1
            case .countExceeds?: row.learners = row.students[0] + 3
            case .badCount?: reject = RejectCell(column: .figure(.fever, of: .students), value: "无", reason: "bad_count")
            case .missingValue?: reject = RejectCell(column: .figure(.total, of: .students), value: "", reason: "missing_value")
            case .badDateTime?: reject = RejectCell(column: .submittedAt, value: "上午", reason: "bad_date")
            case .spike?: row.students[Figure.returned.rawValue] += 9
            default: break
            }
            row.usable = reject == nil
            if problem == .lateNextDay {
                singles.append(("\(date(d + 1))/日报/补报_\(code)", row, nil))
            } else if problem == .missingColumn {
                singles.append(("\(date(d))/日报/\(code)", row, DailyColumn.figure(.confirmed, of: .staff).rawValue))
            } else {
                batches[batchName(institution, day: d), default: []].append((row, reject))
            }
        }
        if config.plantProblems {
            let stray = LedgerRow(code: "HYX9\(zeroPadded(width: 2, d))", day: d, folderDay: d, submittedSecond: 30_000,
                                  students: [0, 0, 0, 0, 0, 0, 0, 0, 0], staff: [3, 3, 0, 0, 0, 0, 0, 0, 0],
                                  zeroFlag: true, name: "未登记培训机构")
            batches["\(date(d))/日报/培训机构", default: []].append((stray, nil))
        }
        for (k, name) in batches.keys.sorted().enumerated() {
            try writeBatch(name, rows: batches[name]!, day: d, plantTotalMismatch: config.plantProblems && d > 0 && k == 0)
        }
        for (path, row, dropped) in singles {
            try writeBatch(path, rows: [(row, nil)], day: d, dropColumn: dropped)
        }
    }

    private func batchName(_ institution: SampleInstitution, day d: Int) -> String {
        institution.group == .training ? "\(date(d))/日报/培训机构" : "\(date(d))/日报/\(institution.street)"
    }

    private mutating func writeBatch(_ path: String, rows: [(LedgerRow, RejectCell?)], day d: Int,
                                     plantTotalMismatch: Bool = false, dropColumn: Int? = nil) throws {
        let style = TypingStyle.random(&r, encodings: config.csvEncodings, uniform: config.uniformTyping)
        let (names, order) = header(.daily, style: style, drop: dropColumn.map { [$0] } ?? [])
        var data: [[String]] = []
        var sums = [Int](repeating: 0, count: DailyColumn.allCases.count)
        let hasOnline = rows.contains { $0.0.learners != nil }
        for (row, reject) in rows {
            var cells = dailyCells(row, style: style, hasOnline: hasOnline)
            if let reject { cells[reject.column.rawValue] = reject.value }
            if reject == nil {
                for column in DailyColumn.countColumns {
                    sums[column.rawValue] += Int(cells[column.rawValue].unicodeScalars.map {
                        $0.value >= 0xFF10 ? Character(UnicodeScalar($0.value - 0xFEE0)!) : Character($0)
                    }.map(String.init).joined()) ?? 0
                }
            }
            data.append(order.map { cells[$0] })
        }
        var sheet = SheetSpec(name: "日报", header: names, rows: data)
        if style.title { sheet.titleRows = [["槐荫区教育系统疫情防控日报"], ["填报单位：槐荫区教体局"]] }
        if plantTotalMismatch || (dropColumn == nil && rows.count > 1 && r.chance(0.4)) {
            var total = [String](repeating: "", count: DailyColumn.allCases.count)
            for column in DailyColumn.countColumns where hasOnline || column.populationFigure != nil {
                total[column.rawValue] = String(sums[column.rawValue])
            }
            if plantTotalMismatch {
                // Off by 5 in a figure the 合计 label does not cover (the label takes the first column).
                let column = [DailyColumn.figure(.total, of: .students), .figure(.total, of: .staff)]
                    .first { $0.rawValue != order[0] }!.rawValue
                total[column] = String(sums[column] + 5)
            }
            var line = order.map { total[$0] }
            line[0] = "合计"
            sheet.trailer = [line]
        }
        // Some workbooks keep their 填表说明 sheet: skipped and noted, never a reject.
        let source = try write(r.chance(0.3) ? [sheet, instructionSheet(.daily)] : [sheet], relative: path, style: style)
        if dropColumn != nil {
            expectedRejects[d, default: []].append("\(source)|\(sheet.titleRows.count + 1)|missing_column")
        }
        for (k, (row, reject)) in rows.enumerated() {
            var l = row
            l.source = source
            l.row = sheet.rowNumber(ofDataRow: k)
            if let reject { expectedRejects[row.day, default: []].append("\(source)|\(l.row)|\(reject.reason)") }
            if dropColumn == nil { ledger.append(l) }
        }
        if plantTotalMismatch {
            let codes = Set(rows.map(\.0.code))
            totalRowAnomalies[d, default: []].append(
                "total_row_mismatch|\(codes.count == 1 ? codes.first! : "")|")
        }
    }
}

/// A planted unusable value in a daily row.
struct RejectCell {
    var column: DailyColumn
    var value: String
    var reason: String
}
