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

    func run() async throws {
        let (backend, report) = try await database.withStore { ($0.backend, try await $0.check()) }
        print("\(backend.rawValue): \(report.batches) batches, \(report.records) records, " + (report.isConsistent ? "consistent" : "\(report.problems.count) problems"))
        for p in report.problems { print("  \(p)") }
        if !report.isConsistent { throw ExitCode(1) }
    }
}
