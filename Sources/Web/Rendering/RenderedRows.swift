import Mustache

/// Rows rendered ahead (``ReviewFormFragments``), pasted into a page as one
/// piece with `{{{name}}}`.
///
/// As an array, each row was a pass of a Mustache section: a new context
/// with its stack copied, a look-up of `.`, four dynamic casts and a copy of
/// the row, forty-odd times a form page. Joined once here, the whole list is
/// one look-up.
struct RenderedRows: CustomStringConvertible, MustacheCustomRenderable {
    /// Each row's HTML, in order.
    let rows: [String]
    /// The rows one after another, a line break between them.
    let description: String

    init(_ rows: [String]) {
        self.rows = rows
        description = rows.joined(separator: "\n")
    }

    var renderText: String { description }
    var isNull: Bool { false }
}
