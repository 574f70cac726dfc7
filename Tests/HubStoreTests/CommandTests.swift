import Foundation
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

        static func hub(_ arguments: [String]) throws -> Run {
            let process = Process()
            process.executableURL = CrashTests.hub
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
    }
}
