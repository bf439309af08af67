import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("COPY streaming and LISTEN/NOTIFY")
struct CopyAndNotifyTests {
    @Test func copiesOneHundredThousandRowsInChunks() async throws {
        try await TestCluster.withDatabase { database in
            try await database.client.withConnection { connection in
                try await connection.runScript("CREATE TEMP TABLE copied (n integer, label text)")
                let copied = try await connection.copyFrom("COPY copied (n, label) FROM STDIN", bufferSize: 64 * 1024) { writer in
                    for n in 1...100_000 {
                        let label = n % 1000 == 0 ? nil : "row\t\(n) – ü\\"
                        try await writer.writeLine { line in
                            line.integer(n)
                            line.text(label)
                        }
                    }
                }
                #expect(copied == 100_000)
                let rows = try await connection.query("SELECT count(*) AS n, sum(n) AS total, count(label) AS labelled FROM copied")
                #expect(try rows[0].decode("n") == 100_000)
                #expect(try rows[0].decode("total") == 5_000_050_000 as Int64)
                #expect(try rows[0].decode("labelled") == 99_900)
                let sample = try await connection.query("SELECT label FROM copied WHERE n = 7")
                #expect(try sample[0].decode("label") == "row\t7 – ü\\")
            }
        }
    }

    @Test func copyLinesCarryNegativeNumbersDatesNullsAndEscapes() async throws {
        try await TestCluster.withDatabase { database in
            try await database.client.withConnection { connection in
                try await connection.runScript("CREATE TEMP TABLE typed (n bigint, d date, t text, missing text)")
                try await connection.copyFrom("COPY typed FROM STDIN") { writer in
                    try await writer.writeLine { line in
                        line.integer(Int64.min + 1)
                        line.date(year: 2024, month: 2, day: 29)
                        line.text("back\\slash\ttab\nnewline\rreturn")
                        line.text(nil)
                    }
                }
                let rows = try await connection.query("SELECT n, d::text AS d, t, missing FROM typed")
                #expect(try rows[0].decode("n") == Int64.min + 1)
                #expect(try rows[0].decode("d") == "2024-02-29")
                #expect(try rows[0].decode("t") == "back\\slash\ttab\nnewline\rreturn")
                #expect(try rows[0].decode("missing", as: String?.self) == nil)
            }
        }
    }

    struct Stop: Error {}

    @Test func aFailedCopyLeavesNothingBehind() async throws {
        try await TestCluster.withDatabase { database in
            try await database.client.withConnection { connection in
                try await connection.runScript("CREATE TEMP TABLE copied (n integer)")
                await #expect(throws: Stop.self) {
                    try await connection.transaction { connection in
                        try await connection.copyFrom("COPY copied FROM STDIN") { writer in
                            try await writer.write("1\n2\n")
                            throw Stop()
                        }
                    }
                }
                let rows = try await connection.query("SELECT count(*) AS n FROM copied")
                #expect(try rows[0].decode("n") == 0)
                // Aborted with a chunk still being sent: the abort waits for it,
                // and the connection is usable afterwards.
                await #expect(throws: Stop.self) {
                    try await connection.copyFrom("COPY copied FROM STDIN", bufferSize: 16) { writer in
                        for n in 1...5_000 { try await writer.write("\(n)\n") }
                        throw Stop()
                    }
                }
                let after = try await connection.query("SELECT count(*) AS n FROM copied")
                #expect(try after[0].decode("n") == 0)
                // Bad data is reported by the server as an error with its SQLSTATE.
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.copyFrom("COPY copied FROM STDIN") { try await $0.write("not a number\n") }
                }
                #expect(error?.sqlState == "22P02")
            }
        }
    }

    /// The reason given to an abandoned COPY lands in the server's log
    /// ("COPY from stdin failed: …"); an error's text may quote the data.
    @Test func anAbortedCopyTellsTheServerAFixedReasonNotTheError() async throws {
        struct Quoting: Error, CustomStringConvertible { var description: String { "the header has: Wq9991000089 | Wqfamilyname" } }
        try await TestCluster.withDatabase { database in
            try await database.client.withConnection { connection in
                try await connection.runScript("CREATE TEMP TABLE copied (n integer)")
                await #expect(throws: Quoting.self) {
                    try await connection.copyFrom("COPY copied FROM STDIN") { _ in throw Quoting() }
                }
            }
        }
        let log = try String(contentsOfFile: try await TestCluster.shared.cluster().dataDirectory + "/server.log", encoding: .utf8)
        #expect(!log.contains("Wq9991000089") && !log.contains("Wqfamilyname"))
        #expect(log.contains("COPY from stdin failed: \(PostgresConnection.copyAbortReason)"))
    }

    @Test func notificationsArriveOnTheListeningConnection() async throws {
        try await TestCluster.withDatabase { database in
            let connectionString = database.client.configuration.connectionString
            let listener = try await PostgresListener.listen(connectionString: connectionString, channels: ["imports", "week opened"])
            defer { listener.stop() }
            try await database.client.withConnection { connection in
                try await connection.notify(channel: "imports", payload: "file 1 accepted")
                try await connection.notify(channel: "week opened", payload: "2026-11-23")
            }
            var received: [PostgresNotification] = []
            for await notification in listener.notifications {
                received.append(notification)
                if received.count == 2 { break }
            }
            #expect(received.map(\.channel) == ["imports", "week opened"])
            #expect(received.map(\.payload) == ["file 1 accepted", "2026-11-23"])
        }
    }
}
