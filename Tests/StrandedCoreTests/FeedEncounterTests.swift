import Foundation
import StrandedCore
import Testing

@Suite("Bed state folded from ADT events: ordering, duplicates, cancels, stays")
struct FeedEncounterTests {
    static func at(_ text: String) -> Date { HL7Time.date(text)! }
    static let nhs = try! NHSNumber(parsing: "9990000018")

    static func event(_ trigger: ADTTrigger, _ id: String, _ time: String, ward: String? = nil, facility: String = "ACU1", disposition: String? = nil) -> ADTEvent {
        ADTEvent(
            trigger: trigger, controlID: id, sendingFacility: "PAS", eventTime: at(time), nhsNumber: nhs,
            location: ward.map { BedLocation(ward: $0, bed: "1", facility: facility) }, visitNumber: "V1", dischargeDisposition: disposition)
    }

    static let week: [ADTEvent] = [
        event(.admit, "1", "202501060900", ward: "AMU"),
        event(.transfer, "2", "202501070900", ward: "W1"),
        event(.discharge, "3", "202501090900", disposition: "19"),
    ]

    @Test func admitTransferDischarge() {
        let encounter = FeedEncounter.fold(visitNumber: "V1", events: Self.week)
        #expect(encounter.status == .discharged)
        #expect(encounter.wardStays.map(\.location.ward) == ["AMU", "W1"])
        #expect(encounter.wardStays[0].to == Self.at("202501070900"))
        #expect(encounter.dischargedAt == Self.at("202501090900"))
        #expect(encounter.location == nil)
    }

    @Test func orderIsEventTimeNotArrival() {
        let shuffled = [Self.week[2], Self.week[0], Self.week[1]]
        #expect(FeedEncounter.fold(visitNumber: "V1", events: shuffled) == FeedEncounter.fold(visitNumber: "V1", events: Self.week))
    }

    @Test func duplicatesCountOnce() {
        let twice = Self.week + Self.week
        #expect(FeedEncounter.fold(visitNumber: "V1", events: twice) == FeedEncounter.fold(visitNumber: "V1", events: Self.week))
    }

    @Test func cancelDischargeReopensTheLastWard() {
        let events = Self.week + [Self.event(.cancelDischarge, "4", "202501091000")]
        let encounter = FeedEncounter.fold(visitNumber: "V1", events: events)
        #expect(encounter.status == .inHospital)
        #expect(encounter.location?.ward == "W1")
        #expect(encounter.dischargedAt == nil)
        #expect(encounter.wardStays.last?.to == nil)
    }

    @Test func cancelTransferPutsBackExactlyThePriorWard() {
        let events = [Self.week[0], Self.week[1], Self.event(.cancelTransfer, "4", "202501071000", ward: "AMU")]
        let encounter = FeedEncounter.fold(visitNumber: "V1", events: events)
        #expect(encounter.wardStays.map(\.location.ward) == ["AMU"])
        #expect(encounter.wardStays[0].to == nil)
        #expect(encounter.location?.ward == "AMU")
    }

    @Test func cancelAdmitLeavesNoStay() {
        let events = [Self.week[0], Self.event(.cancelAdmit, "9", "202501061000")]
        let encounter = FeedEncounter.fold(visitNumber: "V1", events: events)
        #expect(encounter.status == .cancelled)
        #expect(encounter.stays { _ in FeedSite(id: 1, code: "ACU1", isAcute: true) }.isEmpty)
    }

    @Test func outpatientsAndPreAdmissionsTakeNoBed() {
        var outpatient = Self.week[0]
        outpatient.patientClass = "O"
        #expect(FeedEncounter.fold(visitNumber: "V1", events: [outpatient]).status == .cancelled)
        let preAdmit = Self.event(.preAdmit, "0", "202501050900", ward: "AMU")
        #expect(FeedEncounter.fold(visitNumber: "V1", events: [preAdmit]).status == .cancelled)
    }

    @Test func updateMovesTheBedNotThePatient() {
        let events = [Self.week[0], Self.event(.update, "5", "202501061200", ward: "AMU2")]
        let encounter = FeedEncounter.fold(visitNumber: "V1", events: events)
        #expect(encounter.wardStays.count == 1)
        #expect(encounter.location?.ward == "AMU2")
    }

