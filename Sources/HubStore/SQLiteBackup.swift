import Foundation
import GRDB

/// What a backup or restore produced, checked.
public struct BackupReport: Sendable, Hashable {
    /// The file written.
    public let path: String
    /// Its size in bytes.
    public let bytes: Int
    /// Its schema version and contents, as read back.
    public let schemaVersion: Int, batches: Int, records: Int, logEntries: Int
}

extension SQLiteHubStore {
    /// Copies the live store into a new file at `path` with SQLite's online backup (a consistent
    /// snapshot while the hub keeps running), then reads the copy back and checks its integrity.
    /// The copy is written beside `path` and renamed into place only once it checks out.
    public func backup(to path: String) async throws(StoreError) -> BackupReport {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .backup("\(path) already exists; backups are never overwritten, choose a new name")
        }
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let destination = try DatabaseQueue(path: partial)
            try pool.backup(to: destination)
            try destination.close()
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw .backup("the backup could not be written to \(partial) (\(error)); check the folder is writable and has room")
        }
        do {
            let report = try Self.inspect(partial, reportingAs: path)
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            return report
        } catch let error as StoreError {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        } catch {
            throw .backup("the backup could not be moved into place at \(path)")
        }
    }

    /// Restores the backup at `backup` into the store at `path`: checks the backup's integrity and
    /// schema version first, refuses to replace an existing store unless `replacing`, copies it in
    /// with SQLite's backup API, then opens the result (running any newer migrations). Run it with
    /// the hub stopped.
    public static func restore(from backup: String, to path: String, replacing: Bool) async throws(StoreError) -> BackupReport {
        let checked = try inspect(backup, reportingAs: backup)
        guard checked.schemaVersion <= Schema.currentVersion else {
            throw .newerSchema(found: checked.schemaVersion, known: Schema.currentVersion)
        }
        if FileManager.default.fileExists(atPath: path), !replacing {
            throw .backup("a store exists at \(path); stop the hub and pass --replace to overwrite it with the backup")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let source = try DatabaseQueue(path: backup, configuration: configuration)
            let destination = try DatabaseQueue(path: path)
            try source.backup(to: destination)
            try destination.close()
            try source.close()
        } catch { throw .backup("the backup could not be copied into \(path) (\(error))") }
        let store = try await SQLiteHubStore(path: path)
        let report = try await store.check()
        await store.close()
        guard report.isConsistent else { throw .backup("the restored store fails its check: \(report.problems.joined(separator: "; "))") }
        return try inspect(path, reportingAs: path)
    }

    /// Opens `file` read-only, checks SQLite's integrity, and counts what it holds.
    static func inspect(_ file: String, reportingAs path: String) throws(StoreError) -> BackupReport {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let db = try DatabaseQueue(path: file, configuration: configuration)
            defer { try? db.close() }
            return try db.read { db in
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                guard problems.isEmpty else { throw StoreError.backup("\(file) fails SQLite's integrity check: \(problems.joined(separator: "; "))") }
                let version = try Int.fetchOne(db, sql: "SELECT version FROM mashlink_schema") ?? 0
                let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                func count(_ table: String) throws -> Int { tables.contains(table) ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 : 0 }
                let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                return BackupReport(
                    path: path, bytes: bytes, schemaVersion: version, batches: try count("batches"), records: try count("records"),
                    logEntries: try count("log_entries"))
            }
        } catch let error as StoreError { throw error } catch {
            throw .backup("\(file) is not a mashlink store that SQLite can read (\(error))")
        }
    }
}
