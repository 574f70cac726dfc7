import ArgumentParser
import Foundation
import HubStore
import LinkCrypto
import LinkFiles
import Matching
import Tokenisation

struct Link: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Link batches (offline, or the store's current ones): writes links.csv and clusters.csv (record references only).",
        discussion: """
            Examples:
              mashlink-hub link police.mlb health.mlb --agency-key police.pub.pem --agency-key health.pub.pem --out linkout
              mashlink-hub link --database sqlite://./mashlink.db --out linkout
            Offline, each batch is verified against the agency key whose id it names before anything is
            linked; with no batches, the store's current batch of every agency is linked.
            One batch alone is searched for duplicates; several are linked to each other and each is
            also searched for duplicates (--no-duplicates turns that off).
            """)

    @Argument(help: "Batches to link offline (none: link the store's current batches).") var batches: [String] = []
    @Option(help: "An agency's signing public key (PEM); repeat for each agency (offline only).") var agencyKey: [String] = []
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Folder for links.csv and clusters.csv.") var out = "."
    @Option(help: "Reuse a trained model (JSON) instead of training one.") var model: String?
    @Option(help: "Write the trained model here (JSON).") var modelOut: String?
    @Option(help: "Override the match-band threshold (log2 odds).") var matchThreshold: Double?
    @Option(help: "Override the possible-band threshold (log2 odds).") var possibleThreshold: Double?
    @Option(help: "Worker threads (default: every core).") var threads: Int?
    @Flag(help: "Do not look for duplicates inside each agency's batch.") var noDuplicates = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        let start = ContinuousClock.now
        let (headers, agencies) = batches.isEmpty ? try await fromStore() : try offline()
        guard !agencies.isEmpty else { throw ValidationError("nothing to link: the store holds no batch; ingest some, or name batches to link offline") }
        let verified = ContinuousClock.now - start
        let reused = try model.map { try JSONDecoder().decode(MatchModel.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
        let result = Linker.link(
            agencies, blocker: Blocker(filterBits: headers[0].bloom.bits), model: reused,
            matchThreshold: matchThreshold, possibleThreshold: possibleThreshold, withinAgency: !noDuplicates, threads: threads)
        try LinkFiles.write(result, to: out)
        if let modelOut {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(result.model).write(to: URL(fileURLWithPath: modelOut))
        }
        let s = result.statistics
        let matches = result.links.filter { $0.band == .match }.count
        let duplicates = result.links.filter { $0.leftAgency == $0.rightAgency && $0.band == .match }.count
        let persons = Set(result.clusters.map(\.cluster)).count
        print("linked \(agencies.map { "\($0.agency) (\($0.records.count))" }.joined(separator: ", "))")
        print("  \(s.records) records, \(s.candidatePairs) candidate pairs, \(matches) matches (\(duplicates) inside one agency), \(result.links.count - matches) possible, \(persons) clusters")
        let stages = [("verifying", seconds(verified))] + s.stageSeconds.map { ($0.stage, $0.seconds) }
        print("  time: " + stages.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", ")
            + String(format: "; total %.2f s", seconds(ContinuousClock.now - start)))
        if !s.oversizedBlocks.isEmpty {
            print("  warning: oversized blocks skipped (a common value): " + s.oversizedBlocks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if s.refusedMerges > 0 { print("  \(s.refusedMerges) cluster merges refused: records in them were scored as different people") }
        print("  → \(out)/links.csv, \(out)/clusters.csv")
    }
}

extension Link {
    /// Reads and verifies the named batches against the given agency keys.
    func offline() throws -> ([BatchHeader], [AgencyRecords]) {
        var keys: [String: Ed25519.PublicKey] = [:]
        for path in agencyKey {
            let key = try AgencyKeys.signingPublicKey(at: path)
            keys[key.keyID] = key
        }
        var headers: [BatchHeader] = []
        var agencies: [AgencyRecords] = []
        for path in batches {
            let peek = try BatchHeader.read(atPath: path)
            guard let key = keys[peek.signingKeyID] else {
                throw ValidationError("\(path) is signed by key \(peek.signingKeyID), which no --agency-key provides")
            }
            let reader = try BatchReader(path: path, expectedSigner: key)
            var records: [EncodedRecord] = []
            while let r = try reader.next() { records.append(r) }
            for h in headers { try reader.header.checkLinkable(with: h) }
            guard !agencies.contains(where: { $0.agency == reader.header.agency }) else {
                throw ValidationError("\(path) is a second batch from \(reader.header.agency); link one batch per agency (the newest)")
            }
            headers.append(reader.header)
            agencies.append(AgencyRecords(agency: reader.header.agency, records: records))
        }
        return (headers, agencies)
    }

    /// The store's current batch of every agency (verified when they were ingested).
    func fromStore() async throws -> ([BatchHeader], [AgencyRecords]) {
        let current = try await database.withStore { try await $0.currentRecords() }
        for (i, a) in current.enumerated() { for b in current[..<i] { try a.header.checkLinkable(with: b.header) } }
        return (current.map(\.header), current.map { AgencyRecords(agency: $0.header.agency, records: $0.records) })
    }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
