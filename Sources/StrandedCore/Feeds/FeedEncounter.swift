import Foundation

/// One hospital spell as a feed tells it, folded from its events in event
/// time order. The state is always a function of the set of events held:
/// late messages land in their place, replays change nothing and a cancel
/// undoes exactly the event it cancels. Events that come after everything
/// folded so far (the usual case) are folded onto the state held
/// (``folding(_:)``); a late one means folding again from every stored event.
public struct FeedEncounter: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// In a bed now.
        case inHospital = "in-hospital"
        case discharged
        /// Admission cancelled (A11), or only updates seen: no stay at all.
        case cancelled
    }

    /// A time on one ward, from arrival to leaving (nil while there).
    public struct WardStay: Hashable, Sendable, Codable {
        public var location: BedLocation
        public var from: Date
        public var to: Date?
    }

    public var visitNumber: String
    public var status: Status
    public var nhsNumber: NHSNumber?
    public var localPatientID: String?
    public var familyName: String?
    public var givenName: String?
    public var dateOfBirth: CalendarDate?
    public var admittedAt: Date?
    public var dischargedAt: Date?
    public var dischargeDisposition: String?
    public var wardStays: [WardStay]
    /// The latest event time folded in.
    public var lastEventAt: Date?
    /// The transfers folded in and not cancelled, oldest first: what a
    /// cancel transfer (A12) puts back. Nil in a state stored before it was
    /// kept (or made whole from a FHIR resource): such a state is folded
    /// again from its events rather than onto.
    public var transfers: [Transfer]?

    /// One transfer: the ward stay it closed and the one it opened (indexes into ``wardStays``).
    public struct Transfer: Hashable, Sendable, Codable {
        public var closed: Int
        public var opened: Int
    }

    public var location: BedLocation? { status == .inHospital ? wardStays.last?.location : nil }
    public var patientKey: PatientKey? { PatientKey(nhsNumber: nhsNumber, localPatientID: localPatientID) }

    /// Folds `events` (any order, duplicates allowed) into the spell's state.
    /// Events are applied by event time, ties by the order given (the order
    /// they were received); a control id seen twice counts once.
    public static func fold(visitNumber: String, events: [ADTEvent]) -> FeedEncounter {
        FeedEncounter(visitNumber: visitNumber, status: .cancelled, wardStays: [], transfers: []).folding(events)
    }

    /// Whether `events` (none of them folded in already) can be folded onto
    /// this state and end as folding every event again would: none is
    /// earlier than the latest folded, and the state keeps its transfers.
    public func canFold(_ events: [ADTEvent]) -> Bool {
        guard transfers != nil else { return false }
        guard let lastEventAt else { return true }
        return events.allSatisfy { !$0.trigger.isApplied || $0.eventTime >= lastEventAt }
    }

    /// Whether messages numbered in the order received (`received`, one
    /// number each, beside `events`) can be folded onto this state, whose
    /// latest folded message was number `lastReceived`: each is later in
    /// event time than the latest folded, or at the same time but received
    /// after it, as a fold of every message would order them.
    public func canFold(_ events: [ADTEvent], received: [Int64], lastReceived: Int64?) -> Bool {
        guard let lastReceived, canFold(events) else { return false }
        guard let last = lastEventAt else { return true }
        return zip(events, received).allSatisfy { event, number in
            !event.trigger.isApplied || event.eventTime > last || number > lastReceived
        }
    }

    /// This state with `events` folded on, in event time order (ties in the
    /// order given), a control id seen twice counted once. Equal to folding
    /// every event again when ``canFold(_:)`` says so.
    public func folding(_ events: [ADTEvent]) -> FeedEncounter {
        var seen: Set<String> = []
        let ordered = events.enumerated()
            .filter { seen.insert($0.element.sendingFacility + "\u{1}" + $0.element.controlID).inserted }
            .sorted { ($0.element.eventTime, $0.offset) < ($1.element.eventTime, $1.offset) }
            .map(\.element)
        var encounter = self
        var transfers = self.transfers ?? []
        for event in ordered where event.trigger.isApplied {
            encounter.lastEventAt = event.eventTime
            encounter.takeDemographics(from: event)
            switch event.trigger {
            case .admit:
                guard event.isInpatient, let location = event.location else { continue }
                let at = event.admitTime ?? event.eventTime
                encounter.status = .inHospital
                encounter.admittedAt = at
                encounter.dischargedAt = nil
                encounter.dischargeDisposition = nil
                encounter.wardStays = [WardStay(location: location, from: at, to: nil)]
                transfers = []
            case .transfer:
                guard encounter.status == .inHospital, let location = event.location else { continue }
                let at = max(event.eventTime, encounter.wardStays.last?.from ?? event.eventTime)
                if encounter.wardStays.last?.location == location { continue }
                encounter.wardStays[encounter.wardStays.count - 1].to = at
                encounter.wardStays.append(WardStay(location: location, from: at, to: nil))
                transfers.append(Transfer(closed: encounter.wardStays.count - 2, opened: encounter.wardStays.count - 1))
            case .cancelTransfer:
                guard encounter.status == .inHospital, let last = transfers.popLast(), last.opened == encounter.wardStays.count - 1 else { continue }
                encounter.wardStays.removeLast()
                encounter.wardStays[last.closed].to = nil
            case .discharge:
                guard encounter.status == .inHospital else { continue }
                let at = max(event.dischargeTime ?? event.eventTime, encounter.admittedAt ?? .distantPast)
                encounter.status = .discharged
                encounter.dischargedAt = at
                encounter.dischargeDisposition = event.dischargeDisposition
                encounter.wardStays[encounter.wardStays.count - 1].to = at
            case .cancelDischarge:
                guard encounter.status == .discharged else { continue }
                encounter.status = .inHospital
                encounter.dischargedAt = nil
                encounter.dischargeDisposition = nil
                encounter.wardStays[encounter.wardStays.count - 1].to = nil
            case .cancelAdmit:
                encounter.status = .cancelled
                encounter.admittedAt = nil
                encounter.dischargedAt = nil
                encounter.wardStays = []
                transfers = []
            case .update:
                // A08 corrects details, and the bed within the current ward stay; it moves no one.
                if let location = event.location, encounter.status == .inHospital {
                    encounter.wardStays[encounter.wardStays.count - 1].location = location
                }
                if let admit = event.admitTime, encounter.status != .cancelled, let first = encounter.wardStays.first?.from, admit <= first {
                    encounter.admittedAt = admit
                    encounter.wardStays[0].from = admit
                }
            case .register, .preAdmit:
                continue
            }
        }
        encounter.transfers = transfers
        return encounter
    }

    mutating func takeDemographics(from event: ADTEvent) {
        if let value = event.nhsNumber { nhsNumber = value }
        if let value = event.localPatientID { localPatientID = value }
        if let value = event.familyName { familyName = value }
        if let value = event.givenName { givenName = value }
        if let value = event.dateOfBirth { dateOfBirth = value }
    }
}

