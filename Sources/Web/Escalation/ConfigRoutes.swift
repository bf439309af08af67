import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// The running rules and timetable, as a page and as JSON.
extension EscalationRoutes {
    @Sendable func configPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.render("config", title: "Running configuration", context: ConfigPage(configuration: configuration))
    }

    @Sendable func apiConfig(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct Rule: Encodable {
            let id: String
            let title: String
            let level: String
            let enabled: Bool
            let description: String
        }
        struct Body: Encodable {
            let source: String
            let configuration: CycleConfiguration
            let rules: [Rule]
        }
        let policy = configuration.policy.escalation
        return try json(
            Body(
                source: configuration.source,
                configuration: configuration,
                rules: EscalationRuleID.allCases.map {
                    Rule(
                        id: $0.rawValue,
                        title: $0.title,
                        level: $0.level.rawValue,
                        enabled: policy.isEnabled($0),
                        description: $0.description(using: configuration.policy)
                    )
                }
            )
        )
    }
}
