import ArgumentParser
import Foundation
import Workflow

/// `--config FILE` (or `STRANDED_CONFIG`): the rules every command runs with.
///
/// Read once per command, before anything else happens, and passed down: a
/// command that imports a list, exports trends or builds a summary uses the
/// same thresholds, timetable and taxonomy as the service it sits beside.
struct ConfigurationOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help:
            "Configuration JSON: thresholds, timetable, escalation rules, delay reasons, plan RAG, scheduler (env STRANDED_CONFIG; default: DESIGN §3)."
    )
    var path: String?

    /// The configuration, or a usage error naming each problem in the file.
    func load() throws -> CycleConfiguration {
        do {
            return try CycleConfiguration.resolve(path: path)
        } catch let error as CycleConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
