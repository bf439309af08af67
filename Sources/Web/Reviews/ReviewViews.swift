import Foundation
import Store
import StrandedCore

// What the review templates see. Mustache reads stored properties through
// Mirror, so these are plain structs of strings, booleans, optionals (nil is
// false; "" is true) and arrays, built once per request.

/// A length-of-stay badge: stranded or super stranded, by the running thresholds.
struct LoSBadge {
    let label: String
    let tone: String
    let title: String

    static func badges(_ days: Int, thresholds: StrandedThresholds) -> [LoSBadge] {
        guard let stay = LengthOfStay(days: days), let level = stay.strandedLevel(using: thresholds) else { return [] }
        return [
            LoSBadge(
                label: "\(level.days(using: thresholds))+",
                tone: level == .superStranded ? "red" : "amber",
                title: level.title(using: thresholds)
            )
        ]
    }
}

// MARK: - Ward picker

struct WardPickerPage {
    struct Site {
        let code: String
        let name: String
        let wards: [Ward]
    }
    struct Ward {
        let href: String
        let code: String
        let name: String
        let forms: Int
        let done: Int
        let discharged: Int
        let allDone: Bool
    }
    struct WeekLink {
        let href: String
        let label: String
        let current: Bool
    }
    let weekLabel: String
    let deadline: String
    let sites: [Site]
    let hasSites: Bool
    let weeks: [WeekLink]

    init(week: ReviewWeek, deadline: Date, wards: [WardWeekSummary], weeks: [ReviewWeek]) {
        weekLabel = week.longLabel
        self.deadline = DisplayFormat.instant(deadline)
        var order: [String] = []
        var bySite: [String: (name: String, wards: [Ward])] = [:]
        for ward in wards {
            if bySite[ward.siteCode] == nil {
                order.append(ward.siteCode)
                bySite[ward.siteCode] = (ward.siteName, [])
            }
            let due = ward.forms - ward.discharged
            bySite[ward.siteCode]?.wards.append(
                Ward(
                    href: "/wards/\(ward.wardID)?week=\(week.monday.iso)",
                    code: ward.wardCode,
                    name: ward.wardName ?? ward.wardCode,
                    forms: ward.forms,
                    done: ward.done,
                    discharged: ward.discharged,
                    allDone: due > 0 && ward.done >= due
                )
            )
        }
        sites = order.map { Site(code: $0, name: bySite[$0]!.name, wards: bySite[$0]!.wards) }
        hasSites = !sites.isEmpty
        var links = weeks
        if !links.contains(week) { links.insert(week, at: 0) }
        self.weeks = links.sorted(by: >).map { WeekLink(href: "/wards?week=\($0.monday.iso)", label: $0.label, current: $0 == week) }
    }
}

// MARK: - A ward's week

struct WardWeekPage {
    struct Row {
        let formID: Int64
        let formHref: String
        let patient: String
        let nhsNumber: String
        let age: String
        let los: Int
        let badges: [LoSBadge]
        let sinceReview: String
        let redDays: String
        let status: String
        let statusClass: String
        let due: Bool
        /// For a form opened after the deadline (a late list): its own due time.
        let lateListDue: String?
    }
    let wardName: String
    let siteName: String
    let weekLabel: String
    let previousHref: String
    let nextHref: String
    let printHref: String
    /// Today's board round (red and green days) for the ward.
    let boardRoundHref: String
    let deadline: String
    let timeLeft: String
    let overdue: Bool
    let rows: [Row]
    let hasRows: Bool
    let total: Int
    let done: Int
    let outstanding: Int
    let allComplete: Bool

