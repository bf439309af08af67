/// Text made safe inside HTML or SVG: element content and quoted attribute
/// values alike. Every document Reports writes by hand (charts, the chief
/// executive summary) goes through this one function.
func markupEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}
