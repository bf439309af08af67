import ArgumentParser
import Foundation
import Store

/// `stranded tokens …`: API bearer tokens for machines.
struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API bearer tokens (e.g. for the nightly ward list upload).",
        subcommands: [Create.self, Revoke.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it, once: it is stored only as a hash.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A name for the token, e.g. nightly-upload.") var name: String
        @Option(name: .customLong("role"), help: Users.roleHelp) var roles: [String] = []

        func run() async throws {
            let grants = try Users.grants(roles)
            let (token, record) = try await DatabaseRuntime.quietly(database) { runtime in
                try await TokenStore(database: runtime.database).create(name: name, roles: grants, by: .commandLine)
            }
            FileHandle.standardError.write(
                Data(
                    "Token \(record.name) (\(record.roles.summary)) created. It is shown only now; send it as `Authorization: Bearer <token>`:\n".utf8
                )
            )
            print(token)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name: it stops working at once.")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String

        func run() async throws {
            try await DatabaseRuntime.quietly(database) { runtime in
                try await TokenStore(database: runtime.database).revoke(name: name, by: .commandLine)
            }
            print("Token \(name) revoked.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (names, first characters, roles, last use).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let tokens = try await DatabaseRuntime.quietly(database) { runtime in
                try await TokenStore(database: runtime.database).tokens()
            }
            let formatter = ISO8601DateFormatter()
            for token in tokens {
                let state = token.revokedAt.map { "revoked \(formatter.string(from: $0))" } ?? "active"
                let used = token.lastUsedAt.map { formatter.string(from: $0) } ?? "never used"
                print("\(token.name)\t\(token.prefix)…\t\(state)\t\(used)\t\(token.roles.summary)")
            }
        }
    }
}
