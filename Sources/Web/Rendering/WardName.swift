import Foundation

/// How a ward is named on pages. Trusts name their wards "Ward 4", "Ward
/// 7A" or "Cherwell"; putting "Ward" in front of the first kind reads
/// "Ward Ward 4", so the word is added only when the name lacks it.
enum WardName {
    /// `"Ward 4 (W4)"`, `"Cherwell ward (CHW)"`, or the code alone when the ward has no name.
    static func display(name: String?, code: String) -> String {
        guard let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return "Ward \(code)" }
        return "\(labelled(name)) (\(code))"
    }

    /// The name with "Ward" in front, unless it already says ward.
    static func labelled(_ name: String) -> String {
        name.lowercased().split(separator: " ").contains("ward") ? name : "Ward \(name)"
    }
}
