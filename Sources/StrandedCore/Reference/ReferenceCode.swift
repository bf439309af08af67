/// The rule for organisation, site and ward codes, wherever they come from
/// (a ward list, a sites file, `stranded sites add`): 1 to 20 characters of
/// visible text. A code is a key people type, search for and see on pages and
/// in exports, so a line break, tab or invisible character in one (a quoted
/// CSV field spanning two lines, a stray byte order mark) is an error in the
/// source, never part of the code.
public enum ReferenceCode {
    public static let maximumLength = 20

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case tooLong(limit: Int)
        /// The first offending character, as `U+000A`.
        case controlCharacter(String)

        /// The reason, without the value: callers decide how to show it.
        public func reason(field: String) -> String {
            switch self {
            case .empty: return "\(field) is empty"
            case .tooLong(let limit): return "\(field) is longer than \(limit) characters"
            case .controlCharacter(let scalar):
                return "\(field) contains a control or invisible character (\(scalar)); codes are plain visible text — "
                    + "check for a line break or tab inside a quoted value"
            }
        }
    }

    /// Why `code` cannot be a code, or nil when it can.
    public static func problem(_ code: String, limit: Int = maximumLength) -> Problem? {
        if let scalar = code.unicodeScalars.first(where: isControlOrInvisible) { return .controlCharacter(scalar.codePoint) }
        if code.isEmpty { return .empty }
        // A code has no more characters than UTF-8 bytes: counting characters (graphemes) is for the long ones only.
        if code.utf8.count > limit, code.count > limit { return .tooLong(limit: limit) }
        return nil
    }

    /// Control characters (C0, DEL, C1), line and paragraph separators, and
    /// format characters (zero-width spaces, bidirectional overrides, BOM).
    public static func isControlOrInvisible(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII, nearly every scalar a list holds, without the Unicode tables:
        // its only such characters are the C0 controls and DEL.
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// `code` with each control or invisible character written as `<U+000A>`,
    /// so a message can show where it is without breaking a line or a log.
    public static func visible(_ code: String) -> String {
        var out = ""
        for scalar in code.unicodeScalars {
            if isControlOrInvisible(scalar) { out += "<\(scalar.codePoint)>" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// `U+000A`.
    var codePoint: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
