import ArgumentParser
import AsyncHTTPClient
import HubClient
import Foundation
import LinkCrypto
import Normalisation
import Tokenisation
import Workflow

/// `mashlink-bench service`: drives a running hub from this (second) process on loopback: signed
/// referral queries at a fixed rate for a fixed time (open loop: each request's latency is measured
/// from when it was due, so a slow hub cannot hide its queueing), then one signed batch upload.
struct ServiceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Referral queries per second and their latency against a running hub, and the batch upload rate (scripts/bench-service.sh).")

    @Option(help: "The hub's base URL.") var url = "http://127.0.0.1:8080"
    @OptionGroup var subjects: ReferralQueryOptions
    @Option(help: "Queries per second.") var rate = 200
    @Option(help: "Seconds of load.") var duration = 60
    @Option(help: "A batch to upload afterwards (timed), signed by --upload-agency's key.") var uploadBatch: String?
    @Option(help: "The uploading agency.") var uploadAgency: String?
    @Option(help: "Its signing key.") var uploadKey: String?

    func run() async throws {
        let passphrase = ProcessInfo.processInfo.environment["MASHLINK_PASSPHRASE"] ?? ""
        let signer = try subjects.signer(), agency = subjects.agency
        let (paths, folder) = try subjects.writeQueries(count: rate * duration, signer: signer)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let queries = try paths.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
        print("service: \(queries.count) signed referral queries made; driving \(rate)/s for \(duration) s at \(url)")

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)))
        let start = ContinuousClock.now
        let results = await withTaskGroup(of: (Double, Int).self) { group in
            for (i, body) in queries.enumerated() {
                let due = start + .nanoseconds(Int64(Double(i) / Double(rate) * 1e9))
                try? await Task.sleep(until: due)
                group.addTask {
                    let status = await Self.send(client, url: url, path: "/api/v1/referrals?priority=amber", agency: agency, key: signer, body: body)
                    return (Self.seconds(ContinuousClock.now - due), status)
                }
            }
            var out: [(Double, Int)] = []
            for await r in group { out.append(r) }
            return out
        }
        let elapsed = Self.seconds(ContinuousClock.now - start)
        let latencies = results.map(\.0).sorted()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
        let ok = results.filter { $0.1 == 201 }.count
        var byStatus: [Int: Int] = [:]
        for r in results where r.1 != 201 { byStatus[r.1, default: 0] += 1 }
        print(String(format: "mashlink service queries %d in %.1f s = %.1f/s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; %d ok, errors %@",
                     results.count, elapsed, Double(results.count) / elapsed, percentile(0.5), percentile(0.9), percentile(0.99),
                     (latencies.last ?? 0) * 1000, ok, byStatus.isEmpty ? "none" : byStatus.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")))

        if let uploadBatch, let uploadAgency, let uploadKey {
            let key = try Ed25519.PrivateKey(keyFile: try PassphraseKeyFile.read(fromPath: uploadKey), passphrase: passphrase)
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: uploadBatch)))
            let records = try BatchInspection(path: uploadBatch).records
            let t0 = ContinuousClock.now
            let status = await Self.send(client, url: url, path: "/api/v1/batches", agency: uploadAgency, key: key, body: body)
            let t = Self.seconds(ContinuousClock.now - t0)
            print(String(format: "mashlink service upload %d records (%.1f MB) in %.1f s = %.0f records/s (HTTP %d)", records, Double(body.count) / 1e6, t, Double(records) / t, status))
        }
        try await client.shutdown()
    }

    static func send(_ client: HTTPClient, url: String, path: String, agency: String, key: Ed25519.PrivateKey, body: [UInt8]) async -> Int {
        (try? await HubClient(base: url, http: client).send("POST", path, agency: (agency, key), body: body, timeout: 60).status) ?? -1
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
