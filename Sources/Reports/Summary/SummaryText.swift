import Foundation
import StrandedCore

/// The summary as Markdown, for the body of an email: readable as plain text
/// too (tables are pipe tables, every figure has its label).
public enum SummaryMarkdown {
    /// - Parameter thresholds: those the counts were made at: they head the columns.
    public static func render(_ summary: EscalationSummary, thresholds: StrandedThresholds, version: Int? = nil) -> String {
        let stranded = "\(thresholds.strandedDays)+"
        let superStranded = "\(thresholds.superStrandedDays)+"
        let m = Markdown.inline
        var out = "# Escalation summary – week beginning \(summary.week.monday.uk)\n\n"
        out += "Chief executive call · \(m(summary.week.longLabel))\(version.map { " · version \($0)" } ?? "")\n\n"
        for note in summary.notes { out += "**Note:** \(m(note))\n\n" }

        out += "## Patients in hospital \(stranded) and \(superStranded) days\n\n"
        out += "| Where | \(stranded) | vs last week | vs 4-week avg | \(superStranded) | vs last week | vs 4-week avg |\n"
        out += "|---|--:|--:|--:|--:|--:|--:|\n"
        for row in summary.headline.rows {
            var name = row.level == .system ? "**\(m(row.name))**" : "\(m(row.name)) (\(m(row.code)))"
            if row.level == .site { name = "– " + name }
            if !row.reported { name += " *(no list)*" }
            out +=
                "| \(name) | \(row.stranded.current) | \(SummaryFormat.signed(row.stranded.changeOnLastWeek)) | \(SummaryFormat.signed(row.stranded.changeOnAverage)) "
            out +=
                "| \(row.superStranded.current) | \(SummaryFormat.signed(row.superStranded.changeOnLastWeek)) | \(SummaryFormat.signed(row.superStranded.changeOnAverage)) |\n"
        }
        if let aim = summary.aim { out += "\n\(m(aim))\n" }
        if let redDays = summary.redDays { out += "\n\(m(redDays))\n" }

        let l1 = summary.level1
        out += "\n## Level 1 reviews on time\n\n"
        out +=
            "\(SummaryFormat.percent(l1.onTimePercent)): \(l1.onTime) of \(l1.due) due by \(m(l1.deadline)); \(l1.late) late; \(l1.notCompleted) not completed.\n"

        out += "\n## Escalations this week\n\n"
        let a = summary.escalations
        if a.connected {
            out += "| Level | Opened | Resolved | Open now |\n|---|--:|--:|--:|\n"
            out += "| Level 2 | \(a.level2Opened) | \(a.level2Resolved) | \(a.level2Open) |\n"
            out += "| Chief executive call | \(a.chiefExecutiveOpened) | \(a.chiefExecutiveResolved) | \(a.chiefExecutiveOpen) |\n"
        } else {
            out += "Escalation data not connected.\n"
        }

        out += "\n## Top delay reasons by responsible agency\n\n"
        if summary.delayReasons.isEmpty { out += "No primary delay reasons recorded in this week's Level 1 reviews.\n" }
        for group in summary.delayReasons {
            out += "- **\(m(group.agencyLabel))** (\(group.total)): "
            out += group.reasons.map { "\(m($0.label)) \($0.count)" }.joined(separator: "; ") + "\n"
        }
        if let themes = summary.preventionThemes { out += "\n\(m(themes))\n" }

        out += "\n## 12-week trend\n\n| Week | \(stranded) | \(superStranded) |\n|---|--:|--:|\n"
        for point in summary.trend {
            out +=
                point.reported
                ? "| \(point.week.monday.uk) | \(point.stranded) | \(point.superStranded) |\n"
                : "| \(point.week.monday.uk) | – | – |\n"
        }

        out += "\n## Cases referred to this call (\(summary.referredCases.count))\n\n"
        if summary.referredCases.isEmpty {
            out += a.connected ? "No cases referred this week.\n" : "Escalation data not connected: referred cases are not included.\n"
        }
        for c in summary.referredCases {
            out += "### \(m(c.caseReference)) · \(m(c.site)), \(m(c.ward)) · \(c.lengthOfStay) days · age \(m(c.ageBand))\n\n"
            out += "- Main barrier: \(m(c.mainBarrier)) (\(m(c.agency)))\n"
            out += "- Actions tried: \(c.actionsTried.isEmpty ? "none recorded" : c.actionsTried.map(m).joined(separator: "; "))\n"
            if let line = c.redDaysLine { out += "- \(line)\n" }
            out += "- The ask: \(m(c.ask))\n\n"
        }
        out += "\nNo patient names or NHS numbers appear in this summary.\n"
        return out
    }
}

/// The summary as JSON: sorted keys and ISO dates, so the same summary
/// always gives the same bytes (what was frozen can be compared).
public enum SummaryJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static func encode(_ summary: EscalationSummary) throws -> Data {
        try encoder().encode(summary)
    }

    public static func decode(_ data: Data) throws -> EscalationSummary {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(EscalationSummary.self, from: data)
    }
}
