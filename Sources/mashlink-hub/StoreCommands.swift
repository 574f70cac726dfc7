import ArgumentParser
import CommandSupport
import Disclosure
import HubCommandSupport
import Foundation
import HubStore
import Tokenisation

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the store and the hub's release and log keys (private halves passphrase-wrapped).",
        discussion: """
            Example:
              MASHLINK_PASSPHRASE=... mashlink-hub init --keys hub-keys
            Give agencies hub-keys/hub-release.pub.pem (they seal payloads to it) and give agencies and
            the DPO hub-keys/hub-log.pub.pem (it verifies the disclosure log). Keep the .key files and
            their passphrase safe: without them released payloads cannot be opened.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Folder for the hub's key files.") var keys = "hub-keys"
    @OptionGroup var passphrase: PassphraseOptions

    func run() async throws {
        let (backend, version) = try await database.withStore { ($0.backend, try await $0.schemaVersion()) }
        let (release, log) = try HubKeys.create(in: keys, passphrase: try passphrase.passphrase(for: "the hub's keys"))
        // The log's verifier key, one line, for the DPO and agencies (mashlink-audit --log-key).
        let vkey = try LogKeys.verifierKey(for: log)
        try Data((vkey + "\n").utf8).write(to: URL(fileURLWithPath: (keys as NSString).appendingPathComponent(LogKeys.verifierKeyFile)))
        print("store ready (\(backend.rawValue), schema version \(version)); release key \(release.keyID), log key \(log.keyID) in \(keys)/")
        print("disclosure-log verifier key (give it to the DPO and agencies): \(keys)/\(LogKeys.verifierKeyFile)")
    }
}

struct Agency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register agencies and list them.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an agency with its signing public key.",
            discussion: "Example:\n  mashlink-hub agency add police --signing-key police-signing.pub.pem")
        @Argument(help: "The agency's name, as in its batch headers.") var name: String
        @Option(help: "The agency's signing public key (PEM).") var signingKey: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let key = try AgencyKeys.signingPublicKey(at: signingKey)
            try await database.withStore { try await $0.registerAgency(name: name, signingKey: key) }
            print("registered \(name) with signing key \(key.keyID)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered agencies and their key ids.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let agencies = try await database.withStore { try await $0.agencies() }
            for a in agencies { print("\(a.name)\t\(a.signingKey.keyID)") }
        }
    }
}

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify and store batches: each wholly or not at all.",
        discussion: """
            Example:
              mashlink-hub ingest police.mlb health.mlb
            A batch is refused (and nothing of it kept) if its agency is not registered, its signature
            or content does not verify, it was ingested before, or it was made under another linkage key.
            A new batch from an agency supersedes its previous one. Exit status 1 if any batch was refused.
            """)

    @Argument(help: "Batches to ingest.") var batches: [String]
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let refused = try await database.withStore { store in
            var refused = 0
            for path in batches {
                do {
                    let r = try await store.ingest(batchAt: path)
                    print("\(path): \(r.records) records from \(r.agency), batch \(r.batchID)" + (r.superseded.map { ", supersedes \($0)" } ?? ""))
                } catch {
                    refused += 1
                    FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
                }
            }
            return refused
        }
        if refused > 0 { throw ExitCode(1) }
    }
}

struct Batches: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List stored batches (no records, no identifiers).")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let batches = try await database.withStore { try await $0.batches() }
        print("batch\tagency\trecords\tstatus\tlinkage key\tingested")
        for b in batches { print("\(b.batchID)\t\(b.agency)\t\(b.recordCount)\t\(b.status.rawValue)\t\(b.linkageKeyID)\t\(b.ingestedAt)") }
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the store's integrity; exit status 1 with a list of problems if it is not consistent.")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The log's verifier key file (hub-log.vkey), to check the latest checkpoint's signature too.") var logKey: String?

    func run() async throws {
        let verifier = try logKey.map { try LogKeys.readVerifier(at: $0) }
        let (backend, report, log) = try await database.withStore { store in
            (store.backend, try await store.check(), try await LogIntegrity.check(store, verifier: verifier))
        }
        let problems = report.problems + log.problems
        print("\(backend.rawValue): \(report.batches) batches, \(report.records) records, \(log.entries) log entries, "
            + (problems.isEmpty ? "consistent" : "\(problems.count) problems"))
        for p in problems { print("  \(p)") }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete the records of superseded batches once their agency's newer batch is linked.",
        discussion: """
            Example:
              mashlink-hub purge --database sqlite://./mashlink.db
            Each purged batch keeps its row (header and content digest), so it can never be replayed;
            its records and index entries go. A superseded batch still linked (its agency's newer
            batch has not been linked yet) is kept: run 'mashlink-hub link' first.
            """)
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let report = try await database.withStore { try await $0.purgeSuperseded() }
        print("purged \(report.batches.count) superseded batches (\(report.records) records)")
        if !report.stillLinked.isEmpty {
            print("kept \(report.stillLinked.count) superseded batches whose records are still linked: run 'mashlink-hub link', then purge again")
        }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Back up the SQLite store to a new file while the hub runs, and check the copy.",
        discussion: """
            Example:
              mashlink-hub backup --database sqlite://./mashlink.db --to backups/mashlink-2026-12-01.db
            The copy is a consistent snapshot (SQLite's online backup), checked before it is put in
            place. For PostgreSQL use pg_dump (docs/store.md).
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup file to create (never overwritten).") var to: String

    func run() async throws {
        let report = try await database.withStore { store in
            guard let sqlite = store as? SQLiteHubStore else {
                throw ValidationError("backup is for the SQLite store; back up PostgreSQL with pg_dump (see docs/store.md)")
            }
            return try await sqlite.backup(to: to)
        }
        print("backed up to \(report.path): \(report.bytes) bytes, schema version \(report.schemaVersion), \(report.batches) batches, \(report.records) records, \(report.logEntries) log entries; integrity ok")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore the SQLite store from a backup (with the hub stopped).",
        discussion: """
            Example:
              mashlink-hub restore backups/mashlink-2026-12-01.db --database sqlite://./mashlink.db --replace
            The backup is checked first; an existing store is replaced only with --replace. After a
            restore, verify the disclosure log against the DPO's saved checkpoint: entries logged
            after the backup are not in it, and mashlink-audit verify --previous will say so.
            """)
    @Argument(help: "The backup file.") var backup: String
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Replace the store at --database if one exists.") var replace = false

    func run() async throws {
        guard database.database.hasPrefix("sqlite://") else {
            throw ValidationError("restore is for the SQLite store; restore PostgreSQL with pg_restore (see docs/store.md)")
        }
        let path = String(database.database.dropFirst("sqlite://".count))
        let report = try await SQLiteHubStore.restore(from: backup, to: path, replacing: replace)
        print("restored \(backup) into \(path): schema version \(report.schemaVersion), \(report.batches) batches, \(report.records) records, \(report.logEntries) log entries; check passed")
    }
}
