/// What became of one ward list file.
///
/// The raw values are stored in `import_file.verdict` (its CHECK constraint
/// lists them) and written in every import report, so they never change.
public enum ImportVerdict: String, CaseIterable, Sendable, Codable {
    /// Imported: its rows, snapshots and cases are in.
    case accepted
    /// The same content was already accepted; nothing changed.
    case duplicate
    /// Refused whole; nothing was imported.
    case rejected
}
