import Foundation
import Testing

@testable import StrandedCore

@Suite("The aim, measured on admissions")
struct AdmissionsAimTests {
    private static func d(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
    private static func stay(
        _ site: Int64,
        _ admitted: String,
        _ ended: String?,
        _ destination: StayDestination? = nil,
        patient: String = "N:9990000018"
    ) -> Stay {
        Stay(
            siteID: site,
            wardCode: "AMU",
            patientKey: patient,
            admissionDate: d(admitted),
            endedOn: ended.map(d),
            destination: destination
        )
    }
    /// Two sites of one organisation, one with stays and one with only census lists, and a second organisation's site.
    private static let sites = [
        AimSite(id: 1, organisationCode: "RA", hasStays: true),
        AimSite(id: 2, organisationCode: "RA", hasStays: false),
        AimSite(id: 3, organisationCode: "RB", hasStays: true),
    ]
    private static let weeks = [d("2026-12-21"), d("2026-12-28"), d("2027-01-04")]

    private static var report: AimReport {
        AdmissionsAim.report(
            stays: [
                // Sunday admission moved on in 6 days, in the new year: counts to its admission week.
                stay(1, "2026-12-27", "2027-01-02"),
                // Same-day discharge: 0 days.
                stay(1, "2026-12-28", "2026-12-28", .usualResidence),
                // Seven days is stranded, not moved on.
                stay(1, "2026-12-31", "2027-01-07", .careHome),
                // Admitted on the week's Sunday, across the year, out on day 6.
                stay(1, "2027-01-03", "2027-01-09"),
                // Transferred to another acute hospital: still in acute care.
                stay(1, "2027-01-01", "2027-01-02", .otherAcute),
                // Still in hospital.
                stay(1, "2027-01-02", nil),
                stay(3, "2027-01-04", "2027-01-05", .usualResidence),
                stay(3, "2027-01-05", nil),
                // Outside the weeks asked for.
                stay(3, "2026-12-14", "2026-12-15"),
            ],
            sites: sites,
            weeks: weeks,
            today: d("2027-01-10"),
            thresholds: .standard
        )
    }

    @Test func countsAdmissionsByAdmissionWeekAcrossTheYearBoundary() throws {
        let site = try #require(Self.report.sites[1] ?? nil)
        #expect(site.map(\.weekStart) == Self.weeks)
        #expect(site.map(\.admissions) == [1, 5, 0])
        #expect(site.map(\.movedOn) == [1, 2, 0])
        #expect(site[1].share == 0.4)
        #expect(site[2].share == nil)
        // The week of 28 December is known on 10 January (its Sunday's sixth day was the 9th); the week of the 4th is not.
        #expect(site.map(\.complete) == [true, true, false])
    }

    @Test func organisationsAndTheSystemCountTheirSitesWithStays() throws {
        let report = Self.report
        let organisation = try #require(report.organisations["RA"] ?? nil)
        #expect(organisation.map(\.admissions) == [1, 5, 0])
        let other = try #require(report.organisations["RB"] ?? nil)
        #expect(other.map(\.admissions) == [0, 0, 2])
        #expect(other.map(\.movedOn) == [0, 0, 1])
        let system = try #require(report.system)
        #expect(system.map(\.admissions) == [1, 5, 2])
        #expect(system.map(\.movedOn) == [1, 2, 1])
        #expect(report.band == .standard)
    }

    @Test func aSiteWithoutStaysIsNotMeasured() {
        let report = Self.report
        #expect(report.sites[2] != nil)
        #expect(report.sites[2]! == nil)
        let none = AdmissionsAim.report(
            stays: [],
            sites: [AimSite(id: 2, organisationCode: "RA", hasStays: false)],
            weeks: Self.weeks,
            today: Self.d("2027-01-10"),
            thresholds: .standard
        )
        #expect(none.system == nil)
        #expect(none.organisations["RA"]! == nil)
        #expect(AdmissionsAim.notMeasured == "not measured: needs admissions data")
    }

    @Test func theBandIsConfiguredWithTheThresholds() throws {
        let band = AimBand.standard
        #expect(band.label == "85–90%")
        #expect(band.standing(of: 0.849) == .below)
        #expect(band.standing(of: 0.85) == .within)
        #expect(band.standing(of: 0.90) == .within)
        #expect(band.standing(of: 0.91) == .above)
        let configured = try JSONDecoder().decode(
            StrandedThresholds.self,
            from: Data(#"{"aim": {"lowPercent": 80, "highPercent": 95}}"#.utf8)
        )
        #expect(configured.aim == AimBand(lowPercent: 80, highPercent: 95))
        #expect(try JSONDecoder().decode(StrandedThresholds.self, from: Data("{}".utf8)).aim == .standard)
        #expect(StrandedThresholds(aim: AimBand(lowPercent: 95, highPercent: 80)).problems().contains { $0.hasPrefix("aim.") })
    }

    @Test func theHeadlineGivesTheLatestKnownWeekAgainstTheBand() {
        // On Monday 11 January the week of 28 December is the latest whose Sunday admissions have had six days.
        #expect(AdmissionsAim.latestKnownWeek(asOf: Self.d("2027-01-11"), thresholds: .standard) == Self.d("2026-12-28"))
        let week = AimWeek(weekStart: Self.d("2026-12-28"), admissions: 20, movedOn: 17, complete: true)
        #expect(
            AdmissionsAim.headline(week, thresholds: .standard)
                == "Aim: 85–90% of acute admissions moved on within 0–6 days: 85% (17 of 20) admitted in the week of 2026-12-28, within the aim."
        )
        #expect(AdmissionsAim.headline(nil, thresholds: .standard).hasSuffix("not measured: needs admissions data."))
    }
}
