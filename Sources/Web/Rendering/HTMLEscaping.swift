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
/// Every template takes it with `{{% CONTENT_TYPE: STRANDEDHTML }}` as its
/// first line (Mustache sets its own HTML escaping again in each partial, so
/// a template without the line would escape with Mustache's rule; a test
/// checks each one); ``PageRenderer`` registers it before it reads the
/// templates.
struct ScanningHTMLContentType: MustacheContentType {
    static let name = "STRANDEDHTML"

    func escapeText(_ text: String) -> String {
        markupEscaped(text)
    }
}
