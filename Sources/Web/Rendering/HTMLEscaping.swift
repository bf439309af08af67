import Mustache
import StrandedCore

/// The pages' HTML escaping: ``markupEscaped(_:)``, the service's one rule.
///
/// Mustache's own escapes each `{{value}}` by looking every character of it
/// up in a dictionary (a hash of each `Character`): ~18% of a form page's
/// rendering time, for text that almost never holds one of the five
/// characters. And it matches whole characters, so a `"` carrying a
/// combining mark passed unescaped; ``markupEscaped(_:)`` works by scalar.
///
/// A template takes it with `{{% CONTENT_TYPE: STRANDEDHTML }}` before its
/// first value (Mustache sets its own HTML escaping again in each partial, so
/// every template of a busy page says so); ``PageRenderer`` registers it
/// before it reads the templates.
struct ScanningHTMLContentType: MustacheContentType {
    static let name = "STRANDEDHTML"

    func escapeText(_ text: String) -> String {
        markupEscaped(text)
    }
}
