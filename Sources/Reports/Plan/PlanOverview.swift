import StrandedCore

/// RAG counts of the key actions, per priority and in total, on a given day.
public struct PlanOverview: Sendable, Hashable {
    public struct Counts: Sendable, Hashable {
        public var red = 0, amber = 0, green = 0, complete = 0
        public var total: Int { red + amber + green + complete }

        mutating func add(_ rating: RAGRating) {
            switch rating {
            case .red: red += 1
            case .amber: amber += 1
            case .green: green += 1
            case .complete: complete += 1
            }
        }
    }

    public struct Row: Sendable, Hashable {
        public let letter: String
        public let title: String
        public let category: String
        public let counts: Counts
    }

    public let today: CalendarDate
    public let rows: [Row]
    public let totals: Counts

    public init(_ document: PlanDocument, on today: CalendarDate, policy: RAGPolicy) {
        self.today = today
        var totals = Counts()
        rows = document.priorities.map { priority in
            var counts = Counts()
            for action in priority.actions { counts.add(action.rag(on: today, policy: policy).rating) }
            totals.red += counts.red
            totals.amber += counts.amber
            totals.green += counts.green
            totals.complete += counts.complete
            return Row(letter: priority.letter, title: priority.title, category: priority.category.rawValue, counts: counts)
        }
        self.totals = totals
    }
}
