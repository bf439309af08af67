import Foundation
import StrandedCore
import Testing

/// The seed plan file, found from this test file: the repository root is
/// three levels up (Tests/StrandedCoreTests/<file>).
enum PlanFixture {
    static let url: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // StrandedCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Schema/plan/oxfordshire-cqc-2018.json")

    static func data() throws -> Data { try Data(contentsOf: url) }

    static func load() throws -> PlanDocument { try PlanDocument.decode(from: data()) }

    /// The seed file's text with one exact substring replaced (must occur).
    static func edited(_ target: String, _ replacement: String) throws -> Data {
        let text = String(decoding: try data(), as: UTF8.self)
        #expect(text.contains(target), "fixture edit target not found: \(target)")
        return Data(text.replacingOccurrences(of: target, with: replacement).utf8)
    }
}

private func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

@Suite("Plan seed file: counts")
struct PlanSeedCountTests {
    @Test func loadsAndCountsMatchTheReadme() throws {
        let doc = try PlanFixture.load()
        #expect(doc.formatVersion == 1)
        #expect(doc.priorities.count == 15)
        #expect(doc.priorities.map(\.letter).joined() == "ABCDEFGHIJKLMNO")
        #expect(doc.allActions.count == 46)
        #expect(doc.allSubActions.count == 34)
        #expect(doc.people.count == 13)
        #expect(doc.allOutstandingTasks.count == 6)
        #expect(doc.priorities.map(\.delivered.count).reduce(0, +) == 39)
        #expect(doc.evaluationMetrics.count == 14)
        #expect(doc.allActions.map(\.progress.count).reduce(0, +) == 54)
        #expect(doc.allSubActions.map(\.progress.count).reduce(0, +) == 12)
    }

    @Test func subActionsPerAction() throws {
        let doc = try PlanFixture.load()
        let counts = Dictionary(
            uniqueKeysWithValues: doc.allActions.filter { !$0.subActions.isEmpty }
                .map { ($0.code, $0.subActions.count) }
        )
        #expect(counts == ["A4": 2, "C1": 4, "D1": 3, "E3": 7, "F3": 3, "G2": 7, "H2": 3, "I1": 2, "L2": 2, "N3": 1])
    }

    @Test func actionsPerPriority() throws {
        let doc = try PlanFixture.load()
        let counts = doc.priorities.map { "\($0.letter)\($0.actions.count)" }.joined(separator: " ")
        #expect(counts == "A5 B4 C1 D1 E3 F3 G7 H4 I5 J2 K2 L2 M1 N3 O3")
    }

    @Test func categoriesFollowTheCQCGrouping() throws {
        let doc = try PlanFixture.load()
        #expect(doc.priorities(in: .strategic).map(\.letter) == ["A", "B", "C", "D", "E", "F", "G"])
        #expect(doc.priorities(in: .operational).map(\.letter) == ["H", "I", "J", "K", "L", "M"])
        #expect(doc.priorities(in: .engagement).map(\.letter) == ["N", "O"])
    }

    @Test func outstandingTasksSitUnderBCEFHK() throws {
        let doc = try PlanFixture.load()
        #expect(doc.priorities.filter { !$0.outstanding.isEmpty }.map(\.letter) == ["B", "C", "E", "F", "H", "K"])
        let handedOver = doc.allActions.filter { $0.status == .handedOver }.map(\.code)
        #expect(handedOver == ["B4", "C1", "E3", "F3", "H2", "H3", "K1", "K2"])
        #expect(doc.allActions.filter { $0.status == .complete }.count == 38)
    }

    @Test func validateFindsNoProblemsInTheSeed() throws {
        let problems = try PlanFixture.load().validate()
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func encodesAndDecodesToTheSameDocument() throws {
        let doc = try PlanFixture.load()
        let again = try PlanDocument.decode(from: doc.encoded())
        #expect(again == doc)
    }
}

@Suite("Plan seed file: exact values")
struct PlanSeedValueTests {
    @Test func planHeader() throws {
        let plan = try PlanFixture.load().plan
        #expect(plan.owner == "Oxfordshire Health and Wellbeing Board")
        #expect(plan.startDate == date("2018-03-01"))
        #expect(plan.startDateText == "March 2018")
        #expect(plan.durationMonths == 18)
        #expect(plan.status == .closed)
        #expect(plan.closedOn == nil)
        #expect(plan.plannedEndDate == date("2019-08-31"))
    }

