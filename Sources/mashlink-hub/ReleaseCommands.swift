import ArgumentParser
import CommandSupport
import Disclosure
import Foundation
import HubCommandSupport
import Tokenisation

/// Logged releases that were never completed (the hub stopped between logging and opening, or the
/// release key was not at hand): list them, and void one with a reason.
struct Releases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List logged releases that were never completed, and void one.", subcommands: [Pending.self, VoidRelease.self])

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List logged releases with neither a completion nor a void.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let export = try await database.withStore { try await LogExport.read(from: $0) }
            let pending = Disclosure.Releases.pending(in: try export.entries.map { try LogEntry(canonical: $0) })
            print("\(pending.count) pending release(s)")
            for (index, e) in pending {
                print("  entry \(index): release \(e.release ?? "?") · referral \(e.referral) · \(e.agency ?? "?") record \(e.record ?? "?") · \(e.threshold?.rawValue ?? "?") · logged \(e.at) by \(e.user ?? "?")")
            }
        }
    }

    struct VoidRelease: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "void",
            abstract: "Void a pending release (it is never opened); the void is logged with who and why.",
            discussion: "Example:\n  mashlink-hub releases void 6f1c… --user ops-kim --reason \"hub stopped mid-release; re-requested\"")
        @Argument(help: "The release id.") var release: String
        @Option(help: "The hub user voiding it.") var user: String
        @Option(help: "Why (no names or other identifiers).") var reason: String
        @Option(help: "Folder of the hub's key files.") var keys = "hub-keys"
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var passphrase: PassphraseOptions

        func run() async throws {
            let key = try HubKeys.logKey(in: keys, passphrase: try passphrase.passphrase(for: "the hub's log key"))
            try await database.withStore { store in
                let log = try await DisclosureLog.open(store: store, logKey: key)
                try await Disclosure.Releases.void(release, user: user, reason: reason, log: log)
            }
            print("release \(release) voided; the void is in the disclosure log")
        }
    }
}