    /// - Parameter dueOf: when each form is due (the deadline, or later for a form a late list opened).
    init(
        ward: WardInfo,
        week: ReviewWeek,
        forms: [Level1FormRecord],
        redDays: [Int64: RedDayCounts],
        deadline: Date,
        now: Date,
        thresholds: StrandedThresholds,
        dueOf: (Level1FormRecord) -> Date
    ) {
        wardName = ward.name.map { "\($0) (\(ward.code))" } ?? ward.code
        siteName = ward.siteName
        weekLabel = week.longLabel
        previousHref = "/wards/\(ward.id)?week=\(week.previous.monday.iso)"
        nextHref = "/wards/\(ward.id)?week=\(week.next.monday.iso)"
        printHref = "/wards/\(ward.id)/print?week=\(week.monday.iso)"
        boardRoundHref = "/wards/\(ward.id)/days"
        self.deadline = DisplayFormat.instant(deadline)
        // Time left runs to the earliest due time of the forms still to do:
        // a late list's forms are not overdue before their own due time.
        let nextDue = forms.filter(\.status.isDue).map(dueOf).min() ?? deadline
        let left = DisplayFormat.timeLeft(until: nextDue, now: now)
        rows = forms.map { form in
            let due = dueOf(form)
            return Row(
                formID: form.id,
                formHref: "/forms/\(form.id)",
                patient: form.patientName,
                nhsNumber: DisplayFormat.nhsNumber(form.nhsNumber),
                age: DisplayFormat.age(form),
                los: form.lengthOfStay,
                badges: LoSBadge.badges(form.lengthOfStay, thresholds: thresholds),
                sinceReview: DisplayFormat.daysSince(form.lastReviewedAt, now: now),
                redDays: RedDayText.short(redDays[form.caseID]),
                status: form.status.label,
                statusClass: DisplayFormat.statusClass(form.status),
                due: form.status.isDue,
                lateListDue: due > deadline && form.status.isDue ? "Due \(DisplayFormat.instant(due)): its list came in after the deadline" : nil
            )
        }
        hasRows = !rows.isEmpty
        total = forms.count
        done = forms.filter(\.status.isDone).count
        outstanding = rows.filter(\.due).count
        allComplete = hasRows && outstanding == 0
        timeLeft = allComplete ? "All forms done" : left.text
        overdue = !allComplete && left.overdue
    }
}

// MARK: - The form

/// Messages by form field key.
struct FieldMessages {
    private var messages: [String: [String]] = [:]

    init(_ problems: [FormProblem]) {
        for problem in problems { messages[problem.field, default: []].append(problem.message) }
    }

    func text(_ field: String) -> String? {
        messages[field].map { $0.joined(separator: " ") }
    }

    /// Messages for the reasons list as a whole and for individual reason codes.
    func reasonsText() -> String? {
        let keys = messages.keys.filter { $0 == "q1.reasons" || $0.hasPrefix("q1.reasons[") }.sorted()
        let all = keys.flatMap { messages[$0] ?? [] }
        return all.isEmpty ? nil : all.joined(separator: " ")
    }
}

struct Choice: Hashable {
    let value: String
    let label: String
    let selected: Bool
    let id: String
}

/// The editable fields of a form: used by the form page and, with what the
/// person typed, by the conflict page.
struct ReviewFieldsView {
    struct Reason: Hashable {
        let code: String
        let label: String
        let agency: String
        let checked: Bool
        let primary: Bool
        let index: Int
    }
    struct ActionRow: Hashable {
        let index: Int
        let number: Int
        let id: String
        let description: String
        let owner: String
        /// The organisation select's options, this row's agency selected.
        let agencyOptions: String
        let due: String
        let done: Bool
        let descriptionError: String?
        let ownerError: String?
        let agencyError: String?
        let dueError: String?
        let isBlank: Bool
    }

    let formAction: String
    let version: Int
    /// Who the save is recorded under: the signed-in user (shown, not typed).
    let updatedBy: String
    /// The reasons table's rows (``ReviewFormFragments/row(_:)``).
    let reasonRows: RenderedRows
    let reasonsError: String?
    let primaryError: String?
    let q1Narrative: String
    let q1NarrativeError: String?
    /// The action rows (``ReviewFormFragments/row(_:)``): the review's, then blank ones to fill in.
    let actions: RenderedRows
    let actionRows: Int
    let actionsError: String?
    let expectedDischargeDate: String
    let eddError: String?
    /// The pathway select's options, the chosen one selected.
    let pathwayOptions: String
    let pathwayError: String?
    let q3Narrative: String
    let q3NarrativeError: String?
    let themePicker: ThemePickerView
    let dayStatuses: [Choice]
    let statusError: String?
    /// The week's board-round days, set by the page that has them.
    var weekDays: WeekDaysView?
    let healthReviewer: String
    let healthError: String?
    let socialCareReviewer: String
    let socialCareError: String?
    let outcomes: [Choice]
    let outcomeError: String?
    let ask: String
    let askError: String?

    static let blankActionRows = 3

    /// A blank action row: nothing in it but its place.
    static func blankActionRow(index: Int, agencyOptions: String) -> ActionRow {
        ActionRow(
            index: index,
            number: index + 1,
            id: "",
            description: "",
            owner: "",
            agencyOptions: agencyOptions,
            due: "",
            done: false,
            descriptionError: nil,
            ownerError: nil,
            agencyError: nil,
            dueError: nil,
            isBlank: true
        )
    }

