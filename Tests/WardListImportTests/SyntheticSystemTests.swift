import Foundation
import StrandedCore
import Testing
import WardListImport

/// One parsed list: header and rows as strings (through the importer's own
/// RFC 4180 parser, so quoting is checked too).
private struct ParsedList {
    let header: [String]
    let rows: [[String]]
    let snapshot: CalendarDate

    init(_ week: (snapshotDate: CalendarDate, csv: String)) throws {
        var records: [[String]] = []
        var parser = CSVParser()
        let bytes = Array(week.csv.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            try parser.feed(buffer) { records.append($0.fields.map { String(decoding: $0, as: UTF8.self) }) }
        }
        try parser.finish { records.append($0.fields.map { String(decoding: $0, as: UTF8.self) }) }
        header = records.first ?? []
        rows = Array(records.dropFirst())
        snapshot = week.snapshotDate
    }

    func column(_ name: String) -> Int { header.firstIndex(of: name)! }

    func value(_ row: [String], _ name: String) -> String { row[column(name)] }

    func digits(_ row: [String]) -> String { value(row, "nhs_number").filter(\.isNumber) }

    func admission(_ row: [String]) -> CalendarDate? { CalendarDate(isoOrUK: value(row, "admission_date")) }

    func lengthOfStay(_ row: [String]) -> Int? { admission(row).map { $0.days(until: snapshot) } }
}

private func weeks(_ configuration: SyntheticSystem.Configuration) throws -> [ParsedList] {
    var system = SyntheticSystem(configuration: configuration)
    var lists: [ParsedList] = []
    while let week = system.nextWeek() { lists.append(try ParsedList(week)) }
    return lists
}

private func allCSV(_ configuration: SyntheticSystem.Configuration) -> [String] {
    var system = SyntheticSystem(configuration: configuration)
    var out = [system.referenceCSV()]
    while let week = system.nextWeek() { out.append(week.csv) }
    return out
}

@Suite struct SyntheticSystemTests {
    let small = SyntheticSystem.Configuration(sites: 4, bedsPerSite: 80, weeks: 4, seed: 42)

    @Test func sameSeedSameBytesDifferentSeedDifferent() {
        let first = allCSV(small)
        #expect(first == allCSV(small))
        var other = small
        other.seed = 43
        let different = allCSV(other)
        #expect(first.count == different.count)
        #expect(first[1] != different[1])
        #expect(first.last != different.last)
    }

    @Test func errorRateChangesOnlyTheFaultyRows() throws {
        var faulty = small
        faulty.errorRate = 0.02
        let clean = try weeks(small)
        let broken = try weeks(faulty)
        for (a, b) in zip(clean, broken) {
            #expect(a.rows.count == b.rows.count)
            let differing = zip(a.rows, b.rows).filter { $0 != $1 }.count
            #expect(differing == Int(0.02 * Double(a.rows.count)))
        }
    }

    @Test func referenceDataIsConsistent() throws {
        let system = SyntheticSystem(configuration: .init())
        #expect((2...5).contains(system.organisations.count))
        #expect(system.sites.count == 6)
        let organisationCodes = Set(system.organisations.map(\.code))
        #expect(organisationCodes.count == system.organisations.count)
        #expect(Set(system.sites.map(\.code)).count == 6)
        #expect(Set(system.sites.map(\.name)).count == 6)
        for site in system.sites {
            #expect(organisationCodes.contains(site.organisationCode))
            #expect(site.code.hasPrefix(site.organisationCode))
            #expect(["acute", "community"].contains(site.setting))
            #expect(site.code != SyntheticSystem.unknownSiteCode)
        }
        #expect(system.sites.filter { $0.setting == "community" }.count == 2)  // 0.3 × 6, rounded
        for site in system.sites {
            let wards = system.wards.filter { $0.siteCode == site.code }
            #expect((4...12).contains(wards.count), "site \(site.code) has \(wards.count) wards")
        }
        let beds = system.wards.map(\.beds).reduce(0, +)
        #expect(abs(beds - 6 * 120) <= 12)

        let reference = try ParsedList((CalendarDate(year: 2025, month: 1, day: 6)!, system.referenceCSV()))
        #expect(reference.header == ["organisation_code", "organisation_name", "site_code", "site_name", "setting"])
        #expect(reference.rows.count == 6)
        #expect(reference.rows.map { $0[2] } == system.sites.map(\.code))
    }