    @Test func a4DueDate() throws {
        let due = try #require(try PlanFixture.load().action("A4")?.due)
        #expect(due.text == "22/03/18 (draft for HWB) May 2018 (final)")
        #expect(
            due.deadlines == [
                .init(date: date("2018-03-22"), precision: .day, label: "draft for HWB"),
                .init(date: date("2018-05-31"), precision: .month, label: "final"),
            ]
        )
        #expect(due.date == date("2018-05-31"))
    }

    @Test func h2OwnersAndUndatedDue() throws {
        let h2 = try #require(try PlanFixture.load().action("H2"))
        #expect(h2.accountable == [.person(initials: "BH")])
        #expect(h2.responsible == [.body("System Flow Executive")])
        #expect(h2.due?.text == "In-line with frailty pathway")
        #expect(h2.due?.date == nil)
        #expect(h2.subActions.map(\.numeral) == ["i", "ii", "iii"])
    }

    @Test func d1E3H1Dues() throws {
        let doc = try PlanFixture.load()
        let d1 = try #require(doc.action("D1")?.due)
        #expect(d1.text == "AEDB April 18")
        #expect(d1.deadlines == [.init(date: date("2018-04-30"), precision: .month)])
        let e3 = try #require(doc.action("E3")?.due)
        #expect(e3.text == "30/4/18 (NHSE ops planning)")
        #expect(e3.deadlines == [.init(date: date("2018-04-30"), precision: .day, label: "NHSE ops planning")])
        let h1 = try #require(doc.action("H1")?.due)
        #expect(h1.text == "As per AEDB implementation plan")
        #expect(h1.date == nil)
        #expect(doc.action("N3")?.due?.date == date("2018-11-15"))
    }

    @Test func ocrArtefactsAreFixed() throws {
        let doc = try PlanFixture.load()
        let g2 = try #require(doc.action("G2"))
        let iii = try #require(g2.subAction("iii"))
        #expect(iii.responsible == [.person(initials: "TB")])
        #expect(iii.due?.date == date("2019-03-31"))
        #expect(g2.accountable(for: iii) == [.person(initials: "IH"), .person(initials: "KC")])

        let i5 = try #require(doc.action("I5"))
        #expect(i5.text == "Meet with district council to discuss key workers housing data, key findings and agree next steps.")
        #expect(i5.responsible == [.person(initials: "KT")])
        #expect(i5.accountable.isEmpty)
        #expect(i5.due?.text == "August 2018")

        let ih = try #require(doc.person(initials: "IH"))
        #expect(ih.name == "Cllr Ian Hudspeth")
        #expect(ih.organisation == "Oxfordshire County Council (OCC)")
        #expect(doc.person(initials: "BH")?.name == "Bruno Holthof")
        #expect(doc.displayName(of: .person(initials: "TB")) == "Tim Boylin (TB)")
        #expect(doc.priority("L")?.priorityText.contains("guidance") == true)

        // No Cyrillic letters anywhere in the file.
        let text = String(decoding: try PlanFixture.data(), as: UTF8.self)
        #expect(!text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) })
    }

