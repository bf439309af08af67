import Foundation
import StrandedCore

/// Server-rendered SVG charts: no script, presentation attributes
/// only (no inline CSS, so a strict Content-Security-Policy allows them), and
/// readable in greyscale print: every line has its own dash pattern and
/// marker shape, every stacked band its own fill pattern, and the legend
/// repeats them.
public enum SVGChart {
    /// A line: its name, one value per week (nil = no figure that week) and its look.
    public struct Line: Sendable {
        public var name: String
        public var values: [Double?]
        public var style: LineStyle
        public init(name: String, values: [Double?], style: LineStyle) {
            self.name = name
            self.values = values
            self.style = style
        }
    }

    public enum LineStyle: Int, Sendable, CaseIterable {
        case solidCircles, dashedSquares, dottedTriangles

        var dash: String? {
            switch self {
            case .solidCircles: nil
            case .dashedSquares: "8 4"
            case .dottedTriangles: "2 3"
            }
        }
        var grey: String {
            switch self {
            case .solidCircles: "#000"
            case .dashedSquares: "#444"
            case .dottedTriangles: "#777"
            }
        }

        func marker(x: Double, y: Double) -> String {
            switch self {
            case .solidCircles:
                return "<circle cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"3\" fill=\"\(grey)\"/>"
            case .dashedSquares:
                return
                    "<rect x=\"\(svgNumber(x - 3))\" y=\"\(svgNumber(y - 3))\" width=\"6\" height=\"6\" fill=\"#fff\" stroke=\"\(grey)\" stroke-width=\"1.5\"/>"
            case .dottedTriangles:
                return
                    "<path d=\"M\(svgNumber(x)) \(svgNumber(y - 4))L\(svgNumber(x + 4)) \(svgNumber(y + 3))L\(svgNumber(x - 4)) \(svgNumber(y + 3))Z\" fill=\"\(grey)\"/>"
            }
        }
    }

    /// A shaded horizontal band with a label (the aim).
    public struct Band: Sendable {
        public var low: Double
        public var high: Double
        public var label: String
        public init(low: Double, high: Double, label: String) {
            self.low = low
            self.high = high
            self.label = label
        }
    }

