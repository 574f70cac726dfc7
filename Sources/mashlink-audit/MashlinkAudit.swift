import ArgumentParser
import CommandSupport
import Disclosure
import Foundation
import HubClient
import HubCommandSupport
import TransparencyLog

/// `mashlink-audit`: the data-protection officer's tool. It checks the hub's disclosure log offline,
/// trusting only the hub's log public key and the checkpoints the DPO saved before.
@main
struct MashlinkAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mashlink-audit",
        abstract: "Verify the hub's disclosure log offline, and prove or check an agency's receipt.",
        subcommands: [Export.self, Verify.self, Report.self, Prove.self, VerifyReceipt.self])
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the log (entries and the latest checkpoint) from the store, or through the hub's API.",
        discussion: """
            Examples:
              mashlink-audit export --database sqlite://./mashlink.db --out log-2026-12
              MASHLINK_USER_PASSWORD=... mashlink-audit export --hub https://mash-hub.example.org --user dpo-lee --out log-2026-12
            Through the hub, the DPO logs in with their own account (role dpo); nothing is trusted: verify the export.
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The hub's URL: export through its API instead of from the store.") var hub: String?
    @Option(help: "The DPO's hub user name (with --hub).") var user: String?
    @Option(help: "Environment variable holding that user's password (prompted for if unset and on a terminal).") var passwordEnv = "MASHLINK_USER_PASSWORD"
    @Option(help: "Folder to write entries.jsonl and checkpoint.txt into.") var out: String

    func run() async throws {
        let export: LogExport
        if let hub {
            guard let user else { throw ValidationError("--hub needs --user (a hub account with the dpo role)") }
            var secret = PassphraseOptions()
            secret.passphraseEnv = passwordEnv
            let client = HubClient(base: hub)
            export = try await client.logExport(token: try await client.login(user, password: try secret.passphrase(for: "hub user \(user)")))
        } else {
            export = try await database.withStore { try await LogExport.read(from: $0) }
        }
        try export.write(to: out)
        print("exported \(export.entries.count) entries and the checkpoint covering them → \(out)/")
        print("keep \(out)/\(LogExport.checkpointFile): give it as --previous to the next verify, so a truncated or rewritten log is caught")
    }
}

/// What verify and report share: the export, the log key and an earlier checkpoint.
struct ExportOptions: ParsableArguments {
    @Argument(help: "The export folder.") var export: String
    @Option(help: "The hub's log verifier key file (hub-log.vkey).") var logKey: String
    @Option(help: "A checkpoint saved from an earlier export.") var previous: String?

    /// Reads the export and audits it.
    func audit() throws -> (export: LogExport, report: AuditReport) {
        let verifier = try LogKeys.readVerifier(at: logKey)
        let data = try LogExport.read(directory: export)
        let earlier = try previous.map { try String(contentsOfFile: $0, encoding: .utf8) }
        return (data, Audit.verify(entries: data.entries, checkpoint: data.checkpoint, origin: verifier.name, verifier: verifier, previous: earlier))
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify an export: checkpoint signature, recomputed root, consistency with a saved checkpoint, and policy.",
        discussion: """
            Example:
              mashlink-audit verify log-2026-12 --log-key hub-log.vkey --previous log-2026-11/checkpoint.txt
            Exits 1 when anything fails, listing every finding.
            """)
    @OptionGroup var options: ExportOptions

    func run() throws {
        let report = try options.audit().report
        print("\(report.entries) entries, \(report.releases) releases; checkpoint \(report.checkpoint.map { "of size \($0.size) verified" } ?? "NOT verified")")
        for f in report.findings { print("  \(f)") }
        guard report.passed else {
            print("FAILED: \(report.findings.filter { $0.severity == .error }.count) finding(s)")
            throw ExitCode(1)
        }
        print("passed" + (report.findings.isEmpty ? "" : " with \(report.findings.count) warning(s)"))
    }
}

struct Prove: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the receipt (c2sp.org/tlog-proof bundle with the entry) for one entry of an export.",
        discussion: "Example:\n  mashlink-audit prove log-2026-12 --entry 41 --out receipt-41.txt")
    @Argument(help: "The export folder.") var export: String
    @Option(help: "The entry's index (0-based).") var entry: UInt64
    @Option(help: "Where to write the receipt.") var out: String

    func run() throws {
        let bundle = try LogExport.read(directory: export).receipt(for: entry)
        try Data(bundle.encoded.utf8).write(to: URL(fileURLWithPath: out))
        print("receipt for entry \(entry) → \(out)")
    }
}

struct VerifyReceipt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-receipt",
        abstract: "Check a receipt: the checkpoint's signature and the entry's inclusion; prints the entry.",
        discussion: "Example:\n  mashlink-audit verify-receipt receipt-41.txt --log-key hub-log.vkey")
    @Argument(help: "The receipt file.") var receipt: String
    @Option(help: "The hub's log verifier key file (hub-log.vkey).") var logKey: String

    func run() throws {
        let verifier = try LogKeys.readVerifier(at: logKey)
        let bundle = try ProofBundle(parsing: try String(contentsOfFile: receipt, encoding: .utf8))
        guard let entry = bundle.extra else { throw ValidationError("the receipt carries no entry; verify it with the entry it is for") }
        let checkpoint = try bundle.verify(entry: entry, origin: verifier.name, verifiers: [verifier])
        let e = try LogEntry(canonical: entry)
        print("verified: entry \(bundle.index) is in the log of \(checkpoint.size) entries signed by \(verifier.name)")
        print("  \(e.kind.rawValue) · referral \(e.referral) · \(e.at)" + [e.agency.map { " · \($0)" }, e.record.map { " record \($0)" },
            e.threshold.map { " · \($0.rawValue)" }, e.tiers.map { " · tiers \($0.map(\.rawValue).joined(separator: ","))" }].compactMap { $0 }.joined())
    }
}

struct Report: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case html, csv, json }
    static let configuration = CommandConfiguration(
        abstract: "Report who saw what, when and why over a period, with counts, decision times and every finding.",
        discussion: """
            Example:
              mashlink-audit report log-2026-12 --log-key hub-log.vkey --from 2026-12-01 --to 2026-12-31 --format html --out report.html
            The export is verified first; the report says whether it passed and lists every finding.
            """)
    @OptionGroup var options: ExportOptions
    @Option(help: "First day (YYYY-MM-DD).") var from = "0000-01-01"
    @Option(help: "Last day (YYYY-MM-DD).") var to = "9999-12-31"
    @Option(help: "html, csv (the releases) or json.") var format = Format.html
    @Option(help: "Where to write the report (default: standard output).") var out: String?

    func run() throws {
        let (data, audit) = try options.audit()
        let entries = data.entries.compactMap { try? LogEntry(canonical: $0) }
        let report = DisclosureReport(entries: entries, audit: audit, from: from, to: to)
        let text = switch format {
        case .html: report.html()
        case .csv: report.csv()
        case .json: report.json()
        }
        if let out {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            print("\(report.releases.count) releases from \(from) to \(to); log \(audit.passed ? "verified" : "FAILED verification") → \(out)")
        } else {
            print(text, terminator: "")
        }
        if !audit.passed { throw ExitCode(1) }
    }
}
