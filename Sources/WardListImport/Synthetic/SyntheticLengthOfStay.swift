import Foundation

/// How long a synthetic stay lasts, in whole days (discharge day − admission
/// day, so at least 1). A mixture, because a single lognormal cannot give both
/// "most stays are a few days" and "a few stays last months":
///
/// **Acute** (per admission; measured over 400,000 draws):
/// - 87 % short: lognormal, median 2.2 days, σ 0.65, rounded and clamped to 1…6;
/// - 12 % long: 7 + ⌊lognormal, median 4, σ 0.8⌋ (7 to ~40 days, median ~11);
/// - 1 % very long: Pareto from 21 days, α 1.3, capped at 150.
///
/// That gives a mean of 4.2 days; 13 % of admissions reach 7 days, 1.7 % reach
/// 21, 0.35 % reach 50 and 0.13 % reach 100 — the "85–90 % moved on before
/// seven days" the stranded-patient programme aims for. Because long stays
/// occupy beds for longer, a census (a snapshot of the beds, not of the
/// admissions) shows about 25 % of patients at LoS ≥ 7 and 8 % at LoS ≥ 21.
///
/// **Community** hospitals take people for rehabilitation, so stays are longer:
/// - 97 %: lognormal, median 16 days, σ 0.55, at least 2;
/// - 3 %: Pareto from 40 days, α 1.5, capped at 150.
///
/// Mean 20 days; 95 % of admissions reach 7 days; a census shows about 66 % at
/// LoS ≥ 7 and 24 % at LoS ≥ 21.
enum SyntheticLengthOfStay {
    /// The longest stay generated, in days.
    static let maximum = 150

    static func acute(_ random: inout SyntheticRandom) -> Int {
        let u = random.unit()
        if u < 0.87 {
            let x = exp(log(2.2) + 0.65 * random.gaussian())
            return min(6, max(1, Int(x.rounded())))
        } else if u < 0.99 {
            let x = exp(log(4.0) + 0.8 * random.gaussian())
            return min(maximum, 7 + Int(x))
        } else {
            return pareto(from: 21, alpha: 1.3, &random)
        }
    }

    static func community(_ random: inout SyntheticRandom) -> Int {
        if random.unit() < 0.97 {
            let x = exp(log(16.0) + 0.55 * random.gaussian())
            return min(maximum, max(2, Int(x.rounded())))
        }
        return pareto(from: 40, alpha: 1.5, &random)
    }

    static func draw(community: Bool, _ random: inout SyntheticRandom) -> Int {
        community ? self.community(&random) : acute(&random)
    }

    /// A stay in progress at a moment when the ward is in steady state: its
    /// total length drawn in proportion to length × probability (a bed is
    /// more likely to hold a long stay), then how far through it the patient
    /// is, uniformly. Used to fill the beds at the start without a long
    /// warm-up. Returns (total length, days already elapsed).
    static func inProgress(community: Bool, _ random: inout SyntheticRandom) -> (length: Int, elapsed: Int) {
        while true {
            let length = draw(community: community, &random)
            if random.below(maximum) < length {
                return (length, random.below(length))
            }
        }
    }

    private static func pareto(from minimum: Double, alpha: Double, _ random: inout SyntheticRandom) -> Int {
        let u = 1 - random.unit()  // (0, 1]
        let x = minimum * pow(u, -1 / alpha)
        return x >= Double(maximum) ? maximum : Int(x)
    }
}