    init(
        formID: Int64,
        version: Int,
        input: ReviewFormInput,
        problems: [FormProblem],
        updatedBy: String,
        taxonomy: DelayReasonTaxonomy,
        themes: PreventionThemeTaxonomy,
        fragments: ReviewFormFragments
    ) {
        let messages = FieldMessages(problems)
        formAction = "/forms/\(formID)"
        self.version = version
        self.updatedBy = updatedBy
        var reasonRows = Self.reasonRows(taxonomy: taxonomy)
        for code in input.reasons where !taxonomy.contains(DelayReasonCode(code)) {
            reasonRows.append((code, "\(code) (not in the list of delay reasons)", ""))
        }
        let singlePrimary = input.reasons.count == 1 && input.primary.isEmpty ? input.reasons[0] : input.primary
        self.reasonRows = RenderedRows(reasonRows.enumerated().map { index, row in
            fragments.row(Reason(
                code: row.code,
                label: row.label,
                agency: row.agency,
                checked: input.reasons.contains(row.code),
                primary: row.code == singlePrimary,
                index: index
            ))
        })
        reasonsError = messages.reasonsText()
        primaryError = messages.text("q1.primary")
        q1Narrative = input.q1Narrative
        q1NarrativeError = messages.text("q1.narrative")

        var rows = input.actions
        rows += Array(repeating: ReviewFormInput.Action(), count: Self.blankActionRows)
        actions = RenderedRows(rows.enumerated().map { index, action in
            let key = "q2.actions[\(index)]"
            return fragments.row(ActionRow(
                index: index,
                number: index + 1,
                id: action.id,
                description: action.description,
                owner: action.owner,
                agencyOptions: fragments.options(Self.agencyChoices(selected: action.agency)),
                due: action.due,
                done: action.done,
                descriptionError: messages.text("\(key).description"),
                ownerError: messages.text("\(key).owner"),
                agencyError: messages.text("\(key).agency"),
                dueError: messages.text("\(key).dueDate"),
                isBlank: index >= input.actions.count
            ))
        })
        actionRows = rows.count
        actionsError = messages.text("q2.actions")
        expectedDischargeDate = input.expectedDischargeDate
        eddError = messages.text("q2.expectedDischargeDate")
        pathwayOptions = fragments.options(Self.pathwayChoices(selected: input.pathway))
        pathwayError = messages.text("q2.pathway")
        q3Narrative = input.q3Narrative
        q3NarrativeError = messages.text("q3.narrative")
        themePicker = ThemePickerView(input: input, messages: messages, taxonomy: themes, fragments: fragments)
        dayStatuses = DayStatus.allCases.map {
            Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.status, id: "day-status-\($0.rawValue)")
        }
        statusError = messages.text("status")
        healthReviewer = input.healthReviewer
        healthError = messages.text("reviewers.health")
        socialCareReviewer = input.socialCareReviewer
        socialCareError = messages.text("reviewers.socialCare")
        outcomes = [
            Choice(value: "managed-at-ward", label: "Managed at ward level", selected: input.outcome == "managed-at-ward", id: "outcome-managed"),
            Choice(
                value: "escalate-to-level2",
                label: "Escalate to Level 2",
                selected: input.outcome == "escalate-to-level2",
                id: "outcome-escalate"
            ),
        ]
        outcomeError = messages.text("outcome")
        ask = input.ask
        askError = messages.text("outcome.ask")
    }

    /// The configured delay reasons, in the table's order.
    static func reasonRows(taxonomy: DelayReasonTaxonomy) -> [(code: String, label: String, agency: String)] {
        taxonomy.reasons.map { (code: $0.code.rawValue, label: $0.label, agency: $0.agency.label) }
    }

    static func agencyChoices(selected: String) -> [Choice] {
        [Choice(value: "", label: "Choose…", selected: selected.isEmpty, id: "")]
            + Agency.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected, id: "") }
    }

    static func pathwayChoices(selected: String) -> [Choice] {
        [Choice(value: "", label: "Choose…", selected: selected.isEmpty, id: "")]
            + DischargePathway.allCases.map { Choice(value: "\($0.rawValue)", label: $0.label, selected: "\($0.rawValue)" == selected, id: "") }
    }
}

