import Mustache

/// Mustache's HTML escaping with the same output, character for character,
/// without its cost on text that needs none.
///
/// Mustache escapes each `{{value}}` by looking every character of it up in
/// a dictionary (a hash of each `Character`): ~18% of a form page's rendering
/// time, for text that almost never holds one of the five characters. Here
/// text without any of them (seen in its UTF-8 bytes) is returned as it is,
/// and text with one is escaped as Mustache does it, by `Character`, so a
/// page is the same either way.
///
/// A template takes it with `{{% CONTENT_TYPE: STRANDEDHTML }}` before its
/// first value (Mustache sets its own HTML escaping again in each partial, so
/// every template of a busy page says so); ``PageRenderer`` registers it
/// before it reads the templates.
struct ScanningHTMLContentType: MustacheContentType {
    static let name = "STRANDEDHTML"

    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: Self.needsEscaping) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: false
        }
    }
}
