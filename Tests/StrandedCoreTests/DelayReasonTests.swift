import Foundation
import Testing

@testable import StrandedCore

@Suite("Delay-reason taxonomy")
struct DelayReasonTests {
    private let taxonomy = DelayReasonTaxonomy.standard

    @Test(
        "the national categories are all present",
        arguments: [
            "awaiting-assessment", "public-funding", "further-nhs-care", "residential-home", "nursing-home",
            "care-package-home", "equipment-adaptations", "patient-family-choice", "disputes", "housing",
            "chc-assessment", "medical", "therapy", "transport", "safeguarding-legal", "mental-health-placement",
            "self-funder",
        ]
    )
    func present(code: String) throws {
        let reason = try #require(DelayReasonTaxonomy.standard.reason(DelayReasonCode(code)))
        #expect(!reason.label.isEmpty)
        #expect(!reason.sitrep.detail.isEmpty)
        #expect(reason.sitrep.text.hasPrefix(reason.sitrep.group.label + " – "))
    }

    @Test func codesAreUniqueStableKebabCase() {
        #expect(taxonomy.reasons.count == 17)
        #expect(Set(taxonomy.codes).count == taxonomy.codes.count)
        for code in taxonomy.codes {
            #expect(code.rawValue.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(code)")
        }
    }

    @Test func everySitrepGroupAndLegacyCategoryIsUsed() {
        for group in SitrepDelayGroup.allCases {
            #expect(!taxonomy.reasons(in: group).isEmpty, "\(group)")
        }
        for category in LegacyDToCCategory.allCases {
            #expect(!taxonomy.reasons(in: category).isEmpty, "\(category)")
        }
        #expect(LegacyDToCCategory.allCases.count == 10)
    }

    @Test func legacyMappingOfTheCoreCategories() {
        let expected: [(DelayReasonCode, LegacyDToCCategory)] = [
            (.awaitingAssessment, .a), (.publicFunding, .b), (.furtherNHSCare, .c), (.residentialHome, .di),
            (.nursingHome, .dii), (.carePackageHome, .e), (.equipmentAdaptations, .f), (.patientFamilyChoice, .g),
            (.disputes, .h), (.housing, .i),
        ]
        for (code, category) in expected {
            #expect(taxonomy.reason(code)?.legacyCategory == category, "\(code)")
        }
    }

    @Test func unmappedReasonsAreExactlyThoseNotReadyOrWithoutACategoryAndSayWhy() {
        let unmapped = taxonomy.reasons.filter { $0.legacyCategory == nil }
        #expect(unmapped.map(\.code) == [.medical, .transport])
        #expect(unmapped.allSatisfy { $0.legacyNote?.isEmpty == false })
    }

    @Test func agencies() {
        #expect(taxonomy.reason(.carePackageHome)?.agency == .socialCare)
        #expect(taxonomy.reason(.continuingHealthcare)?.agency == .nhs)
        #expect(taxonomy.reason(.patientFamilyChoice)?.agency == .other)
        #expect(taxonomy.reason(.nursingHome)?.agency == .both)
        #expect(taxonomy.reason(.carePackageHome)?.sitrep.group == .capacity)
        #expect(taxonomy.reason(.medical)?.sitrep.group == .hospitalProcess)
    }

    @Test func duplicateAndBlankCodesAreRefused() {
        let one = taxonomy.reasons[0]
        #expect(throws: DelayReasonTaxonomy.TaxonomyError.duplicateCode(one.code)) {
            try DelayReasonTaxonomy(reasons: [one, one])
        }
        var blank = one
        blank.code = " "
        #expect(throws: DelayReasonTaxonomy.TaxonomyError.blankCode(position: 0)) {
            try DelayReasonTaxonomy(reasons: [blank])
        }
    }

    @Test func codableRoundTripAndValidation() throws {
        let data = try JSONEncoder().encode(taxonomy)
        #expect(try JSONDecoder().decode(DelayReasonTaxonomy.self, from: data) == taxonomy)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""agency":"social-care""#))
        #expect(json.contains(#""legacyCategory":"Dii""#))
        let duplicated =
            #"{"reasons": [{"code": "x", "label": "X", "agency": "nhs", "sitrep": {"group": "capacity", "detail": "d"}}, {"code": "x", "label": "Y", "agency": "nhs", "sitrep": {"group": "capacity", "detail": "d"}}]}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DelayReasonTaxonomy.self, from: Data(duplicated.utf8))
        }
    }
}