/// The patient and week heading of a form.
struct FormHeading {
    let formID: Int64
    /// `C-000157`: how Level 2 and the chief executive call name this case.
    let caseReference: String
    let patient: String
    let nhsNumber: String
    let age: String
    let los: Int
    let badges: [LoSBadge]
    let admitted: String
    let ward: String
    let wardHref: String
    let site: String
    let weekLabel: String
    let deadline: String
    let status: String
    let statusClass: String
    let discharged: Bool
    let lastSaved: String?
    let sinceReview: String

    init(_ form: Level1FormRecord, deadline: Date, now: Date, thresholds: StrandedThresholds) {
        formID = form.id
        caseReference = CaseReference(caseID: form.caseID).description
        patient = form.patientName
        nhsNumber = DisplayFormat.nhsNumber(form.nhsNumber)
        age = DisplayFormat.age(form)
        los = form.lengthOfStay
        badges = LoSBadge.badges(form.lengthOfStay, thresholds: thresholds)
        admitted = DisplayFormat.date(form.admissionDate)
        ward = form.wardName.map { "\($0) (\(form.wardCode))" } ?? form.wardCode
        wardHref = "/wards/\(form.wardID)?week=\(form.week.monday.iso)"
        site = form.siteName
        weekLabel = form.week.longLabel
        self.deadline = DisplayFormat.instant(deadline)
        status = form.status.label
        statusClass = DisplayFormat.statusClass(form.status)
        discharged = form.discharged
        lastSaved =
            form.version > 1
            ? "Version \(form.version), saved \(DisplayFormat.instant(form.updatedAt))\(form.updatedBy.map { " by \($0)" } ?? "")" : nil
        sinceReview = DisplayFormat.daysSince(form.lastReviewedAt, now: now)
    }
}

struct ErrorLink {
    let href: String
    let message: String
}

struct FormPage {
    let heading: FormHeading
    let fields: ReviewFieldsView
    let notice: String?
    let errors: [ErrorLink]
    let hasErrors: Bool
    let nextHref: String?

    init(
        form: Level1FormRecord,
        input: ReviewFormInput,
        version: Int,
        problems: [FormProblem],
        updatedBy: String,
        notice: String?,
        nextHref: String?,
        deadline: Date,
        now: Date,
        policy: StrandedPolicy,
        fragments: ReviewFormFragments,
        weekDays: WeekDaysView
    ) {
        let taxonomy = policy.delayReasons
        heading = FormHeading(form, deadline: deadline, now: now, thresholds: policy.thresholds)
        var fields = ReviewFieldsView(
            formID: form.id,
            version: version,
            input: input,
            problems: problems,
            updatedBy: updatedBy,
            taxonomy: taxonomy,
            themes: policy.preventionThemes,
            fragments: fragments
        )
        fields.weekDays = weekDays
        self.fields = fields
        self.notice = notice
        errors = problems.map {
            ErrorLink(
                href: "#"
                    + DisplayFormat.elementID(
                        $0.field == "q1.primary" || $0.field.hasPrefix("q1.reasons")
                            ? "q1.reasons" : $0.field.hasPrefix("q3.themes") ? "q3.themes" : $0.field
                    ),
                message: $0.message
            )
        }
        hasErrors = !errors.isEmpty
        self.nextHref = nextHref
    }
}

// MARK: - Read-only review (conflict page, print)

struct ReviewReadView {
    struct Reason {
        let label: String
        let primary: Bool
    }
    struct Action {
        let number: Int
        let description: String
        let owner: String
        let agency: String
        let due: String
        let done: Bool
    }
    let reasons: [Reason]
    let q1Narrative: String
    let actions: [Action]
    let expectedDischargeDate: String
    let pathway: String
    let q3Narrative: String
    let themes: [String]
    let hasThemes: Bool
    let learningTheme: String
    let dayStatus: String
    let healthReviewer: String
    let socialCareReviewer: String
    let outcome: String
    let ask: String?
    // The print view ticks the boxes that were chosen, so a printed form shows every answer.
    let isRedDay: Bool
    let isGreenDay: Bool
    let isManagedAtWard: Bool
    let isEscalated: Bool

