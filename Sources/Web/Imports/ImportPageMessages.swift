import Foundation

/// Import messages as the import pages show them. A report is written once,
/// for whichever way the file came in, and its messages speak to operators
/// (`--snapshot-date`, `stranded sites add`, `Schema/ward-list.md`); a data
/// clerk reading it on a page needs the page's terms instead: the
/// “Snapshot date” box, an administrator who registers sites, and a link to
/// the format page.
enum ImportPageMessages {
    /// One message, and the part of the file format it cites, if any.
    struct Message {
        let text: String
        /// A link into `/imports/format` when the message rests on a rule of the format.
        let formatLink: String?
    }

    static func message(_ text: String) -> Message {
        var text = text
        for (operatorWording, pageWording) in replacements {
            text = text.replacingOccurrences(of: operatorWording, with: pageWording)
        }
        var link: String?
        // "(Schema/ward-list.md §2)" → "(the file format, section 2)", linked.
        while let range = text.range(of: "Schema/ward-list.md") {
            var end = range.upperBound
            var section: Int?
            let rest = text[end...]
            if rest.hasPrefix(" §") {
                let digits = rest.dropFirst(2).prefix { $0.isNumber }
                section = Int(digits)
                end = text.index(end, offsetBy: 2 + digits.count)
            }
            text.replaceSubrange(range.lowerBound..<end, with: "the file format" + (section.map { ", section \($0)" } ?? ""))
            link = link ?? WardListFormatPage.link(section: section)
        }
        return Message(text: text, formatLink: link)
    }

    /// Operator instructions and what a page user does instead.
    static let replacements: [(String, String)] = [
        (
            "--snapshot-date yyyy-mm-dd, ?snapshot_date= on the API, or a yyyy-mm-dd in the inbox file name",
            "fill in the “Snapshot date” box when you send the file"
        ),
        ("snapshot_date as a query parameter or form field", "fill in the “Snapshot date” box when you send the file"),
        ("register it with `stranded sites add` or correct the code", "ask an administrator to register the site, or correct the code"),
        ("register it with `stranded sites add`", "ask an administrator to register the site"),
        ("add it first with `stranded sites add-organisation`", "ask an administrator to register the organisation"),
    ]

    /// How the list arrived, in words.
    static func source(_ source: String) -> String {
        switch source {
        case "web": "uploaded on this page"
        case "api": "sent to the API"
        case "inbox": "dropped in the inbox folder"
        case "cli": "imported on the server’s command line"
        case "demo": "loaded as demo data"
        case "feed": "made from the hospital feed at the list time"
        default: source
        }
    }
}
