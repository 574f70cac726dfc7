import Disclosure
import Foundation
import LinkCrypto
import Testing
import Tokenisation
@testable import HubStore

extension StoreTests {
    /// `mashlink-hub` as an operator runs it: init, agency add, ingest (twice), link, check.
    @Suite("mashlink-hub commands")
    struct CommandTests {
        struct Run {
            let status: Int32
            let output: String
            let errors: String
        }

        static func hub(_ arguments: [String]) throws -> Run { try run("mashlink-hub", arguments) }

        /// Runs one of the package's executables (built next to the test bundle).
        static func run(_ tool: String, _ arguments: [String]) throws -> Run {
            let process = Process()
            process.executableURL = CrashTests.hub.deletingLastPathComponent().appendingPathComponent(tool)
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["MASHLINK_PASSPHRASE"] = "test-only-passphrase"
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let output = out.fileHandleForReading.readDataToEndOfFile(), errors = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
        }

        @Test("init, agency add, ingest, a refused replay, link from the store, check", arguments: Backends.all)
        func operatorSession(_ backend: StoreBackend) async throws {
            var f = try BatchFactory()
            let police = try f.batch("police", rows: BatchFactory.rows(200))
            let health = try f.batch("health", rows: BatchFactory.rows(150, first: 100))
            let (store, url) = try await Backends.fresh(backend)
            await store.close()
            let dir = f.dir.path
            let initialised = try Self.hub(["init", "--database", url, "--keys", dir + "/hub-keys"])
            #expect(initialised.status == 0, "\(initialised.errors)")
            #expect(FileManager.default.fileExists(atPath: dir + "/hub-keys/hub-release.pub.pem"))
            #expect(try Self.hub(["init", "--database", url, "--keys", dir + "/hub-keys"]).status != 0, "init must not overwrite the hub's keys")
            for agency in ["police", "health"] {
                let pem = dir + "/\(agency).pub.pem"
                try f.signing[agency]!.publicKey.pemRepresentation.write(toFile: pem, atomically: true, encoding: .utf8)
                #expect(try Self.hub(["agency", "add", agency, "--signing-key", pem, "--database", url]).status == 0)
            }
            let ingested = try Self.hub(["ingest", police, health, "--database", url])
            #expect(ingested.status == 0, "\(ingested.errors)")
            #expect(ingested.output.contains("200 records from police") && ingested.output.contains("150 records from health"))
            let replay = try Self.hub(["ingest", police, "--database", url])
            #expect(replay.status == 1)
            #expect(replay.errors.contains("already stored"))
            let linked = try Self.hub(["link", "--database", url, "--out", dir + "/out"])
            #expect(linked.status == 0, "\(linked.errors)")
            let links = try String(contentsOfFile: dir + "/out/links.csv", encoding: .utf8).split(separator: "\n")
            #expect(links.first == "left_agency,left_record,right_agency,right_record,score,band")
            // People 100–199 are in both extracts, unchanged: each is found.
            #expect(links.filter { $0.hasSuffix(",match") && $0.hasPrefix("health,") }.count >= 95)
            let clusters = try String(contentsOfFile: dir + "/out/clusters.csv", encoding: .utf8).split(separator: "\n")
            #expect(clusters.count == 1 + 350)
            let checked = try Self.hub(["check", "--database", url])
            #expect(checked.status == 0 && checked.output.contains("consistent"))
        }

