import Mustache
import Testing

@testable import Web

/// The pages' HTML escaping (``ScanningHTMLContentType``) must give what
/// Mustache's own gives, for every text, hostile or not.
@Suite("HTML escaping without a look-up per character")
struct ScanningHTMLContentTypeTests {
    static let texts = [
        "", "plain", "Ann & Co", "<script>alert('x')</script>", "a \"quoted\" 'word'", "O'Test <b>", "&amp; already",
        "café <é>", "\"\u{301} onmouseover=x", "<\u{301}b>", "e\u{301}&", "\r\n<\r\n>", "emoji 👩‍⚕️ & <tag>", "\u{0}<",
        String(repeating: "long text without anything to escape ", count: 40),
    ]

    @Test func escapesAsMustacheDoes() async throws {
        _ = try await PageRenderer()  // registers the content type
        let mustache = try MustacheTemplate(string: "{{text}}")
        let scanning = try MustacheTemplate(string: "{{% CONTENT_TYPE: \(ScanningHTMLContentType.name) }}{{text}}")
        for text in Self.texts {
            #expect(scanning.render(["text": text]) == mustache.render(["text": text]))
        }
    }
}
