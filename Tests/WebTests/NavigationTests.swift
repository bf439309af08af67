import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

@testable import Web

/// The menu shows what the signed-in user may open, and the start page
/// their next job.
@Suite("Navigation and start pages by role")
struct NavigationTests {
    /// The `href`s of the main menu on a page.
    static func menuLinks(_ html: String) -> [String] {
        guard let start = html.range(of: "<nav aria-label=\"Main\">"), let end = html.range(of: "</nav>", range: start.upperBound..<html.endIndex)
        else { return [] }
        return html[start.upperBound..<end.lowerBound].components(separatedBy: "href=\"").dropFirst().compactMap {
            $0.split(separator: "\"").first.map(String.init)
        }
    }

    @Test func aWardUserSeesOnlyWhatTheirRoleOpensAndEveryEntryOpens() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let users: [(roles: [RoleGrant], expected: [String])] = [
                ([RoleGrant(.ward, scope: ["ACU1/W1"])], ["/wards", "/plan", "/themes"]),
                ([RoleGrant(.data)], ["/imports", "/feeds", "/cycle", "/plan", "/trends", "/themes"]),
                ([RoleGrant(.executive)], ["/ce", "/plan", "/summary", "/trends", "/themes"]),
                ([RoleGrant(.administrator)], NavigationMenu.all.map(\.path)),
            ]
            _ = fixture
            try await AuthSessionTests.app(database).test(.router) { raw in
                for (roles, expected) in users {
                    let user = try await SignedIn.create(database, roles: roles)
                    var links: [String] = []
                    try await user.client(raw).execute(uri: "/", method: .get) { response in
                        #expect(response.status == .ok)
                        links = Self.menuLinks(String(buffer: response.body))
                    }
                    #expect(links == expected, "\(roles)")
                    for link in links {
                        try await user.client(raw).execute(uri: link, method: .get) { response in
                            #expect(response.status != .forbidden, "\(roles) is offered \(link) but refused it")
                        }
                    }
                }
            }
        }
    }

    @Test func theMenuIsDerivedFromTheAccessPolicy() {
        let ward = Identity(userID: 1, username: "w", displayName: "W", roles: [RoleGrant(.ward, scope: ["ACU1"])], method: .session)
        #expect(NavigationMenu.items(for: ward).map(\.path) == ["/wards", "/plan", "/themes"])
        let viewer = Identity(userID: 2, username: "v", displayName: "V", roles: [RoleGrant(.viewer)], method: .session)
        #expect(NavigationMenu.items(for: viewer).allSatisfy { AccessPolicy.decide(method: .get, path: $0.path, identity: viewer) == .allow })
    }

    /// The middleware keeps each set of roles' menu: a kept menu is the one
    /// the policy gives, whatever the scopes of the user who asked first.
    @Test func aKeptMenuIsThePolicysMenu() {
        let menus = NavigationMenus()
        let identities = [
            Identity(userID: 1, username: "w", displayName: "W", roles: [RoleGrant(.ward, scope: ["ACU1"])], method: .session),
            Identity(userID: 2, username: "x", displayName: "X", roles: [RoleGrant(.ward, scope: ["ACU2/W1"])], method: .session),
            Identity(userID: 3, username: "l", displayName: "L", roles: [RoleGrant(.level2), RoleGrant(.data)], method: .session),
            Identity(userID: 4, username: "d", displayName: "D", roles: [RoleGrant(.data), RoleGrant(.level2)], method: .session),
            Identity(userID: 5, username: "a", displayName: "A", roles: [RoleGrant(.administrator)], method: .session),
            Identity(userID: 6, username: "n", displayName: "N", roles: [], method: .session),
        ]
        for _ in 0..<2 {
            for identity in identities {
                #expect(menus.items(for: identity) == NavigationMenu.items(for: identity), "\(identity.roles)")
            }
        }
    }

    @Test func eachRoleStartsFromItsNextJob() async throws {
        try await TestCluster.withDatabase { database in
            _ = try await ReviewWebFixture(database: database)
            let ward = try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            let chair = try await SignedIn.create(database, roles: [RoleGrant(.level2)])
            let admin = try await SignedIn.create(database, roles: [RoleGrant(.administrator)])
            try await AuthSessionTests.app(database).test(.router) { raw in
                try await ward.client(raw).execute(uri: "/", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Level 1 reviews, w/c 16 Nov 2026"))
                    #expect(html.contains("Ward One"))
                    #expect(html.contains("3 of 3 forms still open"))
                    #expect(html.contains("Overdue"))
                    #expect(!html.contains("Last ward list"))
                }
                try await clerk.client(raw).execute(uri: "/", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Last ward list: accepted"))
                    #expect(!html.contains("Level 1 reviews"))
                }
                try await chair.client(raw).execute(uri: "/", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Level 2 meeting"))
                    #expect(html.contains("agenda has not been built yet"))
                }
                try await admin.client(raw).execute(uri: "/", method: .get) { response in
                    let html = String(buffer: response.body)
                    for part in ["Level 1 reviews", "Level 2 meeting", "Last ward list", "Administration"] {
                        #expect(html.contains(part), "the administrator's overview lacks \(part)")
                    }
                }
            }
        }
    }
}
