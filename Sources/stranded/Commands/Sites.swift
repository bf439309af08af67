import ArgumentParser
import Foundation
import Store
import Workflow

struct Sites: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage organisations, hospital sites and wards (the reference data lists are checked against).",
        subcommands: [List.self, AddOrganisation.self, Add.self, ImportCSV.self, Wards.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered sites.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let sites = try await DatabaseRuntime.quietly(database) { runtime in
                try await ReferenceDataStore(database: runtime.database).sites()
            }
            if sites.isEmpty { print("No sites registered. Add them with `stranded sites add` or `stranded sites import FILE`.") }
            for site in sites { print("\(site.code)\t\(site.setting)\t\(site.organisationCode)\t\(site.name)") }
        }
    }

    struct AddOrganisation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-organisation", abstract: "Register (or rename) an organisation.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Organisation code, e.g. an ODS code.") var code: String
        @Argument(help: "Organisation name.") var name: String

        func run() async throws {
            try await DatabaseRuntime.quietly(database) { runtime in
                try await ReferenceDataStore(database: runtime.database).upsertOrganisation(code: code, name: name)
            }
            print("Organisation \(code.uppercased()) registered.")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register (or update) a hospital site.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Site code as it appears in ward lists.") var code: String
        @Option(help: "Site name.") var name: String
        @Option(help: "acute or community.") var setting: String
        @Option(help: "Code of the organisation that runs it.") var organisation: String

        func run() async throws {
            try await DatabaseRuntime.quietly(database) { runtime in
                try await ReferenceDataStore(database: runtime.database).upsertSite(
                    code: code,
                    name: name,
                    setting: setting,
                    organisationCode: organisation
                )
            }
            print("Site \(code.uppercased()) registered.")
        }
    }

    struct ImportCSV: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Register sites from a CSV: organisation_code, organisation_name, site_code, site_name, setting."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The reference CSV file.") var file: String

        func run() async throws {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let count = try await DatabaseRuntime.quietly(database) { runtime in
                try await SiteReferenceImporter(database: runtime.database).importCSV(text)
            }
            print("\(count) site(s) registered from \(file).")
        }
    }

    struct Wards: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List wards (those registered by an import are marked).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this site.") var site: String?

        func run() async throws {
            let wards = try await DatabaseRuntime.quietly(database) { runtime in
                try await ReferenceDataStore(database: runtime.database).wards(siteCode: site)
            }
            for ward in wards {
                print("\(ward.siteCode)\t\(ward.code)\t\(ward.name ?? "")\(ward.registeredByImport ? "\t(registered by an import)" : "")")
            }
        }
    }
}