    @Test func outstandingTaskForH() throws {
        let h = try #require(try PlanFixture.load().priority("H"))
        let task = try #require(h.outstanding.first)
        #expect(h.outstanding.count == 1)
        #expect(task.task == "Undertake a comprehensive review of pathways and evaluate discharge to assess processes")
        #expect(
            task.owners == [
                .body("Stephen Chandler - Corporate Director of Adult Services – Oxfordshire County Council"),
                .body("Sam Foster – Chief Nursing Officer – Oxford University Hospitals"),
            ]
        )
        #expect(
            task.futureReporting
                == "There is a clear system wide set of arrangements for identifying and reporting this work which sits with the Accident & Emergency Delivery Board and Urgent Care Delivery Group"
        )
        #expect(task.governanceStream == "Accident & Emergency Delivery Board and Urgent Care Delivery Group")
        #expect(task.actions == ["H2", "H3"])
    }

    @Test func outstandingTaskForK() throws {
        let doc = try PlanFixture.load()
        let task = try #require(doc.priority("K")?.outstanding.first)
        #expect(task.task == "Produce outline model of future support for carers")
        #expect(
            task.owners == [
                .body(
                    "Rachel Pirie – Commissioning & Markets Lead for Older Adults – Oxfordshire County Council & Oxfordshire Clinical Commissioning Group"
                )
            ]
        )
        #expect(task.futureReporting == nil)
        #expect(task.rationale.hasPrefix("This is part of the ongoing review of support to Carers"))
        #expect(task.reportingArrangement == task.rationale)
        #expect(doc.outstandingTasks(continuing: "K2") == [task])
    }

    @Test func findingsAndRecommendationsComeFromTheClosureReport() throws {
        let doc = try PlanFixture.load()
        let m = try #require(doc.priority("M"))
        #expect(m.title == "Trusted Assessor")
        #expect(m.recommendation == "Continue to embed the trusted assessor model.")
        #expect(m.delivered.first?.details.count == 4)
        #expect(doc.priority("A")?.outstanding.isEmpty == true)
        #expect(doc.priority("H")?.delivered.map(\.text).contains("Delivered revised Stranded Patient processes and pathway") == true)
    }

    @Test func strandedMetricsEvaluateWorkstreamH() throws {
        let doc = try PlanFixture.load()
        let stranded = try #require(doc.evaluationMetrics.first { $0.id == "stranded-patients-7" })
        let superStranded = try #require(doc.evaluationMetrics.first { $0.id == "super-stranded-patients-21" })
        for metric in [stranded, superStranded] {
            #expect(metric.direction == .lowerIsBetter)
            #expect(metric.actions.contains("H1") && metric.actions.contains("H2"))
            #expect(metric.isImprovement(from: 120, to: 95))
            #expect(!metric.isImprovement(from: 95, to: 95))
        }
        let ids = Set(doc.metrics(evaluating: "H2").map(\.id))
        #expect(ids.isSuperset(of: ["stranded-patients-7", "super-stranded-patients-21", "delayed-transfers-of-care-18"]))
        let cqcSix = [
            "ae-attendances-65", "emergency-admissions-65", "emergency-admissions-care-homes-65",
            "length-of-stay-65", "delayed-transfers-of-care-18", "readmissions-30-days-65",
        ]
        #expect(Set(doc.evaluationMetrics.map(\.id)).isSuperset(of: cqcSix))
        let movedOn = try #require(doc.evaluationMetrics.first { $0.id == "acute-admissions-moved-on-within-7-days" })
        #expect(movedOn.direction == .higherIsBetter)
        #expect(movedOn.target == "85%-90%")
    }

    @Test func closedSeedPlanRatesEverythingComplete() throws {
        let ratings = try PlanFixture.load().ragRatings(on: date("2019-09-30"), policy: .standard)
        #expect(ratings.count == 46)
        #expect(ratings.values.allSatisfy { $0.rating == .complete })
        #expect(ratings["H2"]?.reason == .handedOver)
        #expect(ratings["A1"]?.reason == .complete)
    }
}

