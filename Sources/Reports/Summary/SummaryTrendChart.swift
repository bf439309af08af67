import Foundation
import StrandedCore

/// The 12-week trend of the stranded and super stranded (7+ and 21+ under
/// the standard thresholds) as a small SVG line chart.
///
/// Greyscale-readable: stranded is a solid line with round markers, super stranded a dashed
/// line with square markers, and each line is labelled at its end, so colour
/// is never the only cue. The same numbers are in a table beside it.
public enum SummaryTrendChart {
    public static func svg(_ points: [TrendPoint], thresholds: StrandedThresholds, width: Int = 640, height: Int = 220) -> String {
        let stranded = "\(thresholds.strandedDays)+"
        let superStranded = "\(thresholds.superStrandedDays)+"
        let left = 44.0
        let right = 60.0
        let top = 14.0
        let bottom = 36.0
        let plotWidth = Double(width) - left - right
        let plotHeight = Double(height) - top - bottom
        let maxValue = max(1, points.map { max($0.stranded, $0.superStranded) }.max() ?? 1)
        let step = niceStep(for: maxValue)
        let axisMax = ((maxValue + step - 1) / step) * step
        func x(_ i: Int) -> Double {
            points.count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(i) / Double(points.count - 1)
        }
        func y(_ v: Int) -> Double { top + plotHeight * (1 - Double(v) / Double(axisMax)) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-labelledby="trend-title">
            <title id="trend-title">Patients at length of stay \(stranded) and \(superStranded) days, last \(points.count) weeks</title>

            """
        // Horizontal grid and value labels.
        for value in stride(from: 0, through: axisMax, by: step) {
            svg +=
                "<line x1=\"\(f(left))\" y1=\"\(f(y(value)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(value)))\" stroke=\"#ccc\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\" font-size=\"11\">\(value)</text>\n"
        }
        // Week labels (day and month of each Monday; every other one when crowded).
        let every = points.count > 8 ? 2 : 1
        for (i, point) in points.enumerated() where i % every == 0 || i == points.count - 1 {
            svg +=
                "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\" font-size=\"11\">\(markupEscaped(shortDate(point.week.monday)))</text>\n"
        }
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(Double(height) - 4))\" text-anchor=\"middle\" font-size=\"11\">Week beginning</text>\n"
        svg +=
            "<text x=\"12\" y=\"\(f(top + plotHeight / 2))\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 12 \(f(top + plotHeight / 2)))\">Patients</text>\n"

        // The lines: only weeks with a list are plotted (a gap, not a zero).
        for series in [
            (label: stranded, dash: "", marker: "circle", value: \TrendPoint.stranded),
            (label: superStranded, dash: " stroke-dasharray=\"6 4\"", marker: "square", value: \TrendPoint.superStranded),
        ] {
            let plotted = points.enumerated().filter { $0.element.reported }
            guard !plotted.isEmpty else { continue }
            // One line per run of consecutive weeks: a missing week breaks the
            // line rather than being bridged as if it had been counted.
            var runs: [[(offset: Int, element: TrendPoint)]] = []
            for point in plotted {
                if let last = runs.last?.last, last.offset == point.offset - 1 {
                    runs[runs.count - 1].append(point)
                } else {
                    runs.append([point])
                }
            }
            for run in runs where run.count > 1 {
                let path = run.map { "\(f(x($0.offset))),\(f(y($0.element[keyPath: series.value])))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"2\"\(series.dash) points=\"\(path)\"/>\n"
            }
            for (i, point) in plotted {
                let cx = x(i)
                let cy = y(point[keyPath: series.value])
                if series.marker == "circle" {
                    svg += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"3\" fill=\"#000\"/>"
                } else {
                    svg += "<rect x=\"\(f(cx - 3))\" y=\"\(f(cy - 3))\" width=\"6\" height=\"6\" fill=\"#fff\" stroke=\"#000\"/>"
                }
            }
            if let last = plotted.last {
                svg +=
                    "\n<text x=\"\(f(x(last.offset) + 8))\" y=\"\(f(y(last.element[keyPath: series.value]) + 4))\" font-size=\"12\" font-weight=\"bold\">\(markupEscaped(series.label))</text>\n"
            }
        }
        svg += "</svg>"
        return svg
    }

    /// A step giving about four grid lines: 1, 2, 5, 10, 20, 50, …
    static func niceStep(for maxValue: Int) -> Int {
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] where maxValue <= factor * magnitude * 4 { return factor * magnitude }
            magnitude *= 10
        }
    }

    static func shortDate(_ date: CalendarDate) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(date.day) \(months[date.month - 1])"
    }
}
