import Foundation
import Testing
import Tokenisation
@testable import HubStore

extension StoreTests {
    /// A child process ingesting a large batch is killed with SIGKILL at random points; after each
    /// kill the store opens, passes its integrity check, holds the batch wholly or not at all, and a
    /// retry succeeds.
    @Suite("Crash safety")
    struct CrashTests {
        /// `mashlink-hub`, built beside the test bundle (the test target depends on it).
        static var hub: URL {
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mashlink-hub")
        }

        static func ingestInChild(_ batch: String, _ url: String, killAfter delay: Duration?) async throws -> Int32 {
            let process = Process()
            process.executableURL = hub
            process.arguments = ["ingest", batch, "--database", url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if let delay {
                try await Task.sleep(for: delay)
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            return process.terminationStatus
        }

        @Test("ingest killed at 20 random points leaves the batch wholly in or wholly out", arguments: Backends.all)
        func killedIngest(_ backend: StoreBackend) async throws {
            #expect(FileManager.default.isExecutableFile(atPath: Self.hub.path), "mashlink-hub is not built beside the tests")
            var f = try BatchFactory()
            let rows = 3_000
            let batch = try f.batch("police", rows: BatchFactory.rows(rows))
            let key = f.signing["police"]!.publicKey

            // One undisturbed ingest, to learn how long one takes.
            var (store, url) = try await Backends.fresh(backend)
            try await store.registerAgency(name: "police", signingKey: key)
            await store.close()
            let start = ContinuousClock.now
            #expect(try await Self.ingestInChild(batch, url, killAfter: nil) == 0)
            let full = ContinuousClock.now - start

            var g = SystemRandomNumberGenerator()
            var whole = 0, none = 0
            for _ in 0..<20 {
                (store, url) = try await Backends.fresh(backend)
                try await store.registerAgency(name: "police", signingKey: key)
                await store.close()
                let delay = full * Double.random(in: 0.05...1.3, using: &g)
                _ = try await Self.ingestInChild(batch, url, killAfter: delay)

                let reopened = try await HubStores.open(url)
                let report = try await reopened.check()
                #expect(report.isConsistent, "after a kill: \(report.problems)")
                let batches = try await reopened.batches()
                if batches.isEmpty {
                    none += 1
                    let retry = try await reopened.ingest(batchAt: batch)
                    #expect(retry.records == rows)
                } else {
                    whole += 1
                    #expect(batches.count == 1 && batches[0].recordCount == rows && batches[0].status == .current)
                }
                #expect(try await reopened.check().isConsistent)
                let current = try await reopened.currentBatches()
                #expect(current.count == 1)
                #expect(try await reopened.records(inBatch: current[0].batchID).count == rows)
                await reopened.close()
            }
            #expect(whole + none == 20)
            print("crash test (\(backend.rawValue)): 20 kills, \(none) left nothing, \(whole) left the whole batch; one ingest took \(full)")
        }
    }
}