    /// A line chart of weekly values.
    public static func lines(
        title: String,
        weeks: [CalendarDate],
        lines: [Line],
        band: Band? = nil,
        width: Double = 720,
        height: Double = 300,
        compact: Bool = false
    ) -> String {
        let left = compact ? 32.0 : 48.0
        let right = 12.0
        // A compact chart (a small multiple) draws no title: its page captions
        // it in HTML, where a long site name wraps instead of being cut off.
        let top = compact ? 8.0 : 28.0
        let plotW = width - left - right
        // The legend wraps onto as many rows as its entries need.
        let legendEntries = compact ? [] : lines.map(\.name) + (band.map { [$0.label] } ?? [])
        let legend = LegendLayout(labels: legendEntries.count > 1 ? legendEntries : [], swatch: 30, available: plotW, fontSize: 11)
        let bottom = compact ? 18.0 : 36.0 + 16 * Double(legend.rows)
        let height = compact ? height : top + (height - 28 - 58) + bottom
        let plotH = height - top - bottom
        let values = lines.flatMap { $0.values.compactMap { $0 } } + (band.map { [$0.high] } ?? [])
        let topValue = niceCeiling(values.max() ?? 1)
        func x(_ index: Int) -> Double { left + (weeks.count > 1 ? plotW * Double(index) / Double(weeks.count - 1) : plotW / 2) }
        func y(_ value: Double) -> Double { top + plotH - plotH * value / topValue }

        let size = compact ? " width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\"" : ""
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\"\(size) role=\"img\" class=\"chart\">"
        svg += "<title>\(markupEscaped(title))</title>"
        if !compact {
            svg += "<text x=\"\(svgNumber(left))\" y=\"16\" font-size=\"13\" font-weight=\"bold\" fill=\"#000\">\(markupEscaped(title))</text>"
        }
        if let band {
            let y1 = y(min(band.high, topValue))
            let y2 = y(max(band.low, 0))
            svg +=
                "<rect x=\"\(svgNumber(left))\" y=\"\(svgNumber(y1))\" width=\"\(svgNumber(plotW))\" height=\"\(svgNumber(max(y2 - y1, 1)))\" fill=\"url(#aim)\" stroke=\"#555\" stroke-dasharray=\"1 2\"/>"
            svg += "<defs><pattern id=\"aim\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"#eee\"/>"
            svg += "<path d=\"M0 6L6 0\" stroke=\"#999\" stroke-width=\"0.8\"/></pattern></defs>"
        }
        // Axes and gridlines: 0, half, top.
        for fraction in [0.0, 0.5, 1.0] {
            let value = topValue * fraction
            svg +=
                "<line x1=\"\(svgNumber(left))\" x2=\"\(svgNumber(left + plotW))\" y1=\"\(svgNumber(y(value)))\" y2=\"\(svgNumber(y(value)))\" stroke=\"#ccc\" stroke-width=\"1\"/>"
            svg +=
                "<text x=\"\(svgNumber(left - 4))\" y=\"\(svgNumber(y(value) + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#000\">\(DisclosureControl.format(value))</text>"
        }
        if !compact, let first = weeks.first, let last = weeks.last {
            svg += "<text x=\"\(svgNumber(left))\" y=\"\(svgNumber(top + plotH + 14))\" font-size=\"10\" fill=\"#000\">\(weekLabel(first))</text>"
            svg +=
                "<text x=\"\(svgNumber(left + plotW))\" y=\"\(svgNumber(top + plotH + 14))\" font-size=\"10\" text-anchor=\"end\" fill=\"#000\">\(weekLabel(last))</text>"
        }
        for line in lines {
            var path = ""
            var markers = ""
            var pen = false
            for (index, value) in line.values.enumerated() {
                guard let value else {
                    pen = false
                    continue
                }
                path += (pen ? "L" : "M") + "\(svgNumber(x(index))) \(svgNumber(y(value)))"
                pen = true
                if !compact || weeks.count <= 26 { markers += line.style.marker(x: x(index), y: y(value)) }
            }
            let dash = line.style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(line.style.grey)\" stroke-width=\"\(compact ? 1.5 : 2)\"\(dash)/>" + markers
        }
        for (index, place) in legend.places.enumerated() {
            let legendX = left + place.x
            let legendY = top + plotH + 30 + 16 * Double(place.row)
            if index < lines.count {
                let line = lines[index]
                let dash = line.style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                svg += "<path d=\"M\(svgNumber(legendX)) \(svgNumber(legendY))h24\" stroke=\"\(line.style.grey)\" stroke-width=\"2\"\(dash)/>"
                svg += line.style.marker(x: legendX + 12, y: legendY)
            } else {
                svg +=
                    "<rect x=\"\(svgNumber(legendX))\" y=\"\(svgNumber(legendY - 6))\" width=\"24\" height=\"12\" fill=\"url(#aim)\" stroke=\"#555\"/>"
            }
            svg += legend.text(index, x: legendX + 30, y: legendY + 4)
        }
        return svg + "</svg>"
    }

