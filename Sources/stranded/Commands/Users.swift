import ArgumentParser
import Foundation
import Store
import Web

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `stranded users …`: the first administrator is made here.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users and their roles (the first administrator is created here).",
        subcommands: [Add.self, Passwd.self, Roles.self, Disable.self, Enable.self, List.self]
    )

    static let roleHelp = ArgumentHelp(
        "A role, repeatable: administrator, data, ward:SITE/WARD[,…] (or ward:SITE), level2[:ORG,…], executive, plan-editor, viewer."
    )

    static func grants(_ texts: [String]) throws -> [RoleGrant] {
        guard !texts.isEmpty else { throw ValidationError(AccessError.noRoles.description) }
        do {
            return try texts.map { try RoleGrant(parsing: $0) }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// A new password: from standard input (one line) or typed twice without echo.
    static func readPassword(fromStdin: Bool) throws -> String {
        let password: String
        if fromStdin {
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password on standard input") }
            password = line
        } else {
            let first = try prompt("Password (12 to 72 bytes): ")
            let second = try prompt("Same password again: ")
            guard first == second else { throw ValidationError("the two passwords differ; nothing was changed") }
            password = first
        }
        if let problem = Passwords.check(password) { throw ValidationError(problem.description) }
        return password
    }

    /// Reads a line from the terminal with echo off.
    static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        let isTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if isTerminal {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        }
        defer {
            if isTerminal {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password given") }
        return line
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with a password and roles.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name: lower-case letters, digits, . _ @ -") var username: String
        @Option(name: .customLong("role"), help: Users.roleHelp) var roles: [String] = []
        @Option(name: .customLong("name"), help: "Full name shown on pages (default: the user name).") var displayName: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input instead of prompting.") var passwordStdin = false

        func run() async throws {
            let grants = try Users.grants(roles)
            let password = try Users.readPassword(fromStdin: passwordStdin)
            let hash = try await Passwords.hash(password)
            let user = try await DatabaseRuntime.quietly(database) { runtime in
                try await UserStore(database: runtime.database).create(
                    username: username,
                    displayName: displayName,
                    passwordHash: hash,
                    roles: grants,
                    by: .commandLine
                )
            }
            print("User \(user.username) added with roles \(user.roles.summary).")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (their sessions end).")
        @OptionGroup var database: DatabaseOptions
        @Argument var username: String
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input instead of prompting.") var passwordStdin = false

        func run() async throws {
            let hash = try await Passwords.hash(try Users.readPassword(fromStdin: passwordStdin))
            try await DatabaseRuntime.quietly(database) { runtime in
                try await UserStore(database: runtime.database).setPassword(username: username, passwordHash: hash, by: .commandLine)
            }
            print("Password of \(username) changed.")
        }
    }

    struct Roles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace a user's roles.")
        @OptionGroup var database: DatabaseOptions
        @Argument var username: String
        @Option(name: .customLong("role"), help: Users.roleHelp) var roles: [String] = []

        func run() async throws {
            let grants = try Users.grants(roles)
            try await DatabaseRuntime.quietly(database) { runtime in
                try await UserStore(database: runtime.database).setRoles(username: username, roles: grants, by: .commandLine)
            }
            print("Roles of \(username): \(grants.summary).")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: they cannot sign in and their sessions end at once.")
        @OptionGroup var database: DatabaseOptions
        @Argument var username: String

        func run() async throws {
            try await DatabaseRuntime.quietly(database) { runtime in
                try await UserStore(database: runtime.database).setDisabled(username: username, true, by: .commandLine)
            }
            print("User \(username) disabled.")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var database: DatabaseOptions
        @Argument var username: String

        func run() async throws {
            try await DatabaseRuntime.quietly(database) { runtime in
                try await UserStore(database: runtime.database).setDisabled(username: username, false, by: .commandLine)
            }
            print("User \(username) enabled.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and their roles.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let users = try await DatabaseRuntime.quietly(database) { runtime in
                try await UserStore(database: runtime.database).users()
            }
            if users.isEmpty { print("No users yet. Create the first administrator: stranded users add NAME --role administrator") }
            for user in users {
                print("\(user.username)\t\(user.disabled ? "disabled" : "active")\t\(user.roles.summary)\t\(user.displayName)")
            }
        }
    }
}
