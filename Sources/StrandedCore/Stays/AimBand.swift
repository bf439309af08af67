/// The band the share of acute admissions moved on before the stranded line
/// is aimed at (DESIGN.md: 85–90%): below it too many become stranded; above
/// it is fine, and shown as such rather than as a miss.
public struct AimBand: Hashable, Sendable, Codable {
    public var lowPercent: Int
    public var highPercent: Int

    public init(lowPercent: Int, highPercent: Int) {
        self.lowPercent = lowPercent
        self.highPercent = highPercent
    }

    public static let standard = AimBand(lowPercent: 85, highPercent: 90)

    /// "85–90%", as pages and exports print it.
    public var label: String { "\(lowPercent)–\(highPercent)%" }

    public enum Standing: String, Hashable, Sendable, Codable {
        case below, within, above
    }

    /// Where a share (0...1) stands against the band.
    public func standing(of share: Double) -> Standing {
        let percent = share * 100
        if percent < Double(lowPercent) { return .below }
        return percent > Double(highPercent) ? .above : .within
    }

    func problems() -> [String] {
        guard (0...100).contains(lowPercent), (0...100).contains(highPercent), lowPercent <= highPercent else {
            return ["lowPercent and highPercent must be percentages with lowPercent not above highPercent, got \(lowPercent) and \(highPercent)"]
        }
        return []
    }
}
