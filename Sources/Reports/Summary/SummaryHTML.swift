import Foundation
import StrandedCore

/// The summary as a standalone HTML page: one file that reads the same from
/// the outbox, an email attachment or the web, prints on one or two A4 pages
/// and stays readable in greyscale (no meaning carried by colour alone).
///
/// No scripts. The styles are inline so the file stands alone; the same
/// styles are also linked from ``SummaryStyle/path`` because the site's
/// Content-Security-Policy (`style-src 'self'`) blocks inline styles when the
/// page is served over HTTP. The file is frozen when built, so the linked
/// stylesheet's path carries a version and never changes content.
public enum SummaryHTML {
    /// The most referred cases whose printed rows keep two lines of text and
    /// still fit the second page; a longer call list prints one line a row.
    static let casesOnTwoPrintedLines = 40

    /// - Parameter thresholds: those the counts were made at: they head the columns.
    public static func render(
        _ summary: EscalationSummary,
        thresholds: StrandedThresholds,
        version: Int? = nil,
        builtAt: Date? = nil
    ) -> String {
        let stranded = "\(thresholds.strandedDays)+"
        let superStranded = "\(thresholds.superStrandedDays)+"
        let e = markupEscaped
        let title = "Escalation summary – week beginning \(summary.week.monday.uk)"
        var h = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <link rel="stylesheet" href="\(SummaryStyle.path)">
            <style>
            \(SummaryStyle.css)</style>
            </head>
            <body>
            <header>
            <h1>\(e(title))</h1>
            <p class="meta">Chief executive call · \(e(summary.week.longLabel))\(version.map { " · version \($0)" } ?? "")\(builtAt.map { " · built \(e(Self.timestamp($0)))" } ?? "")</p>

            """
        for note in summary.notes { h += "<p class=\"note\"><strong>Note:</strong> \(e(note))</p>\n" }
        h += "</header>\n<main>\n"

        // Headline counts.
        h += "<section><h2>Patients in hospital \(stranded) and \(superStranded) days</h2>\n"
        h +=
            "<table class=\"counts\"><thead><tr><th scope=\"col\">Where</th><th scope=\"col\" class=\"n\">\(stranded)</th><th scope=\"col\" class=\"n\">vs last wk</th><th scope=\"col\" class=\"n\">vs 4-wk avg</th><th scope=\"col\" class=\"n\">\(superStranded)</th><th scope=\"col\" class=\"n\">vs last wk</th><th scope=\"col\" class=\"n\">vs 4-wk avg</th></tr></thead>\n<tbody>\n"
        let rows = summary.headline.rows
        for row in rows {
            let cls = " class=\"\(row.level.rawValue)\""
            let name = row.level == .site ? "\(row.name) (\(row.code))" : (row.level == .organisation ? "\(row.name) (\(row.code))" : row.name)
            let marker = row.reported ? "" : " <em>no list</em>"
            h += "<tr\(cls)><th scope=\"row\">\(e(name))\(marker)</th>"
            for count in [row.stranded, row.superStranded] {
                h +=
                    "<td class=\"n\">\(count.current)</td><td class=\"n\">\(e(SummaryFormat.signed(count.changeOnLastWeek)))</td><td class=\"n\">\(e(SummaryFormat.signed(count.changeOnAverage)))</td>"
            }
            h += "</tr>\n"
        }
        h +=
            "</tbody></table>\n<p class=\"small\">Change: + more patients than before, − fewer. The 4-week average is of the four weeks before this one that had a list.</p>"
        if let aim = summary.aim { h += "<p class=\"aim\">\(e(aim))</p>" }
        if let redDays = summary.redDays { h += "<p class=\"small red-days\">\(e(redDays))</p>" }
        h += "</section>\n"

        // Level 1 and escalations side by side.
        h += "<section class=\"pair\"><div><h2>Level 1 reviews on time</h2>\n"
        let l1 = summary.level1
        h += "<p class=\"big\">\(e(SummaryFormat.percent(l1.onTimePercent)))</p>\n"
        h += "<p>\(l1.onTime) of \(l1.due) due by \(e(l1.deadline)); \(l1.late) late; \(l1.notCompleted) not completed.</p></div>\n"
        h += "<div><h2>Escalations this week</h2>\n"
        let a = summary.escalations
        if a.connected {
            h +=
                "<table><thead><tr><th scope=\"col\">Level</th><th scope=\"col\" class=\"n\">Opened</th><th scope=\"col\" class=\"n\">Resolved</th><th scope=\"col\" class=\"n\">Open now</th></tr></thead><tbody>\n"
            h +=
                "<tr><th scope=\"row\">Level 2</th><td class=\"n\">\(a.level2Opened)</td><td class=\"n\">\(a.level2Resolved)</td><td class=\"n\">\(a.level2Open)</td></tr>\n"
            h +=
                "<tr><th scope=\"row\">Chief executive call</th><td class=\"n\">\(a.chiefExecutiveOpened)</td><td class=\"n\">\(a.chiefExecutiveResolved)</td><td class=\"n\">\(a.chiefExecutiveOpen)</td></tr>\n"
            h += "</tbody></table>"
        } else {
            h += "<p class=\"note\">Escalation data not connected.</p>"
        }
        h += "</div></section>\n"

        // Delay reasons by agency.
        h += "<section><h2>Top delay reasons by responsible agency</h2>\n"
        if summary.delayReasons.isEmpty {
            h += "<p>No primary delay reasons recorded in this week's Level 1 reviews.</p>\n"
        } else {
            // One line per agency keeps the page to one sheet.
            h +=
                "<table class=\"reasons\"><thead><tr><th scope=\"col\">Agency</th><th scope=\"col\" class=\"n\">Patients</th><th scope=\"col\">Top reasons (patients)</th></tr></thead><tbody>\n"
            for group in summary.delayReasons {
                let reasons = group.reasons.map { "\(e($0.label)) (\($0.count))" }.joined(separator: "; ")
                h += "<tr><th scope=\"row\">\(e(group.agencyLabel))</th><td class=\"n\">\(group.total)</td><td>\(reasons)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        if let themes = summary.preventionThemes { h += "<p class=\"themes\">\(e(themes))</p>\n" }
        h += "</section>\n"

        // Trend.
        h += "<section class=\"trend\"><h2>12-week trend</h2>\n<figure>\(SummaryTrendChart.svg(summary.trend, thresholds: thresholds, height: 130))\n"
        h += "<figcaption>Solid line, round markers: \(stranded) days. Dashed line, square markers: \(superStranded) days.</figcaption></figure>\n"
        h += "<table class=\"trend-table\"><thead><tr><th scope=\"col\">Week</th>"
        for point in summary.trend { h += "<th scope=\"col\" class=\"n\">\(e(SummaryTrendChart.shortDate(point.week.monday)))</th>" }
        h += "</tr></thead><tbody>\n<tr><th scope=\"row\">\(stranded)</th>"
        for point in summary.trend { h += "<td class=\"n\">\(point.reported ? String(point.stranded) : "–")</td>" }
        h += "</tr>\n<tr><th scope=\"row\">\(superStranded)</th>"
        for point in summary.trend { h += "<td class=\"n\">\(point.reported ? String(point.superStranded) : "–")</td>" }
        h += "</tr>\n</tbody></table></section>\n"

        // Referred cases.
        h += "<section class=\"cases\"><h2>Cases referred to this call (\(summary.referredCases.count))</h2>\n"
        if summary.referredCases.isEmpty {
            h +=
                a.connected
                ? "<p>No cases referred this week.</p>\n" : "<p class=\"note\">Escalation data not connected: referred cases are not included.</p>\n"
        }
        if !summary.referredCases.isEmpty {
            // The call's list: one row per case, at most two printed lines each
            // (the print styles clip longer text), so forty cases fit the second
            // page; a longer list is dense, one printed line a row. Print shows
            // how many actions were tried; the screen and the Markdown keep the
            // list and the whole text.
            let dense = summary.referredCases.count > casesOnTwoPrintedLines
            h +=
                "<table class=\"cases-table call-list\(dense ? " dense" : "")\"><thead><tr><th scope=\"col\" class=\"c-ref\">Case</th><th scope=\"col\" class=\"c-where\">Where</th><th scope=\"col\" class=\"n c-los\">LoS</th><th scope=\"col\" class=\"c-age\">Age</th><th scope=\"col\" class=\"c-barrier\">Main barrier (agency)</th><th scope=\"col\" class=\"n c-tried\">Actions tried</th><th scope=\"col\" class=\"c-ask\">The ask</th></tr></thead><tbody>\n"
            for c in summary.referredCases {
                h +=
                    "<tr><th scope=\"row\">\(e(c.caseReference))</th><td><div class=\"clip\">\(e(c.site)), \(e(c.ward))</div></td><td class=\"n\">\(c.lengthOfStay)</td><td>\(e(c.ageBand))</td>"
                h += "<td><div class=\"clip\">\(e(c.mainBarrier)) (\(e(c.agency)))</div></td>"
                h +=
                    "<td class=\"n\">\(c.actionsTried.count)\(c.actionsTried.isEmpty ? "" : "<span class=\"tried-list\">: \(c.actionsTried.map(e).joined(separator: "; "))</span>")</td>"
                h += "<td><div class=\"clip\"><strong>\(e(c.ask))</strong></div></td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "</section>\n</main>\n"
        h +=
            "<footer><p class=\"small\">No patient names or NHS numbers appear in this summary. Case references can be looked up in Stranded by authorised staff.</p></footer>\n"
        h += "</body>\n</html>\n"
        return h
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = TimeZone.london
        formatter.dateFormat = "d MMM yyyy HH:mm"
        return formatter.string(from: date)
    }
}

/// Number formats shared by the HTML and Markdown renderers.
enum SummaryFormat {
    static func signed(_ value: Int?) -> String {
        guard let value else { return "–" }
        return value > 0 ? "+\(value)" : (value < 0 ? "−\(-value)" : "0")
    }

    static func signed(_ value: Double?) -> String {
        guard let value else { return "–" }
        let text = value == value.rounded() ? String(Int(abs(value))) : String(format: "%.1f", abs(value))
        return value > 0 ? "+\(text)" : (value < 0 ? "−\(text)" : "0")
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "none due" }
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }
}

/// The summary page's styles: print first (A4, black on white).
public enum SummaryStyle {
    /// Served by the web layer with the content of ``css``; versioned so a
    /// frozen page always finds the styles it was built with.
    public static let path = "/summary/assets/summary-v1.css"

    public static let css = """
        @page { size: A4; margin: 12mm; }
        body { font-family: Arial, Helvetica, sans-serif; font-size: 9.5pt; color: #000; background: #fff; margin: 0 auto; max-width: 190mm; line-height: 1.3; }
        h1 { font-size: 16pt; margin: 0 0 2mm; }
        h2 { font-size: 12pt; margin: 3mm 0 1mm; border-bottom: 1px solid #000; }
        h3 { font-size: 10.5pt; margin: 2mm 0 1mm; }
        .meta, .small { font-size: 8pt; color: #333; margin: 0 0 2mm; }
        .note { border: 1px solid #000; padding: 1mm 2mm; }
        table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
        .counts .n, .counts thead th { white-space: nowrap; }
        th, td { border-bottom: 1px solid #999; padding: 0.4mm 1.2mm; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #000; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        tr.system th, tr.system td { font-weight: bold; border-bottom: 2px solid #000; }
        tr.organisation th, tr.organisation td { font-weight: bold; }
        tr.site th { font-weight: normal; padding-left: 5mm; }
        .pair { display: flex; gap: 6mm; }
        .pair > div { flex: 1; }
        .big { font-size: 16pt; font-weight: bold; margin: 0; }
        figure { margin: 0; }
        figcaption { font-size: 9pt; }
        .trend-chart { max-width: 100%; height: auto; }
        .trend-table { font-size: 8.5pt; }
        .cases-table { font-size: 8.5pt; }
        .cases-table th[scope=row], .cases-table td:nth-child(3), .cases-table td:nth-child(4) { white-space: nowrap; }
        .cases-table tr { break-inside: avoid; page-break-inside: avoid; }
        section { break-inside: avoid-page; }
        section.cases { break-inside: auto; }
        @media print { a { color: #000; text-decoration: none; } }
        /* Added rules only, never changed ones: frozen pages built with older markup link this same file. */
        .call-list { table-layout: fixed; font-size: 7.5pt; line-height: 1.2; }
        .call-list .c-ref { width: 15mm; } .call-list .c-where { width: 28mm; } .call-list .c-los { width: 8mm; }
        .call-list .c-age { width: 11mm; } .call-list .c-barrier { width: 38mm; } .call-list .c-tried { width: 11mm; white-space: normal; }
        .call-list td.n, .call-list td:nth-child(4) { white-space: normal; }
        @media print {
          .call-list .clip { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; overflow: hidden; }
          .call-list .tried-list { display: none; }
          .call-list th, .call-list td { padding: 0.3mm 1mm; }
        }
        /* Headroom for a call list a little over forty cases, and a page 1 with its theme line. */
        @media print {
          .call-list { line-height: 1.08; }
          .call-list th, .call-list td { padding: 0.2mm 1mm; }
        }
        /* A call list of more than forty cases: one printed line a row. */
        @media print {
          .call-list.dense .clip { -webkit-line-clamp: 1; line-clamp: 1; }
        }

        """
}