/// A site as the feed mapping knows it.
public struct FeedSite: Hashable, Sendable {
    public var id: Int64
    public var code: String
    public var isAcute: Bool

    public init(id: Int64, code: String, isAcute: Bool) {
        self.id = id
        self.code = code
        self.isAcute = isAcute
    }
}

extension FeedEncounter {
    /// The stays this spell makes, one per run of ward stays at one site: a
    /// transfer to another site (acute → community) ends the stay at the first
    /// and starts one at the second, as a stays extract would show it.
    /// `siteOf` maps a ward stay's location to its site (nil: unmapped, skipped).
    public func stays(siteOf: (BedLocation) -> FeedSite?) -> [Stay] {
        guard status != .cancelled, let key = patientKey?.stored else { return [] }
        var runs: [(site: FeedSite, ward: String, from: Date, to: Date?)] = []
        for wardStay in wardStays {
            guard let site = siteOf(wardStay.location) else { continue }
            if let last = runs.last, last.site.id == site.id {
                runs[runs.count - 1].to = wardStay.to
            } else {
                runs.append((site, wardStay.location.ward, wardStay.from, wardStay.to))
            }
        }
        return runs.enumerated().map { index, run in
            let ended = run.to.map(HL7Time.calendarDate)
            var destination: StayDestination?
            if ended != nil {
                if index + 1 < runs.count {
                    destination = runs[index + 1].site.isAcute ? .otherAcute : .communityBed
                } else {
                    destination = FeedDisposition.destination(dischargeDisposition)
                }
            }
            return Stay(
                siteID: run.site.id,
                wardCode: run.ward,
                patientKey: key,
                admissionDate: HL7Time.calendarDate(run.from),
                endedOn: ended,
                destination: destination
            )
        }
    }
}

/// Discharge destination codes to the stays model: the NHS Data Dictionary's
/// discharge destination (what English PAS feeds put in PV1-36) and the FHIR
/// discharge-disposition codes.
public enum FeedDisposition {
    public static func destination(_ code: String?) -> StayDestination? {
        guard let code = code?.lowercased() else { return .other }
        switch code {
        case "19", "29", "home", "alt-home": return .usualResidence
        case "54", "65", "85", "snf", "long": return .careHome
        case "79", "exp": return .died
        case "88", "hosp-hospice": return .hospice
        case "51", "hosp", "other-hcf": return .otherAcute
        case "rehab": return .communityBed
        default: return .other
        }
    }
}

extension FeedEncounter {
    /// Where the patient was at `instant`, and since when at that site (the
    /// admission date a ward list gives): nil when not in a bed then, or the
    /// site is not mapped.
    public func placement(at instant: Date, siteOf: (BedLocation) -> FeedSite?) -> (site: FeedSite, location: BedLocation, atSiteSince: Date)? {
        guard status != .cancelled,
            let index = wardStays.lastIndex(where: { $0.from <= instant && ($0.to.map { instant < $0 } ?? true) }),
            let site = siteOf(wardStays[index].location)
        else { return nil }
        var start = index
        while start > 0, siteOf(wardStays[start - 1].location)?.id == site.id { start -= 1 }
        return (site, wardStays[index].location, wardStays[start].from)
    }
}
