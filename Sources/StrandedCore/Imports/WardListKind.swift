/// What one site's list in an import covers, as its snapshot records it.
///
/// The raw values are stored in `snapshot.list_kind` (its CHECK constraint
/// lists them) and written in every import report, so they never change.
public enum WardListKind: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Every inpatient on the wards: the count under the stranded line is known.
    case census
    /// Only stays at or past the stranded line: nothing is known of shorter ones.
    case longStay = "long-stay"

    /// The raw value, which is also how pages and the command line show it.
    public var description: String { rawValue }
}