    @Test func staysSplitAtATransferBetweenSites() {
        let events = [
            Self.event(.admit, "1", "202501060900", ward: "AMU"),
            Self.event(.transfer, "2", "202501100900", ward: "REHAB", facility: "COM1"),
            Self.event(.discharge, "3", "202501200900", disposition: "19"),
        ]
        let sites = ["ACU1": FeedSite(id: 1, code: "ACU1", isAcute: true), "COM1": FeedSite(id: 2, code: "COM1", isAcute: false)]
        let stays = FeedEncounter.fold(visitNumber: "V1", events: events).stays { sites[$0.facility ?? ""] }
        #expect(stays.count == 2)
        #expect(stays[0].siteID == 1)
        #expect(stays[0].admissionDate == CalendarDate(year: 2025, month: 1, day: 6))
        #expect(stays[0].endedOn == CalendarDate(year: 2025, month: 1, day: 10))
        #expect(stays[0].destination == .communityBed)
        #expect(stays[0].movedOn(withinDays: 7))
        #expect(stays[1].siteID == 2)
        #expect(stays[1].admissionDate == CalendarDate(year: 2025, month: 1, day: 10))
        #expect(stays[1].destination == .usualResidence)
        #expect(stays[1].patientKey == "N:9990000018")
    }

    @Test func lateAdmitTimeFromPV1_44() {
        var admit = Self.week[0]
        admit.admitTime = Self.at("202501052330")
        let encounter = FeedEncounter.fold(visitNumber: "V1", events: [admit])
        #expect(encounter.admittedAt == Self.at("202501052330"))
        let stays = encounter.stays { _ in FeedSite(id: 1, code: "ACU1", isAcute: true) }
        #expect(stays.first?.admissionDate == CalendarDate(year: 2025, month: 1, day: 5))
    }

    /// A spell's whole life, with a transfer cancelled and a discharge cancelled.
    static let life: [ADTEvent] = [
        event(.admit, "1", "202501060900", ward: "AMU"),
        event(.transfer, "2", "202501070900", ward: "W1"),
        event(.transfer, "3", "202501080900", ward: "W2"),
        event(.cancelTransfer, "4", "202501081000", ward: "W1"),
        event(.update, "5", "202501081100", ward: "W1"),
        event(.discharge, "6", "202501090900", disposition: "19"),
        event(.cancelDischarge, "7", "202501091000"),
        event(.transfer, "8", "202501100900", ward: "REHAB", facility: "COM1"),
        event(.discharge, "9", "202501120900", disposition: "54"),
    ]

    /// The store folds new messages onto the state it keeps: wherever a
    /// spell's messages are split between batches, the state of the first
    /// part with the rest folded on is the fold of them all.
    @Test func foldingOntoAStateEqualsFoldingEverythingAgain() {
        let whole = FeedEncounter.fold(visitNumber: "V1", events: Self.life)
        for split in 0...Self.life.count {
            let state = FeedEncounter.fold(visitNumber: "V1", events: Array(Self.life[..<split]))
            let rest = Array(Self.life[split...])
            #expect(state.canFold(rest))
            #expect(state.folding(rest) == whole, "split after \(split) events")
        }
    }

    @Test func aLateEventOrAStateWithoutItsTransfersMustBeFoldedAgain() throws {
        let discharged = FeedEncounter.fold(visitNumber: "V1", events: [Self.life[0], Self.life[5]])
        #expect(!discharged.canFold([Self.life[1]]), "a transfer from before the discharge")
        #expect(discharged.canFold([Self.life[6]]))
        // A state stored before the transfers were kept reads back without them.
        let moved = FeedEncounter.fold(visitNumber: "V1", events: Array(Self.life[..<2]))
        var stored = try JSONSerialization.jsonObject(with: JSONEncoder().encode(moved)) as! [String: Any]
        stored.removeValue(forKey: "transfers")
        let old = try JSONDecoder().decode(FeedEncounter.self, from: JSONSerialization.data(withJSONObject: stored))
        #expect(old.transfers == nil)
        #expect(!old.canFold([Self.life[2]]))
    }

    @Test func aMessageAtTheSameTimeFoldsOnOnlyIfReceivedAfterTheLatestFolded() {
        let admitted = FeedEncounter.fold(visitNumber: "V1", events: [Self.life[0]])
        let update = Self.event(.update, "5", "202501060900", ward: "AMU")
        #expect(admitted.canFold([update], received: [8], lastReceived: 7))
        #expect(!admitted.canFold([update], received: [6], lastReceived: 7))
        #expect(!admitted.canFold([update], received: [8], lastReceived: nil), "a state that does not say what it holds")
    }
}
