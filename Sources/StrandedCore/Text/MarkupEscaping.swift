/// Text made safe inside HTML or SVG: element content and quoted attribute
/// values alike. The documents the service writes by hand (the charts, the
/// chief executives' summary, the guides' Markdown) and every page template
/// (each declares `{{% CONTENT_TYPE: STRANDEDHTML }}`) go through this one
/// function.
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
