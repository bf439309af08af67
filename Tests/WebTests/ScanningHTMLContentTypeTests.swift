import Foundation
import Mustache
import Testing

@testable import Web

/// The pages' HTML escaping (``ScanningHTMLContentType``) must give what
/// Mustache's own gives for ordinary text, and escape every quote and angle
/// bracket a browser would read, combining marks or not.
@Suite("HTML escaping without a look-up per character")
struct ScanningHTMLContentTypeTests {
    static let texts = [
        "", "plain", "Ann & Co", "<script>alert('x')</script>", "a \"quoted\" 'word'", "O'Test <b>", "&amp; already",
        "café <é>", "e\u{301}&", "\r\n<\r\n>", "emoji 👩‍⚕️ & <tag>", "\u{0}<",
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

    /// Swift sees `"` with a combining mark as one character; a browser sees
    /// a quote that ends the attribute. Mustache's own escaping let it through.
    @Test func escapesAQuoteOrBracketCarryingACombiningMark() async throws {
        _ = try await PageRenderer()
        let scanning = try MustacheTemplate(string: "{{% CONTENT_TYPE: \(ScanningHTMLContentType.name) }}{{text}}")
        #expect(scanning.render(["text": "\"\u{301} onmouseover=x"]) == "&quot;\u{301} onmouseover=x")
        #expect(scanning.render(["text": "<\u{301}b>"]) == "&lt;\u{301}b&gt;")
    }

    /// Mustache starts each partial with its own escaping again, so a
    /// template that forgets the pragma escapes its values with the flawed
    /// rule even inside a page whose layout declares it: every template says so.
    @Test func everyTemplateDeclaresTheServicesEscaping() throws {
        let templates = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Web/Resources/templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count > 50)
        for name in names {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            #expect(
                text.hasPrefix("{{% CONTENT_TYPE: \(ScanningHTMLContentType.name) }}\n"),
                "\(name) must begin with the CONTENT_TYPE pragma")
        }
    }
}
