import Foundation

/// A whole plan file (`Schema/plan/*.json`, format described in
/// `Schema/plan/README.md`): the plan, its key to initials, the priorities
/// with their actions, and the evaluation metrics.
public struct PlanDocument: Hashable, Sendable, Codable {
    /// The file format versions this code reads.
    public static let supportedFormatVersions: ClosedRange<Int> = 1...1

    public var formatVersion: Int
    public var plan: Plan
    public var people: [Person]
    public var priorities: [Priority]
    public var evaluationMetrics: [PlanEvaluationMetric]

    public init(
        formatVersion: Int = 1,
        plan: Plan,
        people: [Person],
        priorities: [Priority],
        evaluationMetrics: [PlanEvaluationMetric] = []
    ) {
        self.formatVersion = formatVersion
        self.plan = plan
        self.people = people
        self.priorities = priorities
        self.evaluationMetrics = evaluationMetrics
    }

    // MARK: - Decoding

    /// Reads a plan file. The error names the field at fault by its path,
    /// with the codes of the enclosing priority and action, e.g.
    /// `priorities[7] (H).actions[1] (H2).status: unknown action status "done"; expected one of …`.
    /// Decoding checks the shape of the file; call `validate()` for the
    /// cross-references (owners in the key, unique codes, …).
    public static func decode(from data: Data) throws(PlanDocumentError) -> PlanDocument {
        let document: PlanDocument
        do {
            document = try JSONDecoder().decode(PlanDocument.self, from: data)
        } catch let error as DecodingError {
            throw PlanDocumentError(error, data: data)
        } catch {
            throw PlanDocumentError(path: nil, message: "could not read the plan file: \(error)")
        }
        guard supportedFormatVersions.contains(document.formatVersion) else {
            throw PlanDocumentError(
                path: "formatVersion",
                message:
                    "format version \(document.formatVersion) is not supported; this build reads \(supportedFormatVersions.lowerBound)–\(supportedFormatVersions.upperBound)"
            )
        }
        return document
    }

    /// The file's JSON, pretty-printed with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    // MARK: - Lookups

    /// Every key action, in plan order.
    public var allActions: [KeyAction] { priorities.flatMap(\.actions) }

    /// Every sub-action, in plan order.
    public var allSubActions: [SubAction] { allActions.flatMap(\.subActions) }

    /// Every task outstanding at closure, in plan order.
    public var allOutstandingTasks: [OutstandingTask] { priorities.flatMap(\.outstanding) }

    public func person(initials: String) -> Person? {
        people.first { $0.initials == initials }
    }

    public func priority(_ letter: String) -> Priority? {
        priorities.first { $0.letter == letter }
    }

    public func action(_ code: String) -> KeyAction? {
        for priority in priorities {
            if let action = priority.actions.first(where: { $0.code == code }) { return action }
        }
        return nil
    }

    public func priorities(in category: PriorityCategory) -> [Priority] {
        priorities.filter { $0.category == category }
    }

    /// The outstanding tasks that continue a key action.
    public func outstandingTasks(continuing code: String) -> [OutstandingTask] {
        allOutstandingTasks.filter { $0.actions.contains(code) }
    }

    /// The metrics that evaluate a key action.
    public func metrics(evaluating code: String) -> [PlanEvaluationMetric] {
        evaluationMetrics.filter { $0.actions.contains(code) }
    }

    /// A readable name: "Bruno Holthof (BH)" for a person in the key, the text
    /// itself otherwise.
    public func displayName(of owner: Owner) -> String {
        if let initials = owner.initials, let person = person(initials: initials) {
            return "\(person.name) (\(initials))"
        }
        return owner.text
    }

    /// The RAG rating of every key action on `today`, by code.
    public func ragRatings(on today: CalendarDate, policy: RAGPolicy) -> [String: RAGAssessment] {
        var result: [String: RAGAssessment] = [:]
        for action in allActions { result[action.code] = action.rag(on: today, policy: policy) }
        return result
    }

