/// Text made safe inside HTML or SVG: element content and quoted attribute
/// values alike. Every page and document the service writes goes through
/// this one function (Mustache's `{{value}}`, the charts, the summary, the
/// guides' Markdown).
///
/// Escaped by Unicode scalar, as a browser reads markup: a `"` followed by a
/// combining mark is one `Character` to Swift but still a quote that closes
/// an attribute to the browser, so matching whole characters would let it
/// through unescaped. Text holding none of the five (seen in its UTF-8
/// bytes, the usual case) is returned as it is.
public func markupEscaped(_ text: String) -> String {
    guard text.utf8.contains(where: needsEscaping) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

private func needsEscaping(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
    default: false
    }
}
