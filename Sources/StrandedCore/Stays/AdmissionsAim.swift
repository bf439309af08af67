/// One week's aim figure: of the stays admitted that week (Monday to
/// Sunday), how many were moved on before the stranded line.
public struct AimWeek: Hashable, Sendable, Codable {
    public var weekStart: CalendarDate
    public var admissions: Int
    /// Ended within 0 to (stranded line − 1) days, not by a transfer to another acute hospital.
    public var movedOn: Int
    /// False while a stay admitted that week could still be moved on in time:
    /// until the week's Sunday admissions have had their days.
    public var complete: Bool

    /// Moved on as a share of admissions (0...1); nil for a week without admissions.
    public var share: Double? { admissions == 0 ? nil : Double(movedOn) / Double(admissions) }
}

/// A site the aim is reported for.
public struct AimSite: Hashable, Sendable {
    public var id: Int64
    public var organisationCode: String
    /// The site has stays data at all; without it the aim is not measured
    /// there, never estimated from its census lists.
    public var hasStays: Bool

    public init(id: Int64, organisationCode: String, hasStays: Bool) {
        self.id = id
        self.organisationCode = organisationCode
        self.hasStays = hasStays
    }
}

/// The aim by week for every acute site, organisation and the system; nil
/// where it is not measured.
public struct AimReport: Hashable, Sendable {
    public var weeks: [CalendarDate]
    public var sites: [Int64: [AimWeek]?]
    public var organisations: [String: [AimWeek]?]
    public var system: [AimWeek]?
    public var band: AimBand
}

/// The aim: 85–90% of acute admissions moved on before seven days, computed
/// from stays (DESIGN.md, *Stays and the aim*).
public enum AdmissionsAim {
    /// What a page or export says where there are no stays, instead of a proxy.
    public static let notMeasured = "not measured: needs admissions data"

    /// The latest week whose admissions have all had their chance to move on
    /// by `monday`: its Sunday's admissions need (stranded line − 1) more days.
    public static func latestKnownWeek(asOf monday: CalendarDate, thresholds: StrandedThresholds) -> CalendarDate {
        monday.adding(days: -(6 + thresholds.strandedDays)).mondayOfWeek
    }

    /// The summary's one line: the known week's share against the band, or
    /// "not measured" (nil `week`: no stays).
    public static func headline(_ week: AimWeek?, thresholds: StrandedThresholds) -> String {
        let aim = "Aim: \(thresholds.aim.label) of acute admissions moved on within 0–\(thresholds.strandedDays - 1) days"
        guard let week else { return "\(aim): \(notMeasured)." }
        guard let share = week.share else { return "\(aim): no admissions in the week of \(week.weekStart.iso)." }
        let standing: String
        switch thresholds.aim.standing(of: share) {
        case .below: standing = "below the aim"
        case .within: standing = "within the aim"
        case .above: standing = "above the aim"
        }
        return
            "\(aim): \(Int((100 * share).rounded()))% (\(week.movedOn) of \(week.admissions)) admitted in the week of \(week.weekStart.iso), \(standing)."
    }

    /// The aim for the weeks starting on the Mondays `weeks`, as known on
    /// `today`. `stays` are the acute sites' stays (others are ignored); an
    /// organisation or the system counts its sites with stays, and is not
    /// measured when none has any.
    public static func report(
        stays: [Stay],
        sites: [AimSite],
        weeks: [CalendarDate],
        today: CalendarDate,
        thresholds: StrandedThresholds
    ) -> AimReport {
        let weeks = Array(Set(weeks.map(\.mondayOfWeek))).sorted()
        let wanted = Set(weeks)
        let line = thresholds.strandedDays
        var counts: [Int64: [CalendarDate: (admissions: Int, movedOn: Int)]] = [:]
        for stay in stays {
            let week = stay.admissionDate.mondayOfWeek
            guard wanted.contains(week) else { continue }
            var cell = counts[stay.siteID, default: [:]][week, default: (0, 0)]
            cell.admissions += 1
            if stay.movedOn(withinDays: line) { cell.movedOn += 1 }
            counts[stay.siteID, default: [:]][week] = cell
        }
        // The last admission of a week (Sunday) is known once it has had line − 1 days.
        func series(_ siteIDs: [Int64]) -> [AimWeek] {
            weeks.map { week in
                var admissions = 0
                var movedOn = 0
                for id in siteIDs {
                    let cell = counts[id]?[week] ?? (0, 0)
                    admissions += cell.admissions
                    movedOn += cell.movedOn
                }
                return AimWeek(
                    weekStart: week,
                    admissions: admissions,
                    movedOn: movedOn,
                    complete: week.adding(days: 6 + line - 1) < today
                )
            }
        }
        var bySite: [Int64: [AimWeek]?] = [:]
        for site in sites { bySite[site.id] = site.hasStays ? series([site.id]) : nil }
        var byOrganisation: [String: [AimWeek]?] = [:]
        for (code, members) in Dictionary(grouping: sites, by: \.organisationCode) {
            let measured = members.filter(\.hasStays).map(\.id)
            byOrganisation[code] = measured.isEmpty ? nil : series(measured)
        }
        let measured = sites.filter(\.hasStays).map(\.id)
        return AimReport(
            weeks: weeks,
            sites: bySite,
            organisations: byOrganisation,
            system: measured.isEmpty ? nil : series(measured),
            band: thresholds.aim
        )
    }
}