    // MARK: - Editing

    /// Appends a progress note to a key action (see `KeyAction.record(_:)`).
    public mutating func recordProgress(_ note: ProgressNote, on code: String) throws(ProgressNoteError) {
        for p in priorities.indices {
            if let a = priorities[p].actions.firstIndex(where: { $0.code == code }) {
                try priorities[p].actions[a].record(note)
                return
            }
        }
        throw .unknownAction(code: code)
    }

    /// Sets a key action's status.
    public mutating func setStatus(_ status: ActionStatus, on code: String) throws(ProgressNoteError) {
        for p in priorities.indices {
            if let a = priorities[p].actions.firstIndex(where: { $0.code == code }) {
                priorities[p].actions[a].status = status
                return
            }
        }
        throw .unknownAction(code: code)
    }

    // MARK: - Validation

    /// Checks the document's internal consistency and returns every problem
    /// found (empty when consistent):
    ///
    /// - people: initials unique and of the initials form (1–4 letters, first
    ///   capital); names present;
    /// - priorities: letters unique, one capital letter each, in order;
    /// - key actions: codes unique, each the priority's letter followed by
    ///   1, 2, 3, … in order;
    /// - sub-actions: numerals i, ii, iii, … in order;
    /// - owners: every initials owner (accountable, responsible, outstanding)
    ///   is in the people key; no blank free-text owner;
    /// - due dates: text containing a digit must name a date the parser reads;
    /// - progress: text present, dated notes in date order;
    /// - status: a closed plan leaves no action not started or in progress; a
    ///   handed-over action is continued by an outstanding task, and an
    ///   outstanding task's actions exist in its priority and are handed over
    ///   or outstanding at closure;
    /// - metrics: ids unique, action codes exist;
    /// - plan: duration positive; `closedOn` only when closed, not before the start.
    public func validate() -> [PlanProblem] {
        var problems: [PlanProblem] = []
        func problem(_ path: String, _ message: String) { problems.append(PlanProblem(path: path, message: message)) }

        // Plan
        if plan.durationMonths <= 0 { problem("plan.durationMonths", "must be a positive number of months") }
        if let closedOn = plan.closedOn {
            if plan.status != .closed { problem("plan.closedOn", "is set but the plan status is \"\(plan.status.rawValue)\", not \"closed\"") }
            if closedOn < plan.startDate { problem("plan.closedOn", "\(closedOn) is before the start date \(plan.startDate)") }
        }

        // People
        var initialsSeen: Set<String> = []
        for (i, person) in people.enumerated() {
            let path = "people[\(i)] (\(person.initials))"
            if !Owner.looksLikeInitials(person.initials) {
                problem(path + ".initials", "\"\(person.initials)\" is not 1–4 letters starting with a capital")
            }
            if !initialsSeen.insert(person.initials).inserted {
                problem(path + ".initials", "\"\(person.initials)\" appears more than once in the people key")
            }
            if person.name.trimmingCharacters(in: .whitespaces).isEmpty { problem(path + ".name", "is empty") }
        }

        func checkOwners(_ owners: [Owner], _ path: String) {
            for owner in owners {
                switch owner {
                case .person(let initials) where !initialsSeen.contains(initials):
                    problem(path, "\"\(initials)\" is not in the people key")
                case .body(let text) where text.isEmpty:
                    problem(path, "has an empty owner")
                default: break
                }
            }
        }
        func checkDue(_ due: DueDate?, _ path: String) {
            guard let due else { return }
            if due.deadlines.isEmpty, due.text.contains(where: { $0.isASCII && $0.isNumber }) {
                problem(path, "\"\(due.text)\" contains numbers but no date this code can read (use dd/mm/yy or a month and year)")
            }
        }
        func checkProgress(_ notes: [ProgressNote], _ path: String) {
            var latest: CalendarDate?
            for (n, note) in notes.enumerated() {
                if note.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    problem("\(path)[\(n)]", "progress note has no text")
                }
                if let date = note.date {
                    if let previous = latest, date < previous {
                        problem("\(path)[\(n)]", "dated \(date), earlier than the note before it (\(previous)); the history is in date order")
                    }
                    latest = max(latest ?? date, date)
                }
            }
        }

