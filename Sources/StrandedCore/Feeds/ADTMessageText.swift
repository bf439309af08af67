import Foundation

/// Writes an ADT message in the shape English PAS feeds send (2.4 by
/// default, with a Z-segment), for the tests, the benchmark and the demo;
/// the service itself only reads messages.
public enum ADTMessageText {
    public static func make(
        _ trigger: ADTTrigger,
        controlID: String,
        facility: String = "ACU1",
        at eventTime: Date,
        nhsNumber: String? = nil,
        localID: String? = nil,
        visit: String,
        ward: String? = nil,
        bed: String? = nil,
        priorWard: String? = nil,
        disposition: String? = nil,
        admitTime: Date? = nil,
        dischargeTime: Date? = nil,
        version: String = "2.4",
        family: String = "TESTPATIENT",
        given: String = "ALEX",
        separator: String = "\r"
    ) -> String {
        let time = HL7Time.text(eventTime)
        var identifiers: [String] = []
        if let localID { identifiers.append("\(localID)^^^\(facility)^MR") }
        if let nhsNumber { identifiers.append("\(nhsNumber)^^^NHS^NH") }
        var pv1 = Array(repeating: "", count: 46)
        pv1[0] = "PV1"
        pv1[1] = "1"
        pv1[2] = "I"
        if let ward { pv1[3] = "\(ward)^^\(bed ?? "")^\(facility)" }
        if let priorWard { pv1[6] = "\(priorWard)^^^\(facility)" }
        pv1[19] = visit
        pv1[36] = disposition ?? ""
        pv1[44] = admitTime.map(HL7Time.text) ?? ""
        pv1[45] = dischargeTime.map(HL7Time.text) ?? ""
        while pv1.last == "" { pv1.removeLast() }
        let trigger = trigger.rawValue
        let segments = [
            "MSH|^~\\&|PAS|\(facility)|STRANDED|STRANDED|\(time)||ADT^\(trigger)\(version == "2.3" ? "" : "^ADT_A01")|\(controlID)|P|\(version)",
            "EVN|\(trigger)|\(time)||||\(time)",
            "PID|1||\(identifiers.joined(separator: "~"))||\(family)^\(given)||19400101|U",
            pv1.joined(separator: "|"),
            "ZU1|\(time)|LOCAL^EXTENSION",
        ]
        return segments.joined(separator: separator) + separator
    }
}
