import StrandedCore

/// What the rows copied into `list_row` hold, tallied as they stream past,
/// so that `apply` need not read a national list's ~93,000 rows back three
/// times: for its wards, its per-site counts and its stays' NHS numbers
/// (a sort or an aggregate of every row each, ~0.15 s together under load,
/// against a few milliseconds of hashing here).
///
/// Only whole while every copied row stays in the table: a list with
/// retracted lines (a patient found twice) is read back from the table.
public struct CopiedRows: Sendable {
    /// Rows at this site: all of them, and those at or over each line.
    public struct SiteCounts: Sendable, Equatable {
        public var patients = 0
        public var stranded = 0
        public var superStranded = 0

        /// One more row, at `level` (nil: under the stranded line).
        mutating func count(_ level: StrandedLevel?) {
            patients += 1
            if level != nil { stranded += 1 }
            if level == .superStranded { superStranded += 1 }
        }
    }

    let thresholds: StrandedThresholds
    public private(set) var wards: [Int64: Set<String>] = [:]
    public private(set) var sites: [Int64: SiteCounts] = [:]
    /// The NHS numbers of rows at or over the stranded line: the stays a journey links.
    public private(set) var stayNHSNumbers: [String] = []
    /// The ward of the row before: a list runs ward by ward, so most rows need no set lookup.
    private var lastWard: (siteID: Int64, code: String)?

    public init(thresholds: StrandedThresholds) {
        self.thresholds = thresholds
    }

    public mutating func add(_ row: WardListRow) {
        if lastWard?.siteID != row.site.id || lastWard?.code != row.wardCode {
            wards[row.site.id, default: []].insert(row.wardCode)
            lastWard = (row.site.id, row.wardCode)
        }
        // The domain's lines, as the snapshot's SQL takes them when it counts
        // the table's rows (a copied row's stay is never negative: the
        // validator refuses those).
        let level = LengthOfStay(days: row.lengthOfStay)?.strandedLevel(using: thresholds)
        sites[row.site.id, default: SiteCounts()].count(level)
        if level != nil, let nhs = row.nhsNumber?.digits { stayNHSNumbers.append(nhs) }
    }
}
