/// Which way a ward list came in.
///
/// The raw values are stored in `import_file.source` (its CHECK constraint
/// lists them) and written in every import report, so they never change.
public enum ImportSource: String, CaseIterable, Sendable, Codable {
    /// `stranded import FILE`.
    case cli
    /// `POST /api/imports`.
    case api
    /// The service's own upload page, `/imports` (migration 0014).
    case web
    /// A file dropped in the watched inbox directory.
    case inbox
    /// The synthetic demo data.
    case demo
    /// A fed site's census at the list time, made from its hospital feed (migration 0030).
    case feed
}
