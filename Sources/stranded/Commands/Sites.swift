import ArgumentParser
import Foundation
import Store
import Workflow

struct Sites: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage organisations, hospital sites and wards (the reference data lists are checked against).",
        subcommands: [List.self, AddOrganisation.self, Add.self, ImportCSV.self, Wards.self, FeedMap.self, FeedUnmap.self, FeedList.self]
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

    struct FeedMap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "feed-map",
            abstract: "Map a hospital feed's facility code (PV1-3.4 or MSH-4; FHIR serviceProvider) to a registered site, and optionally its ward codes."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The facility code as the feed sends it.") var facility: String
        @Argument(help: "The registered site it is.") var site: String
        @Option(name: .customLong("ward"), help: "FEED=WARD: the feed's ward code and the ward lists' code for it (repeatable).") var wards: [String] = []

        func run() async throws {
            let pairs = try wards.map { text in
                let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ValidationError("--ward takes FEED=WARD, e.g. --ward 7B=WARD7B, not \"\(text)\"")
                }
                return (parts[0], parts[1])
            }
            try await DatabaseRuntime.quietly(database) { runtime in
                let store = FeedStore(database: runtime.database)
                try await store.mapFacility(facility, toSite: site)
                for (feed, ward) in pairs { try await store.mapWard(facility: facility, feedCode: feed, wardCode: ward) }
            }
            print("Feed facility \(facility.uppercased()) is site \(site.uppercased())\(pairs.isEmpty ? "" : " (\(pairs.count) ward code(s) mapped)").")
        }
    }

    struct FeedUnmap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "feed-unmap", abstract: "Remove a feed facility's mapping (messages naming it are then refused).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The facility code.") var facility: String

        func run() async throws {
            let removed = try await DatabaseRuntime.quietly(database) { runtime in
                try await FeedStore(database: runtime.database).unmapFacility(facility)
            }
            print(removed ? "Feed facility \(facility.uppercased()) unmapped." : "Feed facility \(facility.uppercased()) was not mapped.")
        }
    }

    struct FeedList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "feed-list", abstract: "List feed facility and ward code mappings.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let mapped = try await DatabaseRuntime.quietly(database) { runtime in
                try await FeedStore(database: runtime.database).mappedFacilities()
            }
            if mapped.isEmpty { print("No feed facility is mapped. Map one with `stranded sites feed-map FACILITY SITE`.") }
            for facility in mapped {
                print("\(facility.facility)\t\(facility.siteCode)")
                for ward in facility.wards { print("\t\(ward.feedCode) -> \(ward.wardCode)") }
            }
        }
    }
}