    /// A stacked bar chart: one bar per week, one band per category.
    public static func stackedBars(
        title: String,
        weeks: [CalendarDate],
        categories: [(name: String, values: [Int])],
        width: Double = 720,
        plotHeight: Double = 214
    ) -> String {
        let left = 48.0
        let right = 12.0
        let top = 28.0
        let plotW = width - left - right
        let legend = LegendLayout(labels: categories.map(\.name), swatch: 18, available: plotW, fontSize: 10, maximumColumns: 3)
        let bottom = 30.0 + 16 * Double(legend.rows)
        let plotH = plotHeight
        let height = top + plotH + bottom
        let totals = weeks.indices.map { index in categories.reduce(0) { $0 + (index < $1.values.count ? $1.values[index] : 0) } }
        let topValue = niceCeiling(Double(totals.max() ?? 1))
        let slot = plotW / Double(max(weeks.count, 1))
        let barW = max(slot * 0.7, 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" role=\"img\" class=\"chart\">"
        svg += "<title>\(markupEscaped(title))</title><defs>"
        for index in categories.indices { svg += pattern(index) }
        svg += "</defs>"
        svg += "<text x=\"\(svgNumber(left))\" y=\"16\" font-size=\"13\" font-weight=\"bold\" fill=\"#000\">\(markupEscaped(title))</text>"
        for fraction in [0.0, 0.5, 1.0] {
            let value = topValue * fraction
            let yy = top + plotH - plotH * fraction
            svg +=
                "<line x1=\"\(svgNumber(left))\" x2=\"\(svgNumber(left + plotW))\" y1=\"\(svgNumber(yy))\" y2=\"\(svgNumber(yy))\" stroke=\"#ccc\"/>"
            svg +=
                "<text x=\"\(svgNumber(left - 4))\" y=\"\(svgNumber(yy + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#000\">\(DisclosureControl.format(value))</text>"
        }
        for (weekIndex, _) in weeks.enumerated() {
            var base = top + plotH
            let x = left + slot * Double(weekIndex) + (slot - barW) / 2
            for (categoryIndex, category) in categories.enumerated() {
                let value = weekIndex < category.values.count ? category.values[weekIndex] : 0
                guard value > 0 else { continue }
                let h = plotH * Double(value) / topValue
                base -= h
                svg +=
                    "<rect x=\"\(svgNumber(x))\" y=\"\(svgNumber(base))\" width=\"\(svgNumber(barW))\" height=\"\(svgNumber(h))\" fill=\"url(#p\(categoryIndex))\" stroke=\"#000\" stroke-width=\"0.5\"/>"
            }
        }
        if let first = weeks.first, let last = weeks.last {
            svg += "<text x=\"\(svgNumber(left))\" y=\"\(svgNumber(top + plotH + 14))\" font-size=\"10\" fill=\"#000\">\(weekLabel(first))</text>"
            svg +=
                "<text x=\"\(svgNumber(left + plotW))\" y=\"\(svgNumber(top + plotH + 14))\" font-size=\"10\" text-anchor=\"end\" fill=\"#000\">\(weekLabel(last))</text>"
        }
        for (index, place) in legend.places.enumerated() {
            let lx = left + place.x
            let ly = top + plotH + 28 + 16 * Double(place.row)
            svg +=
                "<rect x=\"\(svgNumber(lx))\" y=\"\(svgNumber(ly - 9))\" width=\"14\" height=\"11\" fill=\"url(#p\(index))\" stroke=\"#000\" stroke-width=\"0.5\"/>"
            svg += legend.text(index, x: lx + 18, y: ly)
        }
        return svg + "</svg>"
    }

    /// Greyscale fills that differ in pattern as well as shade.
    static func pattern(_ index: Int) -> String {
        let shades = ["#fff", "#ddd", "#aaa", "#777", "#444"]
        let shade = shades[index % shades.count]
        let ink = index % shades.count >= 3 ? "#fff" : "#000"
        var marks = ""
        switch index % 4 {
        case 0: marks = ""
        case 1: marks = "<path d=\"M0 8L8 0\" stroke=\"\(ink)\" stroke-width=\"1\"/>"
        case 2: marks = "<circle cx=\"4\" cy=\"4\" r=\"1.3\" fill=\"\(ink)\"/>"
        default: marks = "<path d=\"M0 4H8M4 0V8\" stroke=\"\(ink)\" stroke-width=\"0.8\"/>"
        }
        return
            "<pattern id=\"p\(index)\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"\(shade)\"/>\(marks)</pattern>"
    }

    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }
}

/// A week on an axis as pages write it ("w/c 12 Oct 2026").
func weekLabel(_ monday: CalendarDate) -> String { ReviewWeek(monday: monday)?.label ?? monday.iso }

/// Compact numbers for SVG coordinates.
func svgNumber(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