        // Priorities and actions
        var lettersSeen: Set<String> = []
        var codesSeen: [String: String] = [:]  // code -> priority letter
        var previousLetter: String?
        for (p, priority) in priorities.enumerated() {
            let ppath = "priorities[\(p)] (\(priority.letter))"
            let letter = priority.letter
            if letter.count != 1 || !letter.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
                problem(ppath + ".letter", "\"\(letter)\" is not a single capital letter")
            }
            if !lettersSeen.insert(letter).inserted {
                problem(ppath + ".letter", "priority \(letter) appears more than once")
            } else if let previous = previousLetter, letter < previous {
                problem(ppath + ".letter", "priority \(letter) comes after \(previous); keep priorities in letter order")
            }
            previousLetter = letter

            for (a, action) in priority.actions.enumerated() {
                let apath = "\(ppath).actions[\(a)] (\(action.code))"
                let expected = "\(letter)\(a + 1)"
                if action.code != expected {
                    problem(apath + ".code", "expected \(expected): codes are the priority letter followed by 1, 2, 3, … in order")
                }
                if let other = codesSeen[action.code] {
                    problem(apath + ".code", "\(action.code) is used more than once (also under priority \(other))")
                } else {
                    codesSeen[action.code] = letter
                }
                checkOwners(action.accountable, apath + ".accountable")
                checkOwners(action.responsible, apath + ".responsible")
                checkDue(action.due, apath + ".due")
                checkProgress(action.progress, apath + ".progress")
                if plan.status == .closed, !action.status.isSettled {
                    problem(
                        apath + ".status",
                        "is \"\(action.status.rawValue)\" but the plan is closed; use complete, outstandingAtClosure or handedOver"
                    )
                }
                for (s, sub) in action.subActions.enumerated() {
                    let spath = "\(apath).subActions[\(s)] (\(sub.numeral))"
                    let numeral = PlanDocument.romanNumeral(s + 1)
                    if sub.numeral != numeral {
                        problem(spath + ".numeral", "expected \"\(numeral)\": sub-actions are numbered i, ii, iii, … in order")
                    }
                    checkOwners(sub.accountable, spath + ".accountable")
                    checkOwners(sub.responsible, spath + ".responsible")
                    checkDue(sub.due, spath + ".due")
                    checkProgress(sub.progress, spath + ".progress")
                }
            }
        }

        // Outstanding tasks and handovers
        var continued: Set<String> = []
        for (p, priority) in priorities.enumerated() {
            for (t, task) in priority.outstanding.enumerated() {
                let tpath = "priorities[\(p)] (\(priority.letter)).outstanding[\(t)]"
                if task.owners.isEmpty { problem(tpath + ".owners", "an outstanding task needs at least one owner") }
                checkOwners(task.owners, tpath + ".owners")
                if task.governanceStream.trimmingCharacters(in: .whitespaces).isEmpty {
                    problem(tpath + ".governanceStream", "is empty: say which board or structure the task reports through")
                }
                for code in task.actions {
                    continued.insert(code)
                    guard let action = priority.actions.first(where: { $0.code == code }) else {
                        problem(tpath + ".actions", "\(code) is not a key action of priority \(priority.letter)")
                        continue
                    }
                    if action.status != .handedOver, action.status != .outstandingAtClosure {
                        problem(tpath + ".actions", "\(code) is continued by this task but its status is \"\(action.status.rawValue)\"")
                    }
                }
            }
        }
        for (p, priority) in priorities.enumerated() {
            for (a, action) in priority.actions.enumerated() where action.status == .handedOver && !continued.contains(action.code) {
                problem(
                    "priorities[\(p)] (\(priority.letter)).actions[\(a)] (\(action.code)).status",
                    "is \"handedOver\" but no outstanding task names \(action.code), so it has no new owner"
                )
            }
        }

        // Metrics
        var metricIDs: Set<String> = []
        for (m, metric) in evaluationMetrics.enumerated() {
            let mpath = "evaluationMetrics[\(m)] (\(metric.id))"
            if !metricIDs.insert(metric.id).inserted { problem(mpath + ".id", "\"\(metric.id)\" is used more than once") }
            if metric.name.trimmingCharacters(in: .whitespaces).isEmpty { problem(mpath + ".name", "is empty") }
            for code in metric.actions where codesSeen[code] == nil {
                problem(mpath + ".actions", "\(code) is not a key action in this plan")
            }
        }
        return problems
    }

    /// Lower-case roman numeral for 1…3999.
    static func romanNumeral(_ number: Int) -> String {
        let table: [(Int, String)] = [
            (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
        ]
        var rest = number
        var result = ""
        for (value, numeral) in table {
            while rest >= value {
                result += numeral
                rest -= value
            }
        }
        return result
    }
}

