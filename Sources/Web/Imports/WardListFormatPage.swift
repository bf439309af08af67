import Foundation
import Hummingbird

/// `/imports/format`: the ward list contract (Schema/ward-list.md, bundled
/// with the build) as a page of the service, so an import message can
/// point a data clerk at the rule it cites.
struct WardListFormatPage: Sendable {
    /// The contract as HTML, rendered once at start-up.
    let html: String

    static let path = "/imports/format"

    init() throws {
        guard let url = Bundle.module.url(forResource: "formats/ward-list", withExtension: "md") else {
            throw HTTPError(.internalServerError, message: "the ward list format (formats/ward-list.md) is missing from the build")
        }
        var markdown = try String(contentsOf: url, encoding: .utf8)
        // The layout prints the page title; the document's own title would repeat it.
        if markdown.hasPrefix("# "), let end = markdown.firstIndex(of: "\n") { markdown = String(markdown[end...]) }
        html = MarkdownHTML.render(markdown)
    }

    /// The link to the section numbered `section` (e.g. 2 → `#2-columns`).
    static func link(section: Int?) -> String {
        guard let section, let anchor = sectionAnchors[section] else { return path }
        return path + "#" + anchor
    }

    /// The anchors of the numbered sections, as the renderer makes them from their headings.
    static let sectionAnchors: [Int: String] = {
        guard let url = Bundle.module.url(forResource: "formats/ward-list", withExtension: "md"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [:] }
        var anchors: [Int: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("## ") {
            let heading = line.dropFirst(3)
            if let number = Int(heading.prefix { $0.isNumber }) { anchors[number] = MarkdownHTML.anchor(String(heading)) }
        }
        return anchors
    }()

    struct View {
        let html: String
    }

    /// A bundled contract (`formats/NAME.md`) as HTML without its own title,
    /// which the layout prints; nil only in a broken build.
    static func bodyHTML(ofBundled resource: String) -> String? {
        guard let url = Bundle.module.url(forResource: resource, withExtension: "md"),
            let markdown = try? String(contentsOf: url, encoding: .utf8)
        else { return nil }
        guard markdown.hasPrefix("# "), let end = markdown.firstIndex(of: "\n") else { return MarkdownHTML.render(markdown) }
        return MarkdownHTML.render(String(markdown[end...]))
    }
}
