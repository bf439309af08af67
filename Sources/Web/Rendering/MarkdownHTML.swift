import Foundation
import StrandedCore

/// Turns the service's own Markdown contracts (e.g. the ward list format)
/// into HTML for a page. Only what those documents use: ATX headings,
/// paragraphs, `-`/`*` and numbered lists (with indented continuation
/// lines), pipe tables, fenced code, and inline code, bold, italics and
/// links. Every piece of text is escaped; the only markup is the renderer's.
enum MarkdownHTML {
    static func render(_ markdown: String) -> String {
        var renderer = BlockRenderer(lines: markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        return renderer.render()
    }

    /// The id a heading gets, so messages can link to a section: `"6. What is checked"` → `"6-what-is-checked"`.
    static func anchor(_ heading: String) -> String {
        var out = ""
        var pendingDash = false
        for character in heading.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.append(character)
            } else {
                pendingDash = true
            }
        }
        return out
    }

    static func escape(_ text: some StringProtocol) -> String {
        markupEscaped(String(text))
    }

    /// Inline markup of one run of text: `code`, **bold**, *italics*, [text](href).
    static func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let first = rest.first {
            if first == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                out += "<code>" + escape(rest[rest.index(after: rest.startIndex)..<end]) + "</code>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**") {
                out += "<strong>" + inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])) + "</strong>"
                rest = rest[end.upperBound...]
            } else if first == "*", rest.count > 1, rest.dropFirst().first != " ", let end = rest.dropFirst().firstIndex(of: "*") {
                out += "<em>" + inline(String(rest[rest.index(after: rest.startIndex)..<end])) + "</em>"
                rest = rest[rest.index(after: end)...]
            } else if first == "[", let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix("("),
                let end = rest[close...].firstIndex(of: ")")
            {
                let label = String(rest[rest.index(after: rest.startIndex)..<close])
                let href = rest[rest.index(close, offsetBy: 2)..<end]
                out += "<a href=\"" + escape(href) + "\">" + inline(label) + "</a>"
                rest = rest[rest.index(after: end)...]
            } else {
                out += escape(String(first))
                rest = rest.dropFirst()
            }
        }
        return out
    }
}

private struct BlockRenderer {
    let lines: [String]
    var index = 0
    var html = ""

    init(lines: [String]) {
        self.lines = lines
    }

    mutating func render() -> String {
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                index += 1
            } else if trimmed.hasPrefix("```") {
                code(language: String(trimmed.dropFirst(3)))
            } else if let level = Self.headingLevel(trimmed) {
                let text = trimmed.dropFirst(level).trimmingCharacters(in: .whitespaces)
                // The page's own title is its only h1.
                let tag = "h\(max(level, 2))"
                html += "<\(tag) id=\"\(MarkdownHTML.anchor(text))\">\(MarkdownHTML.inline(text))</\(tag)>\n"
                index += 1
            } else if trimmed.hasPrefix("|") {
                table()
            } else if Self.listMarker(line) != nil {
                list()
            } else {
                paragraph()
            }
        }
        return html
    }

    /// `#` … `#####`.
    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...5).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    /// The list kind and the text after the marker of a list item line.
    static func listMarker(_ line: String) -> (ordered: Bool, text: String)? {
        guard line.first != " " else { return nil }
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") { return (true, String(line.dropFirst(digits.count + 2))) }
        return nil
    }

    static func startsBlock(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("```") || headingLevel(trimmed) != nil || trimmed.hasPrefix("|") || listMarker(line) != nil
    }

    mutating func paragraph() {
        var text: [String] = []
        while index < lines.count, text.isEmpty || !Self.startsBlock(lines[index]) {
            text.append(lines[index].trimmingCharacters(in: .whitespaces))
            index += 1
        }
        html += "<p>" + MarkdownHTML.inline(text.joined(separator: " ")) + "</p>\n"
    }

    mutating func list() {
        guard let first = Self.listMarker(lines[index]) else { return }
        let tag = first.ordered ? "ol" : "ul"
        html += "<\(tag)>\n"
        while index < lines.count, let item = Self.listMarker(lines[index]), item.ordered == first.ordered {
            var text = [item.text]
            index += 1
            // Indented lines continue the item.
            while index < lines.count, lines[index].first == " ", !lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
                text.append(lines[index].trimmingCharacters(in: .whitespaces))
                index += 1
            }
            html += "<li>" + MarkdownHTML.inline(text.joined(separator: " ")) + "</li>\n"
        }
        html += "</\(tag)>\n"
    }

    mutating func table() {
        var rows: [[String]] = []
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
            rows.append(Self.cells(lines[index]))
            index += 1
        }
        let isSeparator = { (row: [String]) in row.allSatisfy { !$0.isEmpty && $0.allSatisfy { "-: ".contains($0) } } }
        let header = rows.count > 1 && isSeparator(rows[1]) ? rows[0] : nil
        let body = header == nil ? rows : Array(rows.dropFirst(2))
        html += "<table>\n"
        if let header {
            html += "<thead><tr>" + header.map { "<th scope=\"col\">\(MarkdownHTML.inline($0))</th>" }.joined() + "</tr></thead>\n"
        }
        html += "<tbody>\n"
        for row in body {
            html += "<tr>" + row.map { "<td>\(MarkdownHTML.inline($0))</td>" }.joined() + "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
    }

    /// The cells of a `| a | b |` line; `\|` is a literal bar, and bars inside `code` do not split.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var inCode = false
        var escaped = false
        for character in line.trimmingCharacters(in: .whitespaces) {
            if escaped {
                if character != "|" { current.append("\\") }
                current.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "`":
                inCode.toggle()
                current.append(character)
            case "|" where !inCode:
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            default: current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { cells.append(current.trimmingCharacters(in: .whitespaces)) }
        // The leading bar leaves an empty first cell.
        if cells.first == "" { cells.removeFirst() }
        return cells
    }

    mutating func code(language: String) {
        index += 1
        var text: [String] = []
        while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
            text.append(lines[index])
            index += 1
        }
        index += 1
        let languageClass = language.isEmpty ? "" : " class=\"language-\(MarkdownHTML.escape(language))\""
        html += "<pre><code\(languageClass)>" + MarkdownHTML.escape(text.joined(separator: "\n")) + "</code></pre>\n"
    }
}