        @Test("mashlink-audit: export, verify (and a tampered export fails), prove and verify-receipt, with the key init wrote", arguments: Backends.all)
        func auditSession(_ backend: StoreBackend) async throws {
            let f = try BatchFactory()
            let (store, url) = try await Backends.fresh(backend)
            await store.close()
            let dir = f.dir.path, keys = dir + "/hub-keys"
            #expect(try Self.hub(["init", "--database", url, "--keys", keys]).status == 0)
            let logKey = try Ed25519.PrivateKey(
                keyFile: try PassphraseKeyFile.read(fromPath: keys + "/" + HubKeys.logKey), passphrase: "test-only-passphrase")
            // The hub's log, with a referral's decisions and a release in it.
            let opened = try await HubStores.open(url)
            let log = try await DisclosureLog.open(store: opened, logKey: logKey)
            var proposed = LogEntry(kind: .thresholdProposed, referral: "ref-1", user: "pat")
            proposed.threshold = .childInNeed
            var confirmed = LogEntry(kind: .thresholdConfirmed, referral: "ref-1", user: "mo")
            confirmed.threshold = .childInNeed
            try await log.append([LogEntry(kind: .referralReceived, referral: "ref-1", user: "pat"), proposed, confirmed])
            await opened.close()
            // A release logged and never completed: listed as pending, then voided by the operator.
            let reopened = try await HubStores.open(url)
            let again = try await DisclosureLog.open(store: reopened, logKey: logKey)
            var logged = LogEntry(kind: .releaseLogged, referral: "ref-1", user: "pat")
            logged.release = "rel-9"
            logged.threshold = .childInNeed
            logged.lawfulBasis = Threshold.childInNeed.policy.lawfulBasis
            logged.agency = "police"
            logged.record = "c0ffee"
            logged.ageBand = .child
            logged.tiers = [.cin]
            logged.payloadDigests = ["cin": String(repeating: "0", count: 64)]
            logged.proposedBy = "pat"
            logged.confirmedBy = "mo"
            try await again.append([logged])
            await reopened.close()
            let pending = try Self.hub(["releases", "pending", "--database", url])
            #expect(pending.status == 0 && pending.output.contains("1 pending release") && pending.output.contains("rel-9"), "\(pending.errors)")
            let voided = try Self.hub(["releases", "void", "rel-9", "--user", "ops", "--reason", "test", "--keys", keys, "--database", url])
            #expect(voided.status == 0, "\(voided.errors)")
            #expect(try Self.hub(["releases", "pending", "--database", url]).output.contains("0 pending release"))
            let checked = try Self.hub(["check", "--database", url, "--log-key", keys + "/hub-log.vkey"])
            #expect(checked.status == 0 && checked.output.contains("5 log entries, consistent"), "\(checked.output)\(checked.errors)")
            let export = dir + "/export-1"
            let exported = try Self.run("mashlink-audit", ["export", "--database", url, "--out", export])
            #expect(exported.status == 0 && exported.output.contains("exported 5 entries"), "\(exported.errors)")
            let verified = try Self.run("mashlink-audit", ["verify", export, "--log-key", keys + "/hub-log.vkey"])
            #expect(verified.status == 0 && verified.output.contains("passed"), "\(verified.output)\(verified.errors)")
            let html = dir + "/report.html"
            let reported = try Self.run("mashlink-audit", ["report", export, "--log-key", keys + "/hub-log.vkey", "--format", "html", "--out", html])
            #expect(reported.status == 0 && reported.output.contains("log verified"), "\(reported.errors)")
            #expect(try String(contentsOfFile: html, encoding: .utf8).contains("Log verification: passed"))
            let receipt = dir + "/receipt.txt"
            #expect(try Self.run("mashlink-audit", ["prove", export, "--entry", "1", "--out", receipt]).status == 0)
            let proved = try Self.run("mashlink-audit", ["verify-receipt", receipt, "--log-key", keys + "/hub-log.vkey"])
            #expect(proved.status == 0 && proved.output.contains("threshold.proposed"), "\(proved.errors)")
            // A rewritten entry in the export fails, with the finding named.
            let entries = export + "/entries.jsonl"
            let text = try String(contentsOfFile: entries, encoding: .utf8)
            try text.replacingOccurrences(of: "\"pat\"", with: "\"mo\"").write(toFile: entries, atomically: true, encoding: .utf8)
            let tampered = try Self.run("mashlink-audit", ["verify", export, "--log-key", keys + "/hub-log.vkey"])
            #expect(tampered.status == 1 && tampered.output.contains("do not hash to the checkpoint's root"), "\(tampered.output)")
        }
    }
}
