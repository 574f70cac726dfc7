import ArgumentParser
import Disclosure
import Foundation
import HubLinking
import HubStore
import LinkCrypto
import Matching
import Tokenisation
import Workflow

/// `mashlink-bench query`: one referral query's cost inside the hub, without HTTP: the matcher's
/// phases (block lookup, candidate read, scoring, clusters) over a stored index, then the whole
/// `ReferralWorkflow.receive` (verify, match, log durably). Sequential, so each figure is one
/// query's own time; `scripts/bench-service.sh` measures the service under load.
struct QueryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Where one referral query's time goes inside the hub (no HTTP), against a linked store.")

    @Option(help: "The store (linked).") var database: String
    @Option(help: "The hub's key folder: with it, whole referrals are raised too (they are logged).") var keys: String?
    @OptionGroup var subjects: ReferralQueryOptions
    @Option(help: "Queries.") var queries = 300
    @Option(help: "Candidates' comparison profiles the matcher keeps in memory (0: none).") var cachedRecords = 100_000
    @Option(help: "A batch file whose record lines are decoded on their own, to time the record decoder.") var decodeBatch: String?

    func run() async throws {
        let passphrase = ProcessInfo.processInfo.environment["MASHLINK_PASSPHRASE"] ?? ""
        let signer = try subjects.signer()
        let (paths, folder) = try subjects.writeQueries(count: queries, signer: signer)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        if let decodeBatch { try Self.timeDecoding(decodeBatch) }
        let store = try await HubStores.open(database)
        defer { Task { await store.close() } }
        let matcher = QueryMatcher(store: store, cachedRecords: cachedRecords)
        let signerKey = signer.publicKey

        // The matcher alone, phase by phase (the first query also decodes the model: left out).
        var profile = QueryProfile(), totals: [Double] = [], candidates: [Int] = [], members: [Int] = []
        for (i, path) in paths.enumerated() {
            let reader = try BatchReader(path: path, expectedSigner: signerKey, format: BatchHeader.queryFormatName)
            guard let record = try reader.next() else { continue }
            var one = QueryProfile()
            let t0 = ContinuousClock.now
            _ = try await matcher.match(record, filterBits: reader.header.bloom.bits, profile: &one)
            if i == 0 { continue }
            totals.append(ServiceBenchmark.seconds(ContinuousClock.now - t0))
            profile.add(one)
            candidates.append(one.candidates)
            members.append(one.blockMembers)
        }
        let n = Double(totals.count)
        func ms(_ d: Duration) -> String { String(format: "%.2f", ServiceBenchmark.seconds(d) / n * 1000) }
        print("mashlink query match \(totals.count) queries: \(Self.percentiles(totals))")
        print("  mean per query (ms): model \(ms(profile.model)), keys \(ms(profile.keys)), block lookup \(ms(profile.blockLookup)), batches \(ms(profile.batches)), candidate read \(ms(profile.candidateRead)), scoring \(ms(profile.scoring)), returned records read \(ms(profile.returnedRead)), clusters \(ms(profile.clusters))")
        print(String(format: "  mean rows per query: %.1f block keys, %.1f block members, %.1f candidates (%.0f%% from the cache, %.1f decoded for want of a stored profile), %.2f returned",
                     Double(profile.blockKeys) / n, Double(profile.blockMembers) / n, Double(profile.candidates) / n,
                     100 * Double(profile.cacheHits) / Double(max(1, profile.candidates)), Double(profile.decoded) / n, Double(profile.returned) / n))

        candidates.sort()
        members.sort()
        func p(_ v: [Int], _ q: Double) -> Int { v.isEmpty ? 0 : v[min(v.count - 1, Int(Double(v.count) * q))] }
        print("  candidates a query: p50 \(p(candidates, 0.5)), p90 \(p(candidates, 0.9)), p99 \(p(candidates, 0.99)), max \(candidates.last ?? 0); block members p50 \(p(members, 0.5)), p99 \(p(members, 0.99)), max \(members.last ?? 0)")

        // Which blocking passes the candidates come from (a candidate counts once for each pass it meets in).
        var byPass: [String: Int] = [:], onlyPass: [String: Int] = [:]
        for path in paths.prefix(300) {
            let reader = try BatchReader(path: path, expectedSigner: signerKey, format: BatchHeader.queryFormatName)
            guard let record = try reader.next() else { continue }
            let blocker = Blocker(filterBits: reader.header.bloom.bits)
            var passOf: [Int64: String] = [:]
            for k in Set(blocker.keys(of: record)) { passOf[k.storageKey] = k.passFamily.hasPrefix("lsh") ? "lsh" : k.passFamily }
            let lookup = try await store.blockMembers(keys: Array(passOf.keys), maximumPerBatch: blocker.configuration.maximumBlockSize)
            var passes: [Int64: Set<String>] = [:]
            for m in lookup.members { passes[m.recordID, default: []].insert(passOf[m.key] ?? "?") }
            for (_, set) in passes {
                for pass in set { byPass[pass, default: 0] += 1 }
                if set.count == 1, let only = set.first { onlyPass[only, default: 0] += 1 }
            }
        }
        let sampled = Double(min(300, paths.count))
        print("  candidates a query by pass (mean; in brackets, met in that pass alone): " + byPass.sorted { $0.value > $1.value }.map {
            String(format: "%@ %.1f (%.1f)", $0.key, Double($0.value) / sampled, Double(onlyPass[$0.key] ?? 0) / sampled)
        }.joined(separator: ", "))

        // Whole referrals: verify, match and log (durable), as the service does for each POST.
        guard let keys else { return }
        let log = try await DisclosureLog.open(store: store, logKey: try HubKeys.logKey(in: keys, passphrase: passphrase))
        let workflow = ReferralWorkflow(store: store, log: log, releaseKey: nil)
        var whole: [Double] = []
        for path in paths {
            let t0 = ContinuousClock.now
            _ = try await workflow.receive(queryAt: path, agency: subjects.agency, priority: .amber)
            whole.append(ServiceBenchmark.seconds(ContinuousClock.now - t0))
        }
        print("mashlink query receive \(whole.count) referrals (verify, match, log): \(Self.percentiles(whole))")
    }

    /// The record decoder alone: every record line of a batch file, decoded as the store decodes them.
    static func timeDecoding(_ path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let lines = bytes.split(separator: 0x0a).dropFirst().filter { $0.starts(with: Array("{\"age".utf8)) || $0.starts(with: Array("{\"f\"".utf8)) }.map { Array($0) }
        let bits = try BatchHeader.read(atPath: path).bloom.bits
        var decoded = 0
        let perRecord = Measurement(repetitions: 5, target: 1).perOperation {
            for line in lines { if (try? RecordLineCodec.decode(line, bloomBits: bits)) != nil { decoded += 1 } }
        } / Double(lines.count)
        print(String(format: "mashlink query record-decode %.2f µs/record (%d record lines, %d bytes a line on average)",
                     perRecord * 1e6, lines.count, lines.reduce(0) { $0 + $1.count } / max(1, lines.count)))
    }

    static func percentiles(_ values: [Double]) -> String {
        let v = values.sorted()
        guard !v.isEmpty else { return "none" }
        func p(_ q: Double) -> Double { v[min(v.count - 1, Int(Double(v.count) * q))] * 1000 }
        return String(format: "mean %.2f ms, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", v.reduce(0, +) / Double(v.count) * 1000, p(0.5), p(0.9), p(0.99), v.last! * 1000)
    }
}
