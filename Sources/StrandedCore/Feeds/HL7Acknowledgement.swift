import Foundation

/// The answer to every message: `AA` once it is stored, `AE` when its
/// content cannot be used, `AR` when it is not a message this service takes.
/// `AE`/`AR` carry an `ERR` segment naming the field, in the form the
/// message's own version expects (ERR-1 up to 2.4, ERR-2/3/4/8 from 2.5).
public enum HL7Acknowledgement {
    public enum Code: String, Sendable {
        case accept = "AA"
        case error = "AE"
        case reject = "AR"
    }

    /// Builds the ACK for `message` (or for raw text that did not parse:
    /// then the header is echoed as far as it could be read).
    public static func build(
        for message: HL7Message?,
        code: Code,
        problem: ADTProblem? = nil,
        controlID: String,
        now: Date = Date()
    ) -> String {
        let sendingApp = message?.value("MSH", 3) ?? ""
        let sendingFacility = message?.value("MSH", 4) ?? ""
        let receivedControlID = message?.value("MSH", 10) ?? ""
        let trigger = message?.value("MSH", 9, component: 2) ?? ""
        let version = message?.value("MSH", 12).flatMap { ADTEvent.versions.contains($0) ? $0 : nil } ?? "2.4"
        let processing = message?.value("MSH", 11) ?? "P"
        var segments = [
            "MSH|^~\\&|STRANDED|STRANDED|\(escape(sendingApp))|\(escape(sendingFacility))|\(HL7Time.text(now))||ACK^\(escape(trigger))^ACK|\(escape(controlID))|\(escape(processing))|\(version)",
            "MSA|\(code.rawValue)|\(escape(receivedControlID))" + (problem.map { "|\(escape($0.reason))" } ?? ""),
        ]
        if let problem {
            let (segment, field) = position(problem.field)
            if version.hasPrefix("2.3") || version == "2.4" {
                segments.append("ERR|\(segment)^1^\(field)^\(problem.code)&\(escape(problem.reason))")
            } else {
                segments.append("ERR||\(segment)^1^\(field)|\(problem.code)^\(escape(problem.reason))^HL70357|E||||\(escape(problem.reason))")
            }
        }
        return segments.joined(separator: "\r") + "\r"
    }

    /// "PV1-19" → ("PV1", "19"); a bare segment name has no field.
    static func position(_ field: String) -> (String, String) {
        let parts = field.split(separator: "-", maxSplits: 1)
        return (String(parts.first ?? ""), parts.count > 1 ? String(parts[1]) : "")
    }

    /// Escapes the default delimiters in text put into an ACK.
    public static func escape(_ text: String) -> String {
        // Most values (control ids, facility codes) have nothing to escape.
        guard text.utf8.contains(where: { "\\|^&~\r\n".utf8.contains($0) }) else { return text }
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\E\\"
            case "|": result += "\\F\\"
            case "^": result += "\\S\\"
            case "&": result += "\\T\\"
            case "~": result += "\\R\\"
            case "\r", "\n": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}

extension ADTProblem {
    /// The HL7 table 0357 error code: unsupported type/event/version for a
    /// reject, required field missing or data type error otherwise.
    public var code: Int {
        if reject {
            switch field {
            case "MSH-12": return 203
            case "MSH-9": return reason.contains("trigger") ? 201 : 200
            default: return 200
            }
        }
        if reason.contains("required") { return 101 }
        if reason.contains("no site") || reason.contains("not mapped") { return 204 }
        return 102
    }
}
