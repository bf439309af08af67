import Foundation
import StrandedCore

/// The plan as files: CSV (one row per action and sub-action), JSON (the
/// plan file format, so an export can be imported elsewhere) and Markdown.
public enum PlanExports {
    public static let csvHeader = [
        "code", "level", "text", "accountable", "responsible", "due_as_written", "due_date",
        "status", "rag", "rag_reason", "latest_progress",
    ]

    /// RFC 4180 CSV with CRLF line ends; cells that a spreadsheet would run as
    /// a formula are defused (see `CSV.cell`).
    public static func csv(_ document: PlanDocument, on today: CalendarDate, policy: RAGPolicy) -> String {
        var lines = [CSV.row(csvHeader)]
        for item in PlanItems.all(in: document, on: today, policy: policy) {
            lines.append(
                CSV.row([
                    item.code, item.isSubAction ? "sub-action" : "action", item.text,
                    document.displayNames(item.accountable), document.displayNames(item.responsible),
                    item.due?.text ?? "", item.due?.date?.iso ?? "",
                    item.status.rawValue, item.rag.rating.rawValue, item.rag.explanation,
                    item.latestProgress?.summary ?? "",
                ])
            )
        }
        return lines.joined()
    }

    /// The plan file format (`Schema/plan/README.md`), pretty-printed.
    public static func json(_ document: PlanDocument) throws -> Data {
        try document.encoded()
    }

    /// The whole plan as Markdown: per priority, each action with owners, due
    /// date, status, computed RAG and its progress history.
    public static func markdown(_ document: PlanDocument, on today: CalendarDate, policy: RAGPolicy) -> String {
        let m = Markdown.inline
        var out = "# \(m(document.plan.title))\n\nOwner: \(m(document.plan.owner)). RAG as of \(today.iso).\n"
        for priority in document.priorities {
            out += "\n## \(priority.letter). \(m(priority.title))\n\n\(m(priority.priorityText))\n"
            for action in priority.actions {
                let rag = action.rag(on: today, policy: policy)
                out += "\n### \(action.code): \(m(action.text))\n\n"
                out += "- Accountable: \(m(document.displayNames(action.accountable)))\n"
                out += "- Responsible: \(m(document.displayNames(action.responsible)))\n"
                out += "- Due: \(m(action.due?.text ?? "not given"))\n"
                out += "- Status: \(action.status.label); RAG: \(rag.rating.rawValue) (\(rag.explanation))\n"
                for note in action.progress { out += "- Progress: \(m(note.summary))\n" }
                for sub in action.subActions {
                    out += "- \(sub.numeral). \(m(sub.text))"
                    if let due = sub.due { out += " (due \(m(due.text)))" }
                    out += "\n"
                    for note in sub.progress { out += "  - Progress: \(m(note.summary))\n" }
                }
            }
        }
        return out
    }
}

/// CSV cells and rows.
public enum CSV {
    /// One cell: text a spreadsheet would treat as a formula (starting with
    /// `=`, `+`, `-`, `@`, tab or carriage return) gets a leading apostrophe
    /// (OWASP's advice), then the cell is quoted per RFC 4180 when it holds a
    /// comma, quote or line break.
    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// A row ending in CRLF.
    public static func row(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }
}
