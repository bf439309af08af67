import Foundation
import Hummingbird
import StrandedCore
import Workflow

/// What the chair narrows the meeting's index to: one responsible agency,
/// organisation or site, the new or the carried-over cases, the undecided ones.
///
/// It travels in the query string (`?agency=social-care&undecided=1`), so a
/// filtered index is a link, works without JavaScript, and the case pages and
/// their saves carry it along: "next case" stays within what the chair chose.
struct AgendaFilter: Equatable {
    enum Arrival: String { case new, carried }

    var agency: String?
    var organisationID: Int64?
    var siteCode: String?
    var arrival: Arrival?
    var undecidedOnly = false

    init() {}

    init(query: [String: String]) {
        agency = Self.nonEmpty(query["agency"])
        organisationID = query["organisation"].flatMap { Int64($0) }
        siteCode = Self.nonEmpty(query["site"])
        arrival = query["arrival"].flatMap(Arrival.init(rawValue:))
        undecidedOnly = query["undecided"] == "1"
    }

    init(_ request: Request) {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        self.init(query: query)
    }

    var isEmpty: Bool { self == AgendaFilter() }

    func matches(_ item: Level2Agenda.Case, decided: Bool) -> Bool {
        if let agency, item.agency != agency { return false }
        if let organisationID, item.organisationID != organisationID { return false }
        if let siteCode, item.siteCode != siteCode { return false }
        switch arrival {
        case .new?: if !item.isNew { return false }
        case .carried?: if item.isNew { return false }
        case nil: break
        }
        return !(undecidedOnly && decided)
    }

    /// `agency=…&undecided=1`, percent-encoded; empty when nothing is chosen.
    var query: String {
        var items: [(String, String)] = []
        if let agency { items.append(("agency", agency)) }
        if let organisationID { items.append(("organisation", String(organisationID))) }
        if let siteCode { items.append(("site", siteCode)) }
        if let arrival { items.append(("arrival", arrival.rawValue)) }
        if undecidedOnly { items.append(("undecided", "1")) }
        return items.map { "\($0)=\(Self.encode($1))" }.joined(separator: "&")
    }

    /// Only unreserved characters stay as they are (`&`, `=`, `#` and `+` too are encoded).
    private static func encode(_ value: String) -> String {
        var unreserved = CharacterSet(charactersIn: "-._~")
        unreserved.formUnion(CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// `path` with this filter and any further parameters as its query string.
    func link(_ path: String, adding extra: [String] = []) -> String {
        let parts = ([query] + extra).filter { !$0.isEmpty }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
