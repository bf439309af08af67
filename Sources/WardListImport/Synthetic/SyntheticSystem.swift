import Foundation
import StrandedCore

/// The reference data and the weekly ward lists of a made-up health system,
/// for the demo and the benchmarks. Nothing in it is real: NHS numbers come
/// from the `999` test range, family names are obviously invented, and the
/// trusts, sites and wards are named after places that do not exist.
///
/// Patients are simulated day by day: each ward is kept at a target bed
/// occupancy (90–95 %, varying from day to day), every admission is given a
/// length of stay from ``SyntheticLengthOfStay`` (heavy-tailed), and patients
/// leave on the day their stay ends. Some acute patients with long stays move
/// to a community hospital on discharge, keeping their NHS number (and name
/// and date of birth) with a new admission date and local id there. So from
/// one weekly list to the next the same patients remain with their admission
/// date unchanged and LoS 7 days longer, new ones appear and discharged ones
/// disappear — what the importer's case tracking expects of real lists.
///
/// Deterministic: the same ``Configuration`` gives the same bytes on the same
/// platform (the generator is xoshiro256** seeded from `seed`; the faults of
/// `errorRate` come from their own stream, so changing the error rate or the
/// list kind changes nothing else).
///
/// Usage: `var system = SyntheticSystem(configuration: .init())`, then
/// `system.referenceCSV()` for the sites, and `system.nextWeek()` until it
/// answers nil for one CSV per week (all sites, snapshot date = that Monday).
public struct SyntheticSystem: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Number of hospital sites (1…4000).
        public var sites: Int
        /// Average beds per site; acute sites get more, community sites fewer.
        public var bedsPerSite: Int
        /// Number of weekly lists ``nextWeek()`` produces.
        public var weeks: Int
        public var seed: UInt64
        /// Share of rows (0…1) given exactly one deliberate row error each:
        /// ⌊errorRate × rows⌋ per list, never more.
        public var errorRate: Double
        /// Snapshot date of the first list (a Monday); later lists follow
        /// every 7 days.
        public var firstMonday: CalendarDate
        /// Share of sites that are community hospitals (rounded; at least one
        /// of each kind when the share is strictly between 0 and 1 and there
        /// are two or more sites).
        public var communityShare: Double
        /// Full census lists (every inpatient) when true; only rows with
        /// LoS ≥ 7 when false.
        public var census: Bool

        public init(
            sites: Int = 6,
            bedsPerSite: Int = 120,
            weeks: Int = 12,
            seed: UInt64 = 1,
            errorRate: Double = 0,
            firstMonday: CalendarDate = CalendarDate(year: 2025, month: 1, day: 6)!,
            communityShare: Double = 0.3,
            census: Bool = true
        ) {
            self.sites = sites
            self.bedsPerSite = bedsPerSite
            self.weeks = weeks
            self.seed = seed
            self.errorRate = errorRate
            self.firstMonday = firstMonday
            self.communityShare = communityShare
            self.census = census
        }
    }

    /// The header of every ward list, in order (names from Schema/ward-list.md §2).
    public static let columns: [String] = [
        "site_code", "ward_code", "ward_name", "nhs_number", "local_patient_id", "admission_date",
        "snapshot_date", "family_name", "given_name", "date_of_birth", "age", "specialty", "setting",
        "expected_discharge_date", "discharge_pathway", "delay_reason",
    ]

    /// The site code used for the "unknown site" fault; never a real site here.
    public static let unknownSiteCode = "ZZZ99"

    public let configuration: Configuration
    /// The made-up trusts, e.g. `("R9A", "Ashbury Hospitals NHS Trust")`.
    public let organisations: [(code: String, name: String)]
    /// Every site; `setting` is `acute` or `community`.
    public let sites: [(code: String, name: String, setting: String, organisationCode: String)]
    /// Every ward with its bed count, e.g. `("R9A01", "W03", "Ward 3 (Stroke)", "Stroke", 28)`.
    public let wards: [(siteCode: String, wardCode: String, wardName: String, specialty: String, beds: Int)]
    /// How many lists ``nextWeek()`` has produced so far.
    public private(set) var weeksGenerated = 0

    /// Snapshot dates of all the lists, in order.
    public var snapshotDates: [CalendarDate] {
        (0..<configuration.weeks).map { configuration.firstMonday.adding(days: 7 * $0) }
    }

    private let models: [SiteModel]
    /// Community sites of each organisation, and all of them: where transfers go.
    private let communityByOrganisation: [[Int]]
    private let communitySites: [Int]
    private let familyFields: [[UInt8]]
    private let givenFields: [[UInt8]]

    private var random: SyntheticRandom
    /// The last day simulated (days since 1970-01-01).
    private var today: Int
    /// Patients in beds: site → ward → stays, in order of admission.
    private var stays: [[[Stay]]]
    private var nextLocalID: [Int]
    private var pool: NHSNumberPool

    /// Days simulated before the first list, after filling the beds with
    /// stays already in progress.
    private static let warmUpDays = 14
    private static let transferShare = 0.3
    private static let transferMinimumLength = 10

    public init(configuration: Configuration) {
        var configuration = configuration
        configuration.sites = min(4000, max(1, configuration.sites))
        configuration.bedsPerSite = max(8, configuration.bedsPerSite)
        configuration.weeks = max(0, configuration.weeks)
        configuration.errorRate = min(1, max(0, configuration.errorRate.isNaN ? 0 : configuration.errorRate))
        configuration.communityShare = min(1, max(0, configuration.communityShare.isNaN ? 0 : configuration.communityShare))
        self.configuration = configuration

        var structure = SyntheticRandom(seed: configuration.seed, stream: 1)
        let siteCount = configuration.sites

        // Organisations: 2–5 for a small system, about one per four sites for a large one.
        let organisationCount = siteCount <= 1 ? 1 : max(2, siteCount <= 20 ? min(5, siteCount / 2) : siteCount / 4)
        let placeCount = SyntheticVocabulary.places.count * SyntheticVocabulary.placePrefixes.count
        let placeOffset = structure.below(placeCount)
        func place(_ index: Int) -> String {
            let k = (index + placeOffset) % placeCount
            let name =
                SyntheticVocabulary.placePrefixes[k / SyntheticVocabulary.places.count]
                + SyntheticVocabulary.places[k % SyntheticVocabulary.places.count]
            return index >= placeCount ? name + " " + String(index / placeCount + 1) : name
        }
        let organisationCodes: [String] = (0..<organisationCount).map { index in
            let first = Array("RQTV")[(index / 260) % 4]
            let digit = 9 - (index / 26) % 10
            let letter = Character(UnicodeScalar(UInt8(65 + index % 26)))
            return String(first) + String(digit) + String(letter)
        }
        organisations = (0..<organisationCount).map { index in
            (organisationCodes[index], place(placeCount - 1 - index) + " Hospitals NHS Trust")
        }

        // Which sites are community hospitals: spread evenly through the list.
        var communityCount = Int((configuration.communityShare * Double(siteCount)).rounded())
        if siteCount >= 2 {
            if configuration.communityShare > 0 { communityCount = max(1, communityCount) }
            if configuration.communityShare < 1 { communityCount = min(siteCount - 1, communityCount) }
        }
        let isCommunity = (0..<siteCount).map { ($0 + 1) * communityCount / siteCount > $0 * communityCount / siteCount }

        // Beds: acute sites vary 0.6–1.4 × a base, community sites 0.25–0.45 ×,
        // scaled so the average is bedsPerSite.
        let weights = isCommunity.map { $0 ? 0.25 + 0.2 * structure.unit() : 0.6 + 0.8 * structure.unit() }
        let scale = Double(configuration.bedsPerSite * siteCount) / weights.reduce(0, +)
        var perSiteCount = [Int](repeating: 0, count: organisationCount)

        var models: [SiteModel] = []
        var siteList: [(code: String, name: String, setting: String, organisationCode: String)] = []
        var wardList: [(siteCode: String, wardCode: String, wardName: String, specialty: String, beds: Int)] = []
        for index in 0..<siteCount {
            let community = isCommunity[index]
            let organisation = index * organisationCount / siteCount
            perSiteCount[organisation] += 1
            let number = perSiteCount[organisation]
            let code = organisationCodes[organisation] + (number < 10 ? "0" : "") + String(number)
            let kinds = community ? SyntheticVocabulary.communityHospitalKinds : SyntheticVocabulary.acuteHospitalKinds
            let name = place(index) + " " + kinds[structure.below(kinds.count)]
            let setting = community ? "community" : "acute"
            let beds = max(8, Int((weights[index] * scale).rounded()))

            // Wards: 4–12, beds shared with some variation.
            let wardCount = min(12, max(4, beds / (community ? 16 : 24)))
            let wardWeights = (0..<wardCount).map { _ in 0.7 + 0.6 * structure.unit() }
            let totalWeight = wardWeights.reduce(0, +)
            var wardBeds = wardWeights.map { max(1, Int(Double(beds) * $0 / totalWeight)) }
            var spare = beds - wardBeds.reduce(0, +)
            var cursor = 0
            while spare > 0 {
                wardBeds[cursor % wardCount] += 1
                spare -= 1
                cursor += 1
            }
            let specialties = community ? SyntheticVocabulary.communitySpecialties : SyntheticVocabulary.acuteSpecialties
            var order = Array(specialties.indices)
            order.shuffle(using: &structure)
            var wardModels: [WardModel] = []
            for ward in 0..<wardCount {
                let specialty = order[ward % order.count]
                let wardCode = "W" + (ward + 1 < 10 ? "0" : "") + String(ward + 1)
                let wardName = "Ward " + String(ward + 1) + " (" + specialties[specialty] + ")"
                var prefix = SyntheticCSVBuffer.field(wardCode)
                prefix.append(0x2C)
                prefix += SyntheticCSVBuffer.field(wardName)
                prefix.append(0x2C)
                wardModels.append(WardModel(beds: wardBeds[ward], specialty: specialty, prefix: prefix))
                wardList.append((code, wardCode, wardName, specialties[specialty], wardBeds[ward]))
            }
            models.append(
                SiteModel(
                    community: community,
                    organisation: organisation,
                    occupancy: 0.90 + 0.05 * structure.unit(),
                    ukDates: structure.chance(0.25),
                    spacedNHSNumbers: structure.chance(0.5),
                    code: SyntheticCSVBuffer.field(code),
                    setting: SyntheticCSVBuffer.field(setting),
                    specialties: specialties.map(SyntheticCSVBuffer.field),
                    wards: wardModels
                )
            )
            siteList.append((code, name, setting, organisationCodes[organisation]))
        }
        self.models = models
        sites = siteList
        wards = wardList
        communitySites = (0..<siteCount).filter { isCommunity[$0] }
        var byOrganisation = [[Int]](repeating: [], count: organisationCount)
        for site in communitySites { byOrganisation[models[site].organisation].append(site) }
        communityByOrganisation = byOrganisation
        familyFields = SyntheticVocabulary.familyNames.map(SyntheticCSVBuffer.field)
        givenFields = (SyntheticVocabulary.givenNames + [SyntheticVocabulary.givenNameWithComma]).map(SyntheticCSVBuffer.field)

        random = SyntheticRandom(seed: configuration.seed, stream: 2)
        pool = NHSNumberPool(offset: random.next())
        nextLocalID = (0..<siteCount).map { _ in 0 }
        stays = models.map { model in model.wards.map { _ in [] } }
        today = configuration.firstMonday.daysSinceEpoch - Self.warmUpDays
        for site in 0..<siteCount {
            nextLocalID[site] = 1_000_000 + random.below(4_000_000)
            for ward in models[site].wards.indices {
                let model = models[site].wards[ward]
                let target = Int((Double(model.beds) * models[site].occupancy).rounded())
                var list: [Stay] = []
                list.reserveCapacity(model.beds)
                for _ in 0..<target {
                    let (length, elapsed) = SyntheticLengthOfStay.inProgress(community: models[site].community, &random)
                    list.append(newPatient(site: site, ward: ward, admitted: today - elapsed, length: length))
                }
                list.sort { $0.admitted < $1.admitted }
                stays[site][ward] = list
            }
        }
    }

    // MARK: Output

    /// The sites as a reference CSV: `organisation_code,organisation_name,site_code,site_name,setting`.
    public func referenceCSV() -> String {
        var out = SyntheticCSVBuffer(capacity: 64 * sites.count + 64)
        out.append(Array("organisation_code,organisation_name,site_code,site_name,setting".utf8))
        out.endLine()
        let names = Dictionary(organisations.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        for site in sites {
            out.appendField(site.organisationCode)
            out.comma()
            out.appendField(names[site.organisationCode] ?? site.organisationCode)
            out.comma()
            out.appendField(site.code)
            out.comma()
            out.appendField(site.name)
            out.comma()
            out.appendField(site.setting)
            out.endLine()
        }
        return out.string
    }

    /// Simulates up to the next Monday and returns that day's list for every
    /// site (one CSV, header first, CRLF line endings); nil after
    /// `configuration.weeks` lists.
    public mutating func nextWeek() -> (snapshotDate: CalendarDate, csv: String)? {
        guard weeksGenerated < configuration.weeks else { return nil }
        let snapshot = configuration.firstMonday.adding(days: 7 * weeksGenerated)
        while today < snapshot.daysSinceEpoch {
            today += 1
            simulate(day: today)
        }
        let csv = render(snapshot: snapshot, week: weeksGenerated)
        weeksGenerated += 1
        return (snapshot, csv)
    }

    /// Writes `sites.csv` and one `ward-list-yyyy-mm-dd.csv` per week into
    /// `directory` (created if missing; each file written atomically).
    /// Returns the files in that order.
    public static func writeFiles(configuration: Configuration, to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var system = SyntheticSystem(configuration: configuration)
        let sitesURL = directory.appendingPathComponent("sites.csv")
        try Data(system.referenceCSV().utf8).write(to: sitesURL, options: .atomic)
        var urls = [sitesURL]
        while let week = system.nextWeek() {
            let url = directory.appendingPathComponent("ward-list-" + week.snapshotDate.iso + ".csv")
            try Data(week.csv.utf8).write(to: url, options: .atomic)
            urls.append(url)
        }
        return urls
    }

    // MARK: Simulation

    private mutating func simulate(day: Int) {
        // Discharges (and acute patients leaving for a community bed).
        var transfers: [(stay: Stay, organisation: Int)] = []
        for site in models.indices {
            for ward in models[site].wards.indices {
                var list = stays[site][ward]
                stays[site][ward] = []
                var kept = 0
                for index in list.indices {
                    let stay = list[index]
                    if Int(stay.discharge) > day {
                        list[kept] = stay
                        kept += 1
                    } else if stay.transferOut {
                        transfers.append((stay, models[site].organisation))
                    } else {
                        pool.release(stay.nhsNumber)
                    }
                }
                list.removeLast(list.count - kept)
                stays[site][ward] = list
            }
        }

        // Transfers take a free community bed in their own trust if there is
        // one, else anywhere; with none free the patient goes home.
        for transfer in transfers {
            let own = communityByOrganisation[transfer.organisation]
            let candidates = own.isEmpty ? communitySites : own
            var placed = false
            if !candidates.isEmpty {
                let start = random.below(candidates.count)
                search: for k in 0..<candidates.count {
                    let site = candidates[(start + k) % candidates.count]
                    let wardCount = models[site].wards.count
                    let first = random.below(wardCount)
                    for j in 0..<wardCount {
                        let ward = (first + j) % wardCount
                        if stays[site][ward].count < models[site].wards[ward].beds {
                            let stay = transferred(transfer.stay, site: site, ward: ward, day: day)
                            stays[site][ward].append(stay)
                            placed = true
                            break search
                        }
                    }
                }
            }
            if !placed { pool.release(transfer.stay.nhsNumber) }
        }

        // Admissions: each ward fills to its occupancy target for the day.
        for site in models.indices {
            let occupancy = models[site].occupancy
            for ward in models[site].wards.indices {
                let beds = models[site].wards[ward].beds
                let wanted = Double(beds) * occupancy + random.gaussian() * (0.3 + 0.02 * Double(beds))
                let target = min(beds, max(0, Int(wanted.rounded())))
                while stays[site][ward].count < target {
                    let length = SyntheticLengthOfStay.draw(community: models[site].community, &random)
                    let stay = newPatient(site: site, ward: ward, admitted: day, length: length)
                    stays[site][ward].append(stay)
                }
            }
        }
    }

    /// A stay of a new patient (new NHS number, name, date of birth).
    private mutating func newPatient(site: Int, ward: Int, admitted: Int, length: Int) -> Stay {
        let nhsNumber = random.chance(0.012) ? 0 : pool.take()
        let family = random.below(SyntheticVocabulary.familyNames.count)
        let given = random.chance(1.0 / 300) ? SyntheticVocabulary.givenNames.count : random.below(SyntheticVocabulary.givenNames.count)
        let u = random.unit()
        let age = u < 0.80 ? random.between(65, 95) : u < 0.96 ? random.between(18, 64) : random.between(96, 103)
        // Latest birth date giving that age on the admission day, minus up to a year.
        let admission = CalendarDate(daysSinceEpoch: admitted)
        let birthday = CalendarDate(
            year: admission.year - age,
            month: admission.month,
            day: min(admission.day, CalendarDate.daysIn(month: admission.month, year: admission.year - age))
        )!
        let born = birthday.daysSinceEpoch - random.below(365)
        var stay = Stay(nhsNumber: nhsNumber, family: UInt16(family), given: UInt16(given), born: Int32(born))
        fillStay(&stay, site: site, ward: ward, admitted: admitted, length: length)
        return stay
    }

    /// The same person admitted to a community bed on the day they left acute care.
    private mutating func transferred(_ from: Stay, site: Int, ward: Int, day: Int) -> Stay {
        var stay = Stay(nhsNumber: from.nhsNumber, family: from.family, given: from.given, born: from.born)
        let length = SyntheticLengthOfStay.community(&random)
        fillStay(&stay, site: site, ward: ward, admitted: day, length: length)
        return stay
    }

    private mutating func fillStay(_ stay: inout Stay, site: Int, ward: Int, admitted: Int, length: Int) {
        let model = models[site]
        stay.localID = Int32(truncatingIfNeeded: nextLocalID[site])
        nextLocalID[site] += 1
        stay.admitted = Int32(admitted)
        stay.discharge = Int32(admitted + length)
        stay.specialty = UInt8(random.chance(0.1) ? random.below(model.specialties.count) : model.wards[ward].specialty)
        stay.transferOut =
            !model.community && !communitySites.isEmpty
            && length >= Self.transferMinimumLength && random.chance(Self.transferShare)
        if random.chance(0.12) {
            stay.pathway = -1
        } else if model.community {
            stay.pathway = Int8(Self.weighted([15, 50, 10, 25], &random))
        } else if stay.transferOut {
            stay.pathway = 2
        } else if length < 7 {
            stay.pathway = random.chance(0.85) ? 0 : 1
        } else {
            stay.pathway = Int8(Self.weighted([10, 45, 25, 20], &random))
        }
        if length >= 8, !random.chance(0.2) {
            stay.reason =
                stay.transferOut
                ? Int8(SyntheticVocabulary.furtherNHSCareReason)
                : Int8(Self.weighted(Self.reasonWeights, &random))
        } else {
            stay.reason = -1
        }
        stay.eddOffset = random.chance(length >= 8 ? 0.3 : 0.15) ? Int8.min : Int8(random.between(-4, 3))
    }

    private static let reasonWeights = SyntheticVocabulary.delayReasons.map(\.weight)
    private static let reasonFields = SyntheticVocabulary.delayReasons.map { SyntheticCSVBuffer.field($0.text) }

    private static func weighted(_ weights: [Int], _ random: inout SyntheticRandom) -> Int {
        var pick = random.below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if pick < weight { return index }
            pick -= weight
        }
        return weights.count - 1
    }

    // MARK: Rendering

    /// The deliberate faults of `errorRate`, one per chosen row; each makes the
    /// row a row error under Schema/ward-list.md §6.
    private enum Fault: Int, CaseIterable {
        case badCheckDigit, unparseableDate, admissionAfterSnapshot, unknownSite, missingIdentifier
    }

    private func render(snapshot: CalendarDate, week: Int) -> String {
        let day = snapshot.daysSinceEpoch
        let census = configuration.census
        func listed(_ stay: Stay) -> Bool { census || day - Int(stay.admitted) >= 7 }

        var rows = 0
        for site in stays {
            for ward in site {
                if census { rows += ward.count } else { for stay in ward where listed(stay) { rows += 1 } }
            }
        }
        var faultsLeft = Int((configuration.errorRate * Double(rows)).rounded(.down))
        var remaining = rows
        var faults = SyntheticRandom(seed: configuration.seed, stream: 0x1000 + UInt64(week))

        var snapshotField = SyntheticCSVBuffer()
        snapshotField.appendISO(snapshot)
        let snapshotBytes = snapshotField.bytes
        let year = String(snapshot.year)
        let badDates = ["31/02/" + year, year + "-02-30", "2/30/" + year, year + "-13-01", "not known"].map { Array($0.utf8) }
        let unknownSite = Array(Self.unknownSiteCode.utf8)
        let mrn = Array("MRN".utf8)

        var out = SyntheticCSVBuffer(capacity: 200 * rows + 256)
        out.append(Array(Self.columns.joined(separator: ",").utf8))
        out.endLine()
        for site in models.indices {
            let model = models[site]
            let uk = model.ukDates
            for ward in model.wards.indices {
                let wardModel = model.wards[ward]
                for stay in stays[site][ward] where listed(stay) {
                    var fault: Fault?
                    if faultsLeft > 0, faults.below(remaining) < faultsLeft {
                        var chosen = Fault(rawValue: faults.below(Fault.allCases.count))!
                        if chosen == .badCheckDigit, stay.nhsNumber == 0 { chosen = .unknownSite }
                        fault = chosen
                        faultsLeft -= 1
                    }
                    remaining -= 1

                    out.append(fault == .unknownSite ? unknownSite : model.code)
                    out.comma()
                    out.append(wardModel.prefix)
                    if stay.nhsNumber != 0, fault != .missingIdentifier {
                        var number = stay.nhsNumber
                        if fault == .badCheckDigit {
                            let check = number % 10
                            number += (check + 1 + Int64(faults.below(9))) % 10 - check
                        }
                        Self.appendNHSNumber(number, spaced: model.spacedNHSNumbers, to: &out)
                    }
                    out.comma()
                    if fault != .missingIdentifier {
                        out.append(mrn)
                        out.appendInt(Int(stay.localID))
                    }
                    out.comma()
                    switch fault {
                    case .unparseableDate:
                        out.append(badDates[faults.below(badDates.count)])
                    case .admissionAfterSnapshot:
                        out.appendDate(snapshot.adding(days: 1 + faults.below(3)), uk: uk)
                    default:
                        out.appendDate(CalendarDate(daysSinceEpoch: Int(stay.admitted)), uk: uk)
                    }
                    out.comma()
                    out.append(snapshotBytes)
                    out.comma()
                    out.append(familyFields[Int(stay.family)])
                    out.comma()
                    out.append(givenFields[Int(stay.given)])
                    out.comma()
                    let born = CalendarDate(daysSinceEpoch: Int(stay.born))
                    out.appendDate(born, uk: uk)
                    out.comma()
                    let age =
                        snapshot.year - born.year
                        - ((snapshot.month, snapshot.day) < (born.month, born.day) ? 1 : 0)
                    out.appendInt(max(0, age))
                    out.comma()
                    out.append(model.specialties[Int(stay.specialty)])
                    out.comma()
                    out.append(model.setting)
                    out.comma()
                    if stay.eddOffset != Int8.min {
                        let expected = max(Int(stay.admitted) + 1, Int(stay.discharge) + Int(stay.eddOffset))
                        out.appendDate(CalendarDate(daysSinceEpoch: expected), uk: uk)
                    }
                    out.comma()
                    if stay.pathway >= 0 { out.append(0x30 + UInt8(stay.pathway)) }
                    out.comma()
                    if stay.reason >= 0, day - Int(stay.admitted) >= 7 {
                        out.append(Self.reasonFields[Int(stay.reason)])
                    }
                    out.endLine()
                }
            }
        }
        return out.string
    }

    /// `9991234567` or `999 123 4567`.
    private static func appendNHSNumber(_ number: Int64, spaced: Bool, to out: inout SyntheticCSVBuffer) {
        var divisor: Int64 = 1_000_000_000
        var rest = number
        for position in 0..<10 {
            if spaced, position == 3 || position == 6 { out.append(0x20) }
            out.append(0x30 + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

// MARK: - Internal model

/// What does not change about a site once generated; CSV fields pre-encoded.
private struct SiteModel: Sendable {
    let community: Bool
    let organisation: Int
    /// Target bed occupancy, 0.90–0.95.
    let occupancy: Double
    /// The site's extract writes dates as dd/mm/yyyy (else yyyy-mm-dd).
    let ukDates: Bool
    /// The site's extract writes NHS numbers grouped 3-3-4.
    let spacedNHSNumbers: Bool
    let code: [UInt8]
    let setting: [UInt8]
    let specialties: [[UInt8]]
    let wards: [WardModel]
}

private struct WardModel: Sendable {
    let beds: Int
    /// Index into the site's specialties.
    let specialty: Int
    /// `ward_code,ward_name,` as CSV bytes.
    let prefix: [UInt8]
}

/// One stay in a bed, kept small (the national setting holds ~100,000).
private struct Stay: Sendable {
    /// The ten digits as a number; 0 when the patient has no NHS number.
    var nhsNumber: Int64
    var family: UInt16
    var given: UInt16
    var born: Int32
    var localID: Int32 = 0
    var admitted: Int32 = 0
    /// Day the patient leaves (days since 1970-01-01).
    var discharge: Int32 = 0
    var specialty: UInt8 = 0
    /// 0–3, or −1 when not recorded.
    var pathway: Int8 = -1
    /// Index into the delay reasons, or −1 when not recorded.
    var reason: Int8 = -1
    /// Expected discharge = discharge + offset; `Int8.min` when not recorded.
    var eddOffset: Int8 = Int8.min
    /// Leaves for a community bed rather than home.
    var transferOut = false

    init(nhsNumber: Int64, family: UInt16, given: UInt16, born: Int32) {
        self.nhsNumber = nhsNumber
        self.family = family
        self.given = given
        self.born = born
    }
}

/// Hands out NHS numbers from the 999 test range (about 909,000 valid ones)
/// in a scrambled but fixed order, never one that a patient in a bed holds.
/// Numbers are reused after the whole range has been handed out, which only
/// long national runs reach (~2 million admissions).
private struct NHSNumberPool: Sendable {
    private static let size: UInt64 = 1_000_000
    /// Odd and not a multiple of 5, so `index × step` visits every stem.
    private static let step: UInt64 = 611_953
    private var inUse = [Bool](repeating: false, count: Int(size))
    private var counter: UInt64 = 0
    private let offset: UInt64

    init(offset: UInt64) { self.offset = offset % Self.size }

    mutating func take() -> Int64 {
        while true {
            let index = Int((counter % Self.size &* Self.step &+ offset) % Self.size)
            counter &+= 1
            guard !inUse[index], let number = NHSNumber.make(stem: 999_000_000 + index),
                let value = Int64(number.digits)
            else { continue }
            inUse[index] = true
            return value
        }
    }

    mutating func release(_ number: Int64) {
        guard number != 0 else { return }
        inUse[Int(number / 10) - 999_000_000] = false
    }
}
