import Foundation
import Store
import StrandedCore
import WardListImport

/// One thing wrong with a metric values file: the line, the column and what to do.
public struct MetricRowProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public let line: Int
    public let column: String
    public let message: String

    public var description: String { "line \(line), \(column): \(message)" }
}

/// The metric values file (`Schema/metric-values.md`): CSV, UTF-8, a header
/// naming `metric`, `period`, `value` and `source` (any order, any case),
/// one value per line. Checked whole before anything is recorded, so a file
/// with any bad line records nothing.
public enum MetricValueFile {
    public static let columns = ["metric", "period", "value", "source"]
    /// More lines than any framework needs; refuses a wrong file early.
    public static let maxRows = 20_000

    /// The values in `data`, or every problem found.
    public static func parse(
        _ data: Data,
        metrics: [String: PlanEvaluationMetric],
        framework: EvaluationFramework
    ) -> Result<[MetricValueInput], MetricEntryError> {
        var records: [CSVRecord] = []
        var parser = CSVParser()
        do {
            try data.withUnsafeBytes { buffer in
                try parser.feed(buffer.bindMemory(to: UInt8.self)) { records.append($0) }
            }
            try parser.finish { records.append($0) }
        } catch {
            return .failure(.refused([MetricRowProblem(line: 1, column: "file", message: "cannot be read as CSV: \(error); save it as UTF-8 CSV")]))
        }
        func text(_ record: CSVRecord, _ index: Int) -> String {
            guard index < record.count else { return "" }
            return String(decoding: record[index], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        guard let header = records.first else {
            return .failure(
                .refused([
                    MetricRowProblem(
                        line: 1,
                        column: "file",
                        message: "is empty; give a header line metric,period,value,source and one line per value"
                    )
                ])
            )
        }
        let names = (0..<header.count).map { text(header, $0).lowercased() }
        var index: [String: Int] = [:]
        for column in columns {
            guard let position = names.firstIndex(of: column) else {
                return .failure(
                    .refused([
                        MetricRowProblem(
                            line: header.line,
                            column: "header",
                            message: "has no \"\(column)\" column; the header must name metric, period, value and source"
                        )
                    ])
                )
            }
            index[column] = position
        }
        guard records.count - 1 <= maxRows else {
            return .failure(
                .refused([MetricRowProblem(line: 1, column: "file", message: "has more than \(maxRows) values; split it into smaller files")])
            )
        }
        var problems: [MetricRowProblem] = []
        var values: [MetricValueInput] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            let cells = columns.map { text(record, index[$0]!) }
            if cells.allSatisfy(\.isEmpty) { continue }
            let (key, periodText, valueText, source) = (cells[0], cells[1], cells[2], cells[3])
            func problem(_ column: String, _ message: String) {
                problems.append(MetricRowProblem(line: record.line, column: column, message: message))
            }
            guard let metric = metrics[key] else {
                problem(
                    "metric",
                    key.isEmpty
                        ? "is empty; give the metric's id"
                        : "\"\(key)\" is not a metric of the evaluation framework; use an id listed on the metrics page"
                )
                continue
            }
            let setting = framework.setting(metric.id)
            if setting.feed != nil {
                problem("metric", "\"\(key)\" is filled in by the service from its own weekly figures; leave it out of the file")
                continue
            }
            let period = setting.period.start(of: periodText)
            if period == nil {
                problem("period", "\"\(periodText)\" is not a \(setting.period.rawValue) for \(key); write \(setting.period.example)")
            }
            let value = Double(valueText.replacingOccurrences(of: ",", with: ""))
            if value == nil || !(value!.isFinite) {
                problem("value", "\"\(valueText)\" is not a number; write it without units, e.g. 1234.5")
            }
            if source.isEmpty {
                problem("source", "is empty; say where the figure comes from (the return or report)")
            } else if let message = FreeTextField("source", .name).problem(source) {
                problem("source", message)
            }
            guard let period, let value, value.isFinite, !source.isEmpty else { continue }
            let identity = "\(key)@\(period.iso)"
            if let first = seen[identity] {
                problem("period", "\(key) for \(setting.period.name(period)) is already given on line \(first); give each period once")
                continue
            }
            seen[identity] = record.line
            values.append(MetricValueInput(metric: key, period: period, value: value, source: source))
        }
        if !problems.isEmpty { return .failure(.refused(problems)) }
        if values.isEmpty {
            return .failure(.refused([MetricRowProblem(line: 2, column: "file", message: "has a header but no values")]))
        }
        return .success(values)
    }
}
