import Foundation
import GRDB
import Logging
import PostgresNIO
@testable import HubStore

/// Test-only access to the databases behind the stores.
enum PostgresReset {
    static func withClient<T>(_ url: String, _ body: (PostgresClient) async throws -> T) async throws -> T {
        let parts = URLComponents(string: url)!
        let client = PostgresClient(configuration: .init(
            host: parts.host!, port: parts.port ?? 5432, username: parts.user!, password: parts.password,
            database: String(parts.path.dropFirst()), tls: .disable))
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        return try await body(client)
    }

    static func dropAll(_ url: String) async throws {
        try await withClient(url) { client in
            var tables: [String] = []
            for try await t in try await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").decode(String.self) { tables.append(t) }
            for table in tables { try await client.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \"\(table)\" CASCADE")) }
        }
    }
}

enum SchemaTamper {
    static func setVersion(_ url: String, _ version: Int) async throws {
        try await execute(url, "UPDATE mashlink_schema SET version = \(version)")
    }

    /// Runs `sql` on the store behind its back (what a crash, an old build or an intruder leaves).
    static func execute(_ url: String, _ sql: String) async throws {
        if url.hasPrefix("sqlite://") {
            let db = try DatabaseQueue(path: String(url.dropFirst("sqlite://".count)))
            try await db.write { try $0.execute(sql: sql) }
        } else {
            _ = try await PostgresReset.withClient(url) { try await $0.query(PostgresQuery(unsafeSQL: sql)) }
        }
    }
}

enum DatabaseDump {
    /// Every text and blob value in every table, concatenated (blobs read as UTF-8).
    static func allText(_ url: String) async throws -> String {
        var out = ""
        if url.hasPrefix("sqlite://") {
            let db = try DatabaseQueue(path: String(url.dropFirst("sqlite://".count)))
            out = try await db.read { db in
                var text = ""
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                    for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                        for (_, value) in row {
                            switch value.storage {
                            case .string(let s): text += s + "\n"
                            case .blob(let d): text += String(decoding: d, as: UTF8.self) + "\n"
                            default: break
                            }
                        }
                    }
                }
                return text
            }
        } else {
            try await PostgresReset.withClient(url) { client in
                var tables: [String] = []
                for try await t in try await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").decode(String.self) { tables.append(t) }
                for table in tables {
                    // Each row as text (bytea shows as hex, so blobs are also read decoded).
                    for try await line in try await client.query(PostgresQuery(unsafeSQL: "SELECT t::text FROM \"\(table)\" t")).decode(String.self) { out += line + "\n" }
                }
                for try await b in try await client.query("SELECT line FROM records").decode(ByteBuffer.self) { out += String(buffer: b) + "\n" }
            }
        }
        return out
    }
}
