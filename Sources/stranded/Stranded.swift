import ArgumentParser

@main
struct Stranded: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stranded",
        abstract: "Weekly review of stranded hospital patients: ward lists, Level 1 reviews, escalation, trends.",
        subcommands: [
            Serve.self, Migrate.self, Import.self, ImportDays.self, ImportStays.self, Sites.self, Demo.self, PlanCommand.self, Export.self,
            Trends.self, Cycle.self,
            Users.self,
            Tokens.self, SummaryCommand.self,
        ],
        defaultSubcommand: nil
    )
}