    init(_ review: Level1Review, taxonomy: DelayReasonTaxonomy, themes themeTaxonomy: PreventionThemeTaxonomy) {
        let primary = review.q1.primaryReason
        reasons = review.q1.reasons.map {
            Reason(label: taxonomy.reason($0.code)?.label ?? $0.code.rawValue, primary: $0.code == primary)
        }
        q1Narrative = review.q1.narrative
        actions = review.q2.actions.enumerated().map { index, action in
            Action(
                number: index + 1,
                description: action.description,
                owner: action.owner,
                agency: action.agency?.label ?? "",
                due: action.dueDate.map(DisplayFormat.date) ?? "",
                done: action.isDone
            )
        }
        expectedDischargeDate = review.q2.expectedDischargeDate.map(DisplayFormat.date) ?? ""
        pathway = review.q2.dischargePathway?.label ?? review.q2.pathway.map { "\($0)" } ?? ""
        q3Narrative = review.q3.narrative
        themes = review.q3.themes.map(themeTaxonomy.label)
        hasThemes = !themes.isEmpty
        learningTheme = review.q3.learningTheme ?? ""
        dayStatus = review.status?.label ?? ""
        isRedDay = review.status == .red
        isGreenDay = review.status == .green
        healthReviewer = review.reviewers.health
        socialCareReviewer = review.reviewers.socialCare
        switch review.outcome {
        case nil:
            outcome = ""
            ask = nil
        case .managedAtWard?:
            outcome = "Managed at ward level"
            ask = nil
        case let .escalateToLevel2(text)?:
            outcome = "Escalate to Level 2"
            ask = text
        }
        isManagedAtWard = review.outcome == .managedAtWard
        if case .escalateToLevel2? = review.outcome { isEscalated = true } else { isEscalated = false }
    }
}

struct ConflictPage {
    let heading: FormHeading
    let fields: ReviewFieldsView
    let saved: ReviewReadView
    let savedVersion: Int
    let savedBy: String
    let yourVersion: Int

    init(
        current: Level1FormRecord,
        input: ReviewFormInput,
        submittedVersion: Int,
        updatedBy: String,
        deadline: Date,
        now: Date,
        policy: StrandedPolicy,
        fragments: ReviewFormFragments
    ) {
        let taxonomy = policy.delayReasons
        heading = FormHeading(current, deadline: deadline, now: now, thresholds: policy.thresholds)
        // Editing continues from the saved version: saving this form replaces it.
        fields = ReviewFieldsView(
            formID: current.id,
            version: current.version,
            input: input,
            problems: [],
            updatedBy: updatedBy,
            taxonomy: taxonomy,
            themes: policy.preventionThemes,
            fragments: fragments
        )
        saved = ReviewReadView(current.review, taxonomy: taxonomy, themes: policy.preventionThemes)
        savedVersion = current.version
        savedBy = "\(current.updatedBy ?? "someone") at \(DisplayFormat.instant(current.updatedAt))"
        yourVersion = submittedVersion
    }
}

// MARK: - Print

struct PrintPage {
    struct Form {
        let heading: FormHeading
        let review: ReviewReadView
        let reasonBoxes: [ReasonBox]
        let blankActions: [Int]
        /// The board rounds' red days, which replace a single red/green choice.
        let redDays: String
    }
    struct ReasonBox {
        let label: String
        let ticked: Bool
        let primary: Bool
    }
    let wardName: String
    let siteName: String
    let weekLabel: String
    let backHref: String
    let forms: [Form]
    let hasForms: Bool

    init(
        ward: WardInfo,
        week: ReviewWeek,
        forms: [Level1FormRecord],
        redDays: [Int64: RedDayCounts],
        now: Date,
        policy: StrandedPolicy
    ) {
        let taxonomy = policy.delayReasons
        wardName = ward.name.map { "\($0) (\(ward.code))" } ?? ward.code
        siteName = ward.siteName
        weekLabel = week.longLabel
        backHref = "/wards/\(ward.id)?week=\(week.monday.iso)"
        self.forms = forms.map { form in
            let codes = Set(form.review.q1.reasons.map(\.code))
            let primary = form.review.q1.primaryReason
            return Form(
                heading: FormHeading(
                    form,
                    deadline: policy.timetable.formDue(week: week, openedAt: form.openedAt),
                    now: now,
                    thresholds: policy.thresholds
                ),
                review: ReviewReadView(form.review, taxonomy: taxonomy, themes: policy.preventionThemes),
                reasonBoxes: taxonomy.reasons.map { ReasonBox(label: $0.label, ticked: codes.contains($0.code), primary: $0.code == primary) },
                blankActions: Array(form.review.q2.actions.count + 1...form.review.q2.actions.count + 2),
                redDays: redDays[form.caseID]?.line ?? "no board-round days recorded yet"
            )
        }
        hasForms = !self.forms.isEmpty
    }
}
