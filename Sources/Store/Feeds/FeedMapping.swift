import Foundation
import StrandedCore

/// Which registered site and ward a feed's location codes are: the
/// `feed_facility` and `feed_ward` tables, read whole (they are small) so a
/// message resolves its location without a query.
public struct FeedMapping: Sendable, Equatable {
    /// By facility code, upper case.
    public var facilities: [String: FeedSite]
    /// By facility code, then the feed's ward code (both upper case).
    public var wards: [String: [String: String]]

    public init(facilities: [String: FeedSite] = [:], wards: [String: [String: String]] = [:]) {
        self.facilities = facilities
        self.wards = wards
    }

    public func site(for location: BedLocation) -> FeedSite? {
        location.facility.flatMap { facilities[$0.uppercased()] }
    }

    /// The ward list's code for a location's ward: the mapped code, else the feed's own.
    public func wardCode(for location: BedLocation) -> String {
        let facility = location.facility?.uppercased() ?? ""
        return wards[facility]?[location.ward.uppercased()] ?? location.ward.uppercased()
    }

    /// The sites any facility maps to: the fed sites.
    public var siteIDs: Set<Int64> { Set(facilities.values.map(\.id)) }
}
