import HTTPTypes
import Store

/// Who may call what: the one table every request is checked against
/// (deny by default). A request matches the rule with the longest
/// prefix (whole path segments) for its method, else for any method; a path
/// no rule matches is refused to everyone but administrators.
///
/// Administrators pass every rule (their reads of patient data are audited
/// like anyone's). Records are further filtered by scope in the routes: a
/// ward user passes the `/forms` rule but sees only their wards' forms.
public enum AccessPolicy {
    public enum Access: Sendable, Equatable {
        /// No sign-in needed.
        case anonymous
        /// Any signed-in user.
        case signedIn
        /// Signed in with one of these roles.
        case roles(Set<Role>)
    }

    public struct Rule: Sendable {
        /// nil: any method.
        public let method: HTTPRequest.Method?
        public let prefix: String
        public let access: Access

        init(_ method: HTTPRequest.Method?, _ prefix: String, _ access: Access) {
            self.method = method
            self.prefix = prefix
            self.access = access
        }
    }

    static let readers: Set<Role> = [.viewer, .planEditor, .executive, .level2, .data]

    public static let rules: [Rule] = [
        // Operations and sign-in.
        Rule(.get, "/health", .anonymous),
        Rule(.get, "/ready", .anonymous),
        // Scraped by Prometheus inside the deployment; holds counts, no patient data.
        Rule(.get, "/metrics", .anonymous),
        Rule(.get, "/static", .anonymous),
        Rule(.get, "/login", .anonymous),
        Rule(.post, "/login", .anonymous),
        Rule(.post, "/logout", .signedIn),
        Rule(.get, "/", .signedIn),

        // Ward lists: the data role imports; the report shows (masked) NHS numbers.
        Rule(nil, "/imports", .roles([.data])),
        Rule(nil, "/api/imports", .roles([.data])),

        // Hospital feeds: a PAS posts FHIR Encounters with a feed token; the
        // data team reads them back and watches each site's feed health.
        Rule(.get, "/fhir/metadata", .anonymous),
        Rule(nil, "/fhir", .roles([.feed])),
        Rule(.get, "/fhir", .roles([.feed, .data])),
        Rule(.get, "/feeds", .roles([.data])),

        // Level 1 reviews: ward staff for their wards; level2 reads for its organisations.
        Rule(.get, "/wards", .roles([.ward, .level2])),
        Rule(.get, "/forms", .roles([.ward, .level2])),
        Rule(.post, "/forms", .roles([.ward])),
        // The daily board round: ward staff record their wards' days.
        Rule(.post, "/wards", .roles([.ward])),
        Rule(.put, "/api/wards", .roles([.ward])),
        Rule(.get, "/api/wards", .roles([.ward, .level2])),
        Rule(.get, "/api/forms", .roles([.ward, .level2])),
        Rule(.put, "/api/forms", .roles([.ward])),
        Rule(.post, "/api/forms", .roles([.ward])),

        // The action plan: everyone with a reading role reads; plan editors edit.
        Rule(.get, "/plan", .roles(readers.union([.ward]))),
        Rule(.get, "/api/plan", .roles(readers.union([.ward]))),
        Rule(nil, "/plan", .roles([.planEditor])),
        Rule(nil, "/api/plan", .roles([.planEditor])),

        // Escalation. Level 2 reads and records its
        // meeting (agenda, decisions, actions, attendance); executives read the
        // call's list and record its decisions; the weekly cycle's runs are
        // started by hand by administrators only; the configuration shows
        // the running set-up to administrators.
        Rule(nil, "/level2", .roles([.level2])),
        Rule(nil, "/api/level2", .roles([.level2])),
        Rule(.get, "/ce", .roles([.executive, .level2])),
        Rule(.get, "/api/ce", .roles([.executive, .level2])),
        Rule(nil, "/ce", .roles([.executive])),
        Rule(nil, "/api/ce", .roles([.executive])),
        Rule(.get, "/cycle", .roles([.level2, .data])),
        Rule(.get, "/api/cycle", .roles([.level2, .data])),
        Rule(nil, "/cycle", .roles([.administrator])),
        Rule(nil, "/api/cycle", .roles([.administrator])),
        Rule(nil, "/config", .roles([.administrator])),
        Rule(nil, "/api/config", .roles([.administrator])),
        // Trends: counts, no identifiers.
        Rule(.get, "/trends", .roles([.data, .viewer, .executive, .level2])),
        Rule(.get, "/api/trends", .roles([.data, .viewer, .executive, .level2])),
        // Prevention themes: counts of coded Q3 answers, no identifiers; everyone
        // who reads the plan or the trends, and wards, whose lessons they are.
        Rule(.get, "/themes", .roles(readers.union([.ward]))),
        // Putting a theme in the plan: Level 2, who see the themes weekly, and plan editors.
        Rule(.post, "/themes", .roles([.level2, .planEditor])),
        // Summaries: the chief executive summary carries no patient identifiers.
        // Building a version (POST /summary, POST /api/summaries/{week}/builds): the same people.
        Rule(.get, "/summary", .roles([.executive, .level2])),
        Rule(.get, "/api/summaries", .roles([.executive, .level2])),
        Rule(.post, "/summary", .roles([.executive, .level2])),
        Rule(.post, "/api/summaries", .roles([.executive, .level2])),

        // Administration.
        Rule(nil, "/admin", .roles([.administrator])),
    ]

    /// Whether `path` is `prefix` or below it (whole segments: `/plan` does not cover `/planning`).
    static func covers(_ prefix: String, _ path: Substring) -> Bool {
        if prefix == "/" { return path == "/" }
        // Compared as UTF-8 bytes: every request runs this against every rule,
        // and counting characters was a measurable share of a cached page's time.
        // The prefixes are ASCII, so a byte prefix ending at a "/" or at the end is a path prefix.
        let bytes = path.utf8
        guard bytes.starts(with: prefix.utf8) else { return false }
        let end = bytes.index(bytes.startIndex, offsetBy: prefix.utf8.count)
        return end == bytes.endIndex || bytes[end] == UInt8(ascii: "/")
    }

    /// The rule for a request; nil when none matches (administrators only).
    public static func rule(method: HTTPRequest.Method, path: String) -> Rule? {
        let path = path[..<(path.firstIndex(of: "?") ?? path.endIndex)]
        var best: Rule?
        for rule in rules where covers(rule.prefix, path) && (rule.method == nil || rule.method == method || (rule.method == .get && method == .head))
        {
            guard let current = best else {
                best = rule
                continue
            }
            let (length, currentLength) = (rule.prefix.utf8.count, current.prefix.utf8.count)
            if length > currentLength || (length == currentLength && current.method == nil && rule.method != nil)
            {
                best = rule
            }
        }
        return best
    }

    public enum Decision: Sendable, Equatable {
        case allow
        /// Not signed in.
        case unauthenticated
        /// Signed in, but no role that may.
        case forbidden
    }

    /// The decision for `identity` (nil: anonymous).
    public static func decide(method: HTTPRequest.Method, path: String, identity: Identity?) -> Decision {
        let rule = rule(method: method, path: path)
        if rule?.access == .anonymous { return .allow }
        guard let identity else { return .unauthenticated }
        if identity.has(.administrator) { return .allow }
        switch rule?.access {
        case nil: return .forbidden
        case .anonymous?, .signedIn?: return .allow
        case let .roles(allowed)?: return identity.roles.contains { allowed.contains($0.role) } ? .allow : .forbidden
        }
    }
}
