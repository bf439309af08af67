import StrandedCore
import Foundation

/// Where a chart's legend entries go so that none overlaps another or runs
/// off the chart: equal columns as wide as the widest entry (up to
/// `maximumColumns`), as many rows as needed; an entry still too wide for
/// its column is shortened with "…" and keeps its full text as a tooltip.
///
/// Widths are estimated from the character count (SVG text cannot be
/// measured on the server): 0.6 em a character is generous for the sans
/// fonts browsers use, so the estimate errs towards more room.
struct LegendLayout {
    struct Place {
        let x: Double
        let row: Int
    }
    let places: [Place]
    let rows: Int
    private let labels: [String]
    private let shown: [String]
    private let fontSize: Double

    init(labels: [String], swatch: Double, available: Double, fontSize: Double, maximumColumns: Int = 4) {
        let characterWidth = fontSize * 0.6
        let widest = labels.map { swatch + Double($0.count) * characterWidth + 12 }.max() ?? 0
        let columns = labels.isEmpty ? 1 : max(1, min(maximumColumns, labels.count, Int(available / max(widest, 1))))
        let columnWidth = available / Double(columns)
        let fits = max(4, Int((columnWidth - swatch - 12) / characterWidth))
        self.labels = labels
        self.fontSize = fontSize
        shown = labels.map { $0.count <= fits ? $0 : String($0.prefix(fits - 1)).trimmingCharacters(in: .whitespaces) + "…" }
        places = labels.indices.map { Place(x: Double($0 % columns) * columnWidth, row: $0 / columns) }
        rows = labels.isEmpty ? 0 : (labels.count + columns - 1) / columns
    }

    /// The entry's text, with its full label as a tooltip when shortened.
    func text(_ index: Int, x: Double, y: Double) -> String {
        let full = markupEscaped(labels[index])
        let tooltip = shown[index] == labels[index] ? "" : "<title>\(full)</title>"
        return
            "<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" font-size=\"\(svgNumber(fontSize))\" fill=\"#000\">\(tooltip)\(markupEscaped(shown[index]))</text>"
    }
}