/// One inconsistency found by `PlanDocument.validate()`.
public struct PlanProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Where, e.g. `priorities[7] (H).actions[1] (H2).accountable`.
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Why a plan file could not be read.
public struct PlanDocumentError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Where in the file, e.g. `priorities[0] (A).actions[3] (A4).due`; nil
    /// when the file as a whole is at fault.
    public let path: String?
    public let message: String

    public init(path: String?, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        guard let path, !path.isEmpty else { return "plan file: \(message)" }
        return "plan file, \(path): \(message)"
    }

    /// Translates a decoding error into a path and a plain message, naming the
    /// enclosing priority, action, person or metric by its code where the raw
    /// JSON allows.
    init(_ error: DecodingError, data: Data) {
        let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        func render(_ path: [any CodingKey]) -> String {
            var text = ""
            var node: Any? = json
            for key in path {
                if let index = key.intValue {
                    text += "[\(index)]"
                    node = (node as? [Any]).flatMap { index < $0.count ? $0[index] : nil }
                    if let object = node as? [String: Any] {
                        for label in ["code", "letter", "initials", "id", "numeral"] {
                            if let value = object[label] as? String {
                                text += " (\(value))"
                                break
                            }
                        }
                    }
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                    node = (node as? [String: Any])?[key.stringValue]
                }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(path: render(context.codingPath + [key]), message: "required field is missing")
        case .valueNotFound(let type, let context):
            self.init(path: render(context.codingPath), message: "is null or missing, but a \(PlanDocumentError.friendly(type)) is required")
        case .typeMismatch(let type, let context):
            self.init(path: render(context.codingPath), message: "expected a \(PlanDocumentError.friendly(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(path: nil, message: "not valid JSON: \(PlanDocumentError.syntaxDetail(data) ?? context.debugDescription)")
            } else {
                self.init(path: render(context.codingPath), message: context.debugDescription)
            }
        @unknown default:
            self.init(path: nil, message: "\(error)")
        }
    }

    /// JSONSerialization's description of a syntax error, with its character
    /// offset turned into a line and column.
    private static func syntaxDetail(_ data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return nil }
            guard let range = detail.range(of: "character "),
                let offset = Int(detail[range.upperBound...].prefix(while: \.isNumber))
            else { return detail }
            var line = 1
            var column = 1
            for byte in data.prefix(offset) {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            let what = detail.components(separatedBy: " around").first ?? detail
            return "\(what) at line \(line), column \(column)"
        }
    }

    private static func friendly(_ type: Any.Type) -> String {
        if type == String.self { return "string" }
        if type == Int.self { return "whole number" }
        if type == Double.self { return "number" }
        if type == Bool.self { return "true or false" }
        let name = String(describing: type)
        if name.hasPrefix("Array<") { return "list" }
        if name.hasPrefix("Dictionary<") { return "object" }
        return name
    }
}
