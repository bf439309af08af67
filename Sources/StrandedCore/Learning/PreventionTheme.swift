import Foundation

/// The stable code of a prevention theme, e.g. `"late-therapy-assessment"`.
///
/// A wrapper rather than a bare `String` so a theme code cannot be mixed up
/// with a delay reason code or free text, while staying open: a deployment
/// configures its own taxonomy, so the set of codes is not closed.
public struct PreventionThemeCode: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    public static func < (lhs: PreventionThemeCode, rhs: PreventionThemeCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One coded answer to Q3: something that, done in the first few days, might
/// have kept the patient from becoming stranded.
///
/// Coding the answer is what lets the system learn: free text is read by no
/// one, a code can be counted by week, ward and agency and followed by a plan
/// action.
public struct PreventionTheme: Hashable, Sendable, Codable, Identifiable, CustomStringConvertible {
    /// Stable code, stored on every review; never reuse or rename one.
    public var code: PreventionThemeCode
    /// What the ward sees in the picker.
    public var label: String
    /// Who would have had to act earlier: counts by agency follow this.
    public var agency: Agency
    /// Words and phrases in a Q3 answer that suggest this theme (see
    /// ``PreventionThemeTaxonomy/suggestions(for:)``).
    public var keywords: [String]

    public init(code: PreventionThemeCode, label: String, agency: Agency, keywords: [String]) {
        self.code = code
        self.label = label
        self.agency = agency
        self.keywords = keywords
    }

    private enum CodingKeys: String, CodingKey { case code, label, agency, keywords }

    /// `keywords` may be left out of a configuration file (no suggestions for that theme).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try c.decode(PreventionThemeCode.self, forKey: .code),
            label: try c.decode(String.self, forKey: .label),
            agency: try c.decode(Agency.self, forKey: .agency),
            keywords: try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        )
    }

    public var id: PreventionThemeCode { code }
    public var description: String { code.rawValue }
}

/// The prevention themes a system codes Q3 answers with, in display order.
///
/// Part of the configured policy (`preventionThemes` in the configuration
/// file) so a system can add the causes it finds; codes already stored on
/// reviews but no longer configured are still counted, under their code.
public struct PreventionThemeTaxonomy: Hashable, Sendable, Codable {
    public let themes: [PreventionTheme]
    private let index: [PreventionThemeCode: Int]

    /// Throws when a code or label is blank or a code is used twice, since a
    /// stored code must name exactly one theme.
    public init(themes: [PreventionTheme]) throws(TaxonomyError) {
        var index: [PreventionThemeCode: Int] = [:]
        for (position, theme) in themes.enumerated() {
            if theme.code.rawValue.trimmingCharacters(in: .whitespaces).isEmpty { throw .blankCode(position: position) }
            if theme.label.trimmingCharacters(in: .whitespaces).isEmpty { throw .blankLabel(theme.code) }
            if index[theme.code] != nil { throw .duplicateCode(theme.code) }
            index[theme.code] = position
        }
        self.themes = themes
        self.index = index
    }

    public func theme(_ code: PreventionThemeCode) -> PreventionTheme? { index[code].map { themes[$0] } }
    public func contains(_ code: PreventionThemeCode) -> Bool { index[code] != nil }
    public var codes: [PreventionThemeCode] { themes.map(\.code) }

    /// The label of a code, or the code itself for one no longer configured.
    public func label(_ code: PreventionThemeCode) -> String { theme(code)?.label ?? code.rawValue }

    public enum TaxonomyError: Error, Hashable, Sendable, CustomStringConvertible {
        case duplicateCode(PreventionThemeCode)
        case blankCode(position: Int)
        case blankLabel(PreventionThemeCode)

        public var description: String {
            switch self {
            case let .duplicateCode(code): return "prevention theme code \"\(code)\" is used more than once; each code must name one theme"
            case let .blankCode(position):
                return "prevention theme \(position + 1) has a blank code; give it a stable code such as \"late-therapy-assessment\""
            case let .blankLabel(code): return "prevention theme \"\(code)\" has a blank label; give the words the ward should see"
            }
        }
    }

    private enum CodingKeys: String, CodingKey { case themes }

    /// Encoded as `{"themes": [...]}`; decoding re-checks the codes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let themes = try c.decode([PreventionTheme].self, forKey: .themes)
        do {
            try self.init(themes: themes)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .themes, in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(themes, forKey: .themes)
    }

    public static func == (lhs: PreventionThemeTaxonomy, rhs: PreventionThemeTaxonomy) -> Bool { lhs.themes == rhs.themes }
    public func hash(into hasher: inout Hasher) { hasher.combine(themes) }
}