    @Test func headerNamesAreColumnsOfTheSchema() throws {
        for name in SyntheticSystem.columns {
            #expect(WardListColumn(rawValue: name) != nil, "\(name) is not a ward-list column")
        }
        for required in ["site_code", "ward_code", "admission_date", "nhs_number", "local_patient_id"] {
            #expect(SyntheticSystem.columns.contains(required))
        }
        // The contract itself: every name is a column of the table in §2.
        let schema = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schema/ward-list.md")
        if let text = try? String(contentsOf: schema, encoding: .utf8) {
            let documented = Set(
                text.split(separator: "\n").compactMap { line -> String? in
                    guard line.hasPrefix("| `") else { return nil }
                    return line.dropFirst(3).split(separator: "`").first.map(String.init)
                }
            )
            for name in SyntheticSystem.columns { #expect(documented.contains(name), "\(name) not in Schema/ward-list.md") }
        }
        var system = SyntheticSystem(configuration: small)
        let list = try ParsedList(system.nextWeek()!)
        #expect(list.header == SyntheticSystem.columns)
        #expect(try WardListHeader(names: list.header).positions.count == SyntheticSystem.columns.count)
    }

    @Test func everyRowIsWellFormedWithoutErrors() throws {
        let system = SyntheticSystem(configuration: .init())
        let siteCodes = Set(system.sites.map(\.code))
        let lists = try weeks(.init())
        #expect(lists.count == 12)
        #expect(lists.map(\.snapshot) == system.snapshotDates)
        var spaced = 0
        var plain = 0
        var uk = 0
        var iso = 0
        var withoutNHSNumber = 0
        for list in lists {
            #expect(list.snapshot.isoWeekday == 1)
            var seen = Set<String>()
            for row in list.rows {
                #expect(row.count == SyntheticSystem.columns.count)
                #expect(siteCodes.contains(list.value(row, "site_code")))
                let nhs = list.value(row, "nhs_number")
                if nhs.isEmpty {
                    withoutNHSNumber += 1
                    #expect(list.value(row, "local_patient_id").hasPrefix("MRN"))
                } else {
                    #expect((try? NHSNumber(parsing: nhs)) != nil, "invalid NHS number \(nhs)")
                    #expect(nhs.hasPrefix("999"))
                    #expect(seen.insert(list.digits(row)).inserted, "NHS number twice in one list")
                    if nhs.contains(" ") { spaced += 1 } else { plain += 1 }
                }
                let admitted = try #require(list.admission(row))
                #expect(admitted <= list.snapshot)
                #expect(list.value(row, "snapshot_date") == list.snapshot.iso)
                if list.value(row, "admission_date").contains("/") { uk += 1 } else { iso += 1 }
                let born = try #require(CalendarDate(isoOrUK: list.value(row, "date_of_birth")))
                #expect(born < admitted)
                let age = try #require(Int(list.value(row, "age")))
                #expect((18...104).contains(age))
                let pathway = list.value(row, "discharge_pathway")
                #expect(pathway.isEmpty || ["0", "1", "2", "3"].contains(pathway))
                let edd = list.value(row, "expected_discharge_date")
                #expect(edd.isEmpty || CalendarDate(isoOrUK: edd).map { $0 > admitted } == true)
                if !list.value(row, "delay_reason").isEmpty { #expect(list.lengthOfStay(row)! >= 7) }
            }
        }
        #expect(spaced > 0 && plain > 0)
        #expect(uk + iso > 0)
        let total = lists.map(\.rows.count).reduce(0, +)
        #expect(withoutNHSNumber > 0 && withoutNHSNumber * 50 < total)
    }

    @Test func sitesUseBothDateStyles() throws {
        // Across a few seeds both date styles occur (a site's extract uses one).
        var uk = false
        var iso = false
        for seed in UInt64(1)...5 {
            var configuration = small
            configuration.seed = seed
            configuration.weeks = 1
            for row in try weeks(configuration)[0].rows {
                if row[5].contains("/") { uk = true } else { iso = true }
            }
        }
        #expect(uk && iso)
    }

    @Test func patientsContinueFromWeekToWeek() throws {
        let lists = try weeks(small)
        for (before, after) in zip(lists, lists.dropFirst()) {
            var admissions: [String: CalendarDate] = [:]
            for row in before.rows where !before.digits(row).isEmpty {
                admissions[before.value(row, "site_code") + "/" + before.digits(row)] = before.admission(row)
            }
            var continuing = 0
            var new = 0
            for row in after.rows where !after.digits(row).isEmpty {
                let key = after.value(row, "site_code") + "/" + after.digits(row)
                if let admitted = admissions.removeValue(forKey: key) {
                    continuing += 1
                    #expect(after.admission(row) == admitted, "admission date changed for \(key)")
                    #expect(after.lengthOfStay(row)! == admitted.days(until: before.snapshot) + 7)
                } else {
                    new += 1
                }
            }
            let discharged = admissions.count
            #expect(continuing > 0 && new > 0 && discharged > 0)
            // Most of a census turns over in a week (median stay ~3 days).
            #expect(new > continuing)
        }
    }

    @Test func censusHasARealisticShareOfLongStays() throws {
        let lists = try weeks(.init())
        var rows = 0
        var stranded = 0
        var superStranded = 0
        var longest = 0
        for list in lists {
            for row in list.rows {
                let los = list.lengthOfStay(row)!
                rows += 1
                if los >= 7 { stranded += 1 }
                if los >= 21 { superStranded += 1 }
                longest = max(longest, los)
            }
        }
        let share = Double(stranded) / Double(rows)
        #expect((0.10...0.40).contains(share), "LoS ≥ 7 share \(share)")
        #expect(superStranded > 0 && superStranded < stranded / 2)
        #expect(longest >= 50 && longest <= 150 + 7 * 12)

        // Beds are 90–95 % full (give or take daily variation).
        let system = SyntheticSystem(configuration: .init())
        let beds = system.wards.map(\.beds).reduce(0, +)
        let occupancy = Double(rows) / Double(lists.count * beds)
        #expect((0.87...0.97).contains(occupancy), "occupancy \(occupancy)")
    }

    @Test func longStayListsHoldOnlyLongStays() throws {
        var configuration = small
        configuration.census = false
        let longStay = try weeks(configuration)
        let census = try weeks(small)
        for (list, full) in zip(longStay, census) {
            #expect(!list.rows.isEmpty)
            #expect(list.rows.allSatisfy { list.lengthOfStay($0)! >= 7 })
            #expect(list.rows.count == full.rows.filter { full.lengthOfStay($0)! >= 7 }.count)
        }
    }

    @Test func someAcutePatientsMoveToCommunityHospitals() throws {
        let system = SyntheticSystem(configuration: .init())
        let setting = Dictionary(uniqueKeysWithValues: system.sites.map { ($0.code, $0.setting) })
        let lists = try weeks(.init())
        var acuteStay: [String: CalendarDate] = [:]
        var transfers = 0
        for list in lists {
            for row in list.rows where !list.digits(row).isEmpty {
                let number = list.digits(row)
                let admitted = list.admission(row)!
                if setting[list.value(row, "site_code")] == "acute" {
                    acuteStay[number] = admitted
                } else if let acuteAdmission = acuteStay.removeValue(forKey: number) {
                    #expect(admitted > acuteAdmission)
                    #expect(list.value(row, "setting") == "community")
                    transfers += 1
                }
            }
        }
        #expect(transfers > 0)
    }

    @Test func errorRateBreaksThatShareOfRowsAndNoMore() throws {
        var configuration = SyntheticSystem.Configuration()
        configuration.errorRate = 0.02
        let system = SyntheticSystem(configuration: configuration)
        let siteCodes = Set(system.sites.map(\.code))
        var faults = 0
        var rows = 0
        for list in try weeks(configuration) {
            var invalid = 0
            for row in list.rows {
                let nhs = list.value(row, "nhs_number")
                let local = list.value(row, "local_patient_id")
                let admitted = list.admission(row)
                let broken =
                    !siteCodes.contains(list.value(row, "site_code"))
                    || (!nhs.isEmpty && NHSNumber(nhs) == nil)
                    || (nhs.isEmpty && local.isEmpty)
                    || admitted == nil
                    || admitted! > list.snapshot
                if broken { invalid += 1 }
            }
            #expect(invalid == Int(0.02 * Double(list.rows.count)), "\(invalid) of \(list.rows.count)")
            faults += invalid
            rows += list.rows.count
        }
        #expect(faults > 0)
        #expect(Double(faults) <= 0.02 * Double(rows))
    }

    /// The importer's own validator agrees: a clean list has no row errors,
    /// and with errorRate each deliberate fault is exactly one invalid row.
    @Test(arguments: [0.0, 0.03])
    func validatorFindsExactlyTheDeliberateFaults(errorRate: Double) throws {
        var configuration = small
        configuration.errorRate = errorRate
        var system = SyntheticSystem(configuration: configuration)
        let sites = system.sites.enumerated().map {
            SiteReference(id: Int64($0.offset + 1), code: $0.element.code, setting: $0.element.setting)
        }
        while let week = system.nextWeek() {
            var records: [CSVRecord] = []
            var parser = CSVParser()
            let bytes = Array(week.csv.utf8)
            try bytes.withUnsafeBufferPointer { buffer in try parser.feed(buffer) { records.append($0) } }
            try parser.finish { records.append($0) }
            let names = records[0].fields.map { String(decoding: $0, as: UTF8.self) }
            var validator = WardListValidator(
                header: try WardListHeader(names: names),
                sites: sites,
                givenSnapshotDate: nil,
                today: week.snapshotDate.adding(days: 1)
            )
            for record in records.dropFirst() { _ = validator.validate(record) }
            validator.finish()
            let rows = records.count - 1
            #expect(validator.fileProblem == nil)
            #expect(validator.dataRows == rows)
            #expect(validator.invalidRows == Int(errorRate * Double(rows)), "\(validator.errors.prefix(3))")
        }
    }

    @Test func aNameWithACommaIsQuoted() throws {
        let lists = try weeks(.init())
        let quoted = lists.flatMap { list in list.rows.filter { list.value($0, "given_name") == "O'Neil, Jr" } }
        #expect(!quoted.isEmpty)
        var system = SyntheticSystem(configuration: .init())
        let csv = system.nextWeek()!.csv
        #expect(!csv.contains(",O'Neil, Jr,"))
    }

    @Test func writesSitesAndOneFilePerWeek() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("synthetic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = small
        configuration.weeks = 3
        let urls = try SyntheticSystem.writeFiles(configuration: configuration, to: directory)
        #expect(
            urls.map(\.lastPathComponent) == [
                "sites.csv", "ward-list-2025-01-06.csv", "ward-list-2025-01-13.csv", "ward-list-2025-01-20.csv",
            ]
        )
        let written = try urls.map { try String(contentsOf: $0, encoding: .utf8) }
        #expect(written == allCSV(configuration))
    }

    @Test func aLargeSystemHasAListOfTheExpectedSize() {
        // The national setting (150 sites × 700 beds, ~98,000 rows) takes ~0.25 s a
        // week in a release build; a debug build is much slower, so this checks a
        // fifth of it for size only.
        var system = SyntheticSystem(configuration: .init(sites: 30, bedsPerSite: 700, weeks: 1, seed: 3))
        let beds = system.wards.map(\.beds).reduce(0, +)
        let week = system.nextWeek()!
        let rows = week.csv.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } - 1
        #expect(beds == 30 * 700)
        #expect(Double(rows) > 0.88 * Double(beds) && Double(rows) < 0.97 * Double(beds))
    }
}
