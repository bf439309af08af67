import ArgumentParser
import Foundation
import WardListImport

/// What an all-or-nothing file import prints (a days file, a stays extract):
/// its report as JSON, or one line when accepted, or each problem by line and
/// column when refused; a refused file exits 1.
enum FileImportOutput {
    static func finish(
        _ report: some Encodable,
        file: String,
        json: Bool,
        accepted: Bool,
        issues: [RowIssue],
        summary: () -> String
    ) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else if accepted {
            print("\(file): \(summary())")
        } else {
            print("\(file): refused, nothing recorded; \(issues.count) problem\(issues.count == 1 ? "" : "s"):")
            for issue in issues {
                print("  line \(issue.line)\(issue.column.map { ", \($0)" } ?? "")\(issue.value.map { " (\($0))" } ?? ""): \(issue.reason)")
            }
        }
        if !accepted { throw ExitCode(1) }
    }
}
