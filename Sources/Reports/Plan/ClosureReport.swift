import StrandedCore

/// The closure report of a plan, generated from its data with the structure
/// of the Oxfordshire closure report (seed 000, section 2): per workstream,
/// what the CQC found, its recommendation, the key actions delivered, and the
/// tasks outstanding with owner, rationale and future reporting. The same
/// value feeds the HTML page and the Markdown text.
public struct ClosureReport: Sendable, Hashable {
    public struct Task: Sendable, Hashable {
        public let task: String
        /// Readable names ("Bruno Holthof (BH)" for people in the key, else as written).
        public let owners: [String]
        public let rationale: String
        /// Nil when the rationale covers the reporting too.
        public let futureReporting: String?
        public let governanceStream: String
        /// The key actions the task continues.
        public let actions: [String]
    }

    public struct Delivered: Sendable, Hashable {
        public let text: String
        public let details: [String]
    }

    public struct Workstream: Sendable, Hashable {
        public let letter: String
        public let title: String
        /// "Workstream A - Vision, Governance & Strategy", as seed 000 heads it.
        public let heading: String
        public let finding: String
        public let recommendation: String
        public let delivered: [Delivered]
        public let outstanding: [Task]
        public var hasOutstanding: Bool { !outstanding.isEmpty }
    }

    public let title: String
    public let owner: String
    public let status: String
    public let keyActionCount: Int
    public let workstreams: [Workstream]
    public var outstandingCount: Int { workstreams.reduce(0) { $0 + $1.outstanding.count } }

    public init(_ document: PlanDocument) {
        title = document.plan.title
        owner = document.plan.owner
        status = document.plan.status == .closed ? "Closed" : "Active"
        keyActionCount = document.allActions.count
        workstreams = document.priorities.map { priority in
            Workstream(
                letter: priority.letter,
                title: priority.title,
                heading: "Workstream \(priority.letter) - \(priority.title)",
                finding: priority.finding,
                recommendation: priority.recommendation,
                delivered: priority.delivered.map { Delivered(text: $0.text, details: $0.details) },
                outstanding: priority.outstanding.map { task in
                    Task(
                        task: task.task,
                        owners: task.owners.map(document.displayName(of:)),
                        rationale: task.rationale,
                        futureReporting: task.futureReporting,
                        governanceStream: task.governanceStream,
                        actions: task.actions
                    )
                }
            )
        }
    }

    /// The report as Markdown, headed and ordered as seed 000.
    public var markdown: String {
        var out = "# Closure report: \(Markdown.inline(title))\n\n"
        out += "Owner: \(Markdown.inline(owner)). Status: \(status). \(keyActionCount) key actions; "
        out += outstandingCount == 0 ? "no tasks outstanding.\n" : "\(outstandingCount) task(s) outstanding, handed over below.\n"
        for stream in workstreams {
            out += "\n## \(Markdown.inline(stream.heading))\n\n\(Markdown.inline(stream.finding))\n\n"
            out += "### CQC Recommendation\n\n> “\(Markdown.inline(stream.recommendation))”\n\n"
            out += "### Key actions delivered in response to recommendation\n\n"
            if stream.delivered.isEmpty { out += "None recorded.\n" }
            for item in stream.delivered {
                out += "- \(Markdown.inline(item.text))\n"
                for detail in item.details { out += "  - \(Markdown.inline(detail))\n" }
            }
            out += "\n### Task(s) outstanding\n\n"
            if stream.outstanding.isEmpty { out += "No tasks outstanding.\n" }
            for task in stream.outstanding {
                out += "#### Task not yet completed: \(Markdown.inline(task.task))\n\n"
                out += "- **Owner:** \(task.owners.map(Markdown.inline).joined(separator: "; "))\n"
                out += "- **Rationale:** \(Markdown.inline(task.rationale))\n"
                if let future = task.futureReporting { out += "- **Future reporting:** \(Markdown.inline(future))\n" }
                out += "- **Governance stream:** \(Markdown.inline(task.governanceStream))\n"
                if !task.actions.isEmpty { out += "- **Continues key actions:** \(task.actions.joined(separator: ", "))\n" }
                out += "\n"
            }
        }
        return out
    }
}

/// Markdown escaping for text from the plan, so a `*` or `#` in a sentence
/// stays a character and a line break cannot start a new block.
enum Markdown {
    static func inline(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|":
                out.append("\\")
                out.append(character)
            case "\n", "\r", "\r\n":
                out.append(" ")
            default:
                out.append(character)
            }
        }
        return out
    }
}
