import HTTPTypes
import Store
import Synchronization

/// The main menu. Which entries a user sees is not decided here: each
/// entry is shown only when ``AccessPolicy`` lets the user open its page,
/// so the menu and the access rules cannot disagree.
public enum NavigationMenu {
    public struct Item: Sendable, Equatable {
        public let label: String
        public let path: String
    }

    /// Every entry, in menu order.
    public static let all: [Item] = [
        Item(label: "Ward lists", path: "/imports"),
        Item(label: "Feeds", path: "/feeds"),
        Item(label: "Wards", path: "/wards"),
        Item(label: "Level 2", path: "/level2"),
        Item(label: "CE call", path: "/ce"),
        Item(label: "Cycle", path: "/cycle"),
        Item(label: "Action plan", path: "/plan"),
        Item(label: "CE summary", path: "/summary"),
        Item(label: "Trends", path: "/trends"),
        Item(label: "Themes", path: "/themes"),
        Item(label: "Administration", path: "/admin/users"),
    ]

    /// The entries `identity` may open.
    public static func items(for identity: Identity) -> [Item] {
        all.filter { AccessPolicy.decide(method: .get, path: $0.path, identity: identity) == .allow }
    }
}

/// The menus already worked out, by the set of roles each was worked out for.
///
/// Every signed-in page shows the menu, and working it out is an access
/// decision for each entry; ``AccessPolicy`` decides a GET on the user's
/// roles alone (not their scopes), so one set of roles always gets the same
/// menu. There are at most as many entries as sets of roles.
final class NavigationMenus: Sendable {
    private let known = Mutex<[Set<Role>: [NavigationMenu.Item]]>([:])

    func items(for identity: Identity) -> [NavigationMenu.Item] {
        let roles = Set(identity.roles.map(\.role))
        if let items = known.withLock({ $0[roles] }) { return items }
        let items = NavigationMenu.items(for: identity)
        known.withLock { $0[roles] = items }
        return items
    }
}
