import Foundation

/// Where the browser goes after signing in (`next`): a path on this service,
/// or `/`. Browsers are lenient with `Location`: they drop tabs and newlines
/// (`/<TAB>/evil.example` becomes `//evil.example`, another host), read `\`
/// as `/`, and take `//host` or `scheme:` as somewhere else. So only plain
/// absolute paths of printable ASCII pass; anything else is refused, not repaired.
enum RedirectTarget {
    static let fallback = "/"

    static func localPath(_ text: String?) -> String {
        guard let text, isLocalPath(text) else { return fallback }
        // Checked once more after one round of percent-decoding, so an
        // encoded `%09` or `%2F%2F` does not turn into one further along.
        if let decoded = text.removingPercentEncoding, decoded != text {
            guard isLocalPath(decoded) else { return fallback }
        }
        return text
    }

    private static func isLocalPath(_ text: String) -> Bool {
        guard text.utf8.count <= 2048, text.hasPrefix("/"),
            // Printable ASCII only: no control characters, spaces, DEL or
            // look-alikes (fullwidth solidus, ideographic space); no backslash.
            text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") })
        else { return false }
        let path = text.prefix { $0 != "?" && $0 != "#" }
        // No empty segment (`//host`, `/a//b`) and no dot segment (`/.//host` normalises to `//host`).
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if path != "/", segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            // A trailing slash (`/plan/`) leaves one empty last segment: fine.
            guard segments.dropLast().allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
                segments.last == ""
            else { return false }
        }
        guard let components = URLComponents(string: text), components.scheme == nil, components.host == nil,
            components.percentEncodedPath.hasPrefix("/")
        else { return false }
        return true
    }
}