@Suite("Plan file decoding errors")
struct PlanDecodingErrorTests {
    @Test func unknownStatusNamesTheActionAndTheChoices() throws {
        // The first handed-over action in the file is B4.
        let edited = try PlanFixture.edited(#""status": "handedOver""#, #""status": "done""#)
        let error = #expect(throws: PlanDocumentError.self) { try PlanDocument.decode(from: edited) }
        #expect(error?.path == "priorities[1] (B).actions[3] (B4).status")
        #expect(error?.message.contains("unknown action status \"done\"") == true)
        #expect(error?.message.contains("\"handedOver\"") == true)
    }

    @Test func unknownCategory() throws {
        let edited = try PlanFixture.edited(#""category": "engagement""#, #""category": "engaging""#)
        let error = #expect(throws: PlanDocumentError.self) { try PlanDocument.decode(from: edited) }
        #expect(error?.path == "priorities[13] (N).category")
        #expect(error?.message.contains("unknown priority category \"engaging\"") == true)
    }

    @Test func missingFieldIsNamed() throws {
        let edited = try PlanFixture.edited(#""code": "H2""#, #""kode": "H2""#)
        let error = #expect(throws: PlanDocumentError.self) { try PlanDocument.decode(from: edited) }
        #expect(error?.path == "priorities[7] (H).actions[1].code")
        #expect(error?.message == "required field is missing")
        #expect(error?.description == "plan file, priorities[7] (H).actions[1].code: required field is missing")
    }

    @Test func badDate() throws {
        let edited = try PlanFixture.edited(#""startDate": "2018-03-01""#, #""startDate": "01/03/2018""#)
        let error = #expect(throws: PlanDocumentError.self) { try PlanDocument.decode(from: edited) }
        #expect(error?.path == "plan.startDate")
        #expect(error?.message.contains("yyyy-mm-dd") == true)
    }

    @Test func wrongType() throws {
        let edited = try PlanFixture.edited(#""durationMonths": 18"#, #""durationMonths": "18""#)
        let error = #expect(throws: PlanDocumentError.self) { try PlanDocument.decode(from: edited) }
        #expect(error?.path == "plan.durationMonths")
        #expect(error?.message == "expected a whole number")
    }

    @Test func emptyOwner() throws {
        let edited = try PlanFixture.edited(#""responsible": ["SW"]"#, #""responsible": [""]"#)
        let error = #expect(throws: PlanDocumentError.self) { try PlanDocument.decode(from: edited) }
        #expect(error?.path == "priorities[6] (G).actions[0] (G1).responsible[0]")
    }

    @Test func malformedJSONGivesLineAndColumn() {
        let error = #expect(throws: PlanDocumentError.self) {
            try PlanDocument.decode(from: Data("{\n  \"formatVersion\": 1,\n  nope\n}".utf8))
        }
        #expect(error?.path == nil)
        #expect(error?.message.hasPrefix("not valid JSON") == true)
        #expect(error?.message.contains("line 3") == true)
    }

    @Test func unsupportedFormatVersion() throws {
        let edited = try PlanFixture.edited(#""formatVersion": 1"#, #""formatVersion": 2"#)
        let error = #expect(throws: PlanDocumentError.self) { try PlanDocument.decode(from: edited) }
        #expect(error?.path == "formatVersion")
    }
}

@Suite("Plan validation")
struct PlanValidationTests {
    private func problems(after edit: (inout PlanDocument) -> Void) throws -> [String] {
        var doc = try PlanFixture.load()
        edit(&doc)
        return doc.validate().map(\.description)
    }

    @Test func initialsMissingFromTheKey() throws {
        let found = try problems { $0.priorities[7].actions[1].accountable = [.person(initials: "XY")] }
        #expect(found == [#"priorities[7] (H).actions[1] (H2).accountable: "XY" is not in the people key"#])
    }

    @Test func duplicateAndOutOfOrderCodes() throws {
        let found = try problems { $0.priorities[0].actions[1].code = "A1" }
        #expect(found.contains { $0.contains("(A1).code") && $0.contains("expected A2") })
        #expect(found.contains { $0.contains("A1 is used more than once") })
    }

    @Test func subActionNumeralsInOrder() throws {
        let found = try problems { $0.priorities[4].actions[2].subActions.swapAt(2, 3) }
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.hasPrefix("priorities[4] (E).actions[2] (E3).subActions[") })
        #expect(found.first?.contains(#"expected "iii""#) == true)
    }

    @Test func closedPlanCannotLeaveActionsOpen() throws {
        let found = try problems { try? $0.setStatus(.inProgress, on: "O3") }
        #expect(
            found == [
                #"priorities[14] (O).actions[2] (O3).status: is "inProgress" but the plan is closed; use complete, outstandingAtClosure or handedOver"#
            ]
        )
    }

    @Test func handoverNeedsATaskAndTaskNeedsHandedOverActions() throws {
        let found = try problems {
            try? $0.setStatus(.handedOver, on: "A5")
            try? $0.setStatus(.complete, on: "C1")
        }
        #expect(found.contains { $0.contains("(A5).status") && $0.contains("no outstanding task names A5") })
        #expect(found.contains { $0.contains("(C).outstanding[0].actions") && $0.contains("C1") })
    }

    @Test func unreadableDueDateAndUnknownMetricAction() throws {
        let found = try problems {
            $0.priorities[0].actions[0].due = DueDate("31/13/18")
            $0.evaluationMetrics[0].actions.append("Z9")
        }
        #expect(found.count == 2)
        #expect(found.contains { $0.contains("(A1).due") && $0.contains("\"31/13/18\"") })
        #expect(found.contains { $0.contains("evaluationMetrics[0] (ae-attendances-65).actions: Z9") })
    }

    @Test func duplicatePeopleAndBadInitials() throws {
        let found = try problems {
            $0.people.append(Person(initials: "BH", name: "Someone", role: "", organisation: ""))
            $0.people.append(Person(initials: "bad one", name: "Other", role: "", organisation: ""))
        }
        #expect(found.contains { $0.contains("people[13] (BH)") && $0.contains("more than once") })
        #expect(found.contains { $0.contains("people[14] (bad one)") })
    }

    @Test func progressHistoryOutOfOrder() throws {
        let found = try problems {
            let later = ProgressNote(date: date("2019-02-01"), author: "x", text: "later")
            let earlier = ProgressNote(date: date("2019-01-01"), author: "x", text: "earlier")
            $0.priorities[0].actions[0] = KeyAction(
                code: "A1",
                text: "t",
                accountable: [],
                responsible: [],
                due: nil,
                status: .complete,
                progress: [later, earlier]
            )
        }
        #expect(
            found == [
                "priorities[0] (A).actions[0] (A1).progress[1]: dated 2019-01-01, earlier than the note before it (2019-02-01); the history is in date order"
            ]
        )
    }
}

@Suite("Plan owners and progress history")
struct PlanOwnerAndProgressTests {
    @Test func ownerReading() {
        #expect(Owner("BH") == .person(initials: "BH"))
        #expect(Owner("DHa") == .person(initials: "DHa"))
        #expect(Owner("JMW") == .person(initials: "JMW"))
        #expect(Owner("Chief Executives") == .body("Chief Executives"))
        #expect(Owner("System Flow Executive") == .body("System Flow Executive"))
        #expect(Owner("Healthwatch") == .body("Healthwatch"))
        #expect(Owner("Sam Foster – Chief Nursing Officer") == .body("Sam Foster – Chief Nursing Officer"))
        #expect(Owner("bh") == .body("bh"))
    }

    @Test func ownersEncodeAsPlainStrings() throws {
        let owners: [Owner] = [.person(initials: "KT"), .body("Chief Executives")]
        let json = String(decoding: try JSONEncoder().encode(owners), as: UTF8.self)
        #expect(json == #"["KT","Chief Executives"]"#)
        #expect(try JSONDecoder().decode([Owner].self, from: Data(json.utf8)) == owners)
    }

    @Test func progressIsAppendOnlyAndDated() throws {
        var doc = try PlanFixture.load()
        try doc.setStatus(.inProgress, on: "H2")
        let first = ProgressNote(date: date("2019-10-01"), author: "Sam Foster", text: "Pathway review scoped")
        try doc.recordProgress(first, on: "H2")
        // Same day is fine; earlier is refused; undated and anonymous notes are refused.
        try doc.recordProgress(ProgressNote(date: date("2019-10-01"), author: "SF", text: "Second note"), on: "H2")
        #expect(throws: ProgressNoteError.earlierThanLatest(latest: date("2019-10-01"), attempted: date("2019-09-30"))) {
            try doc.recordProgress(ProgressNote(date: date("2019-09-30"), author: "SF", text: "late"), on: "H2")
        }
        #expect(throws: ProgressNoteError.undated) { try doc.recordProgress(ProgressNote("no date"), on: "H2") }
        #expect(throws: ProgressNoteError.missingAuthor) {
            try doc.recordProgress(ProgressNote(date: date("2019-10-02"), author: " ", text: "who?"), on: "H2")
        }
        #expect(throws: ProgressNoteError.emptyText) {
            try doc.recordProgress(ProgressNote(date: date("2019-10-02"), author: "SF", text: "  "), on: "H2")
        }
        #expect(throws: ProgressNoteError.unknownAction(code: "Z1")) {
            try doc.recordProgress(ProgressNote(date: date("2019-10-02"), author: "SF", text: "x"), on: "Z1")
        }
        let h2 = try #require(doc.action("H2"))
        #expect(h2.progress.count == 3)
        #expect(h2.progress.last?.text == "Second note")
        // Dated notes are written as objects, transcribed ones stay bare strings.
        let again = try PlanDocument.decode(from: doc.encoded())
        #expect(again.action("H2")?.progress == h2.progress)
        // A note makes the undated H2 green while it is recent.
        #expect(h2.rag(on: date("2019-10-31"), policy: .standard).rating == .green)
        #expect(h2.rag(on: date("2019-11-01"), policy: .standard).rating == .amber)
    }

    @Test func subActionProgressIsAppendOnlyToo() throws {
        var sub = SubAction(numeral: "i", text: "x")
        try sub.record(ProgressNote(date: date("2018-05-01"), author: "KT", text: "started"))
        #expect(throws: ProgressNoteError.self) {
            try sub.record(ProgressNote(date: date("2018-04-01"), author: "KT", text: "earlier"))
        }
        #expect(sub.progress.count == 1)
    }
}
