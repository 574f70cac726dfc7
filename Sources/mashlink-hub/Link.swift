import ArgumentParser
import Foundation
import HubLinking
import HubCommandSupport
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
              mashlink-hub link --database sqlite://./mashlink.db --full
            Offline, each batch is verified against the agency key whose id it names before anything is
            linked. With no batches, the store is linked: the first time (or with --full) every
            agency's current batch is linked and a model trained; after that each newly ingested
            batch is linked incrementally against the stored index with the stored model. The
            store's links and clusters are then written to --out.
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
    @Flag(help: "Store only: re-link everything and re-train the model, instead of linking new batches.") var full = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        if batches.isEmpty { return try await linkStore() }
        let start = ContinuousClock.now
        let (headers, agencies) = try offline()
        guard !agencies.isEmpty else { throw ValidationError("nothing to link: the store holds no batch; ingest some, or name batches to link offline") }
        let verified = ContinuousClock.now - start
        let reused = try model.map { try MatchModel.decoded(from: Data(contentsOf: URL(fileURLWithPath: $0))) }
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

    /// Links the store (incrementally unless --full or never linked) and writes its links and clusters.
    func linkStore() async throws {
        let start = ContinuousClock.now
        let reused = try model.map { try MatchModel.decoded(from: Data(contentsOf: URL(fileURLWithPath: $0))) }
        let options = LinkOptions(
            model: reused, matchThreshold: matchThreshold, possibleThreshold: possibleThreshold, withinAgency: !noDuplicates, threads: threads)
        let (summaries, export, state) = try await database.withStore { store in
            let summaries = try await StoreLinker.link(store, full: full, options: options)
            return (summaries, try await store.linkExport(), try await store.linkingState())
        }
        if summaries.isEmpty { print("nothing new to link: every current batch is linked (use --full to re-link and re-train)") }
        for s in summaries {
            switch s.kind {
            case .full: print("full link: \(s.records) records, a model trained")
            case .incremental(let batch, let agency): print("incremental link of \(agency) batch \(batch): \(s.records) records, stored model")
            }
            print("  \(s.candidatePairs) candidate pairs, \(s.matches) matches, \(s.possibles) possible, \(s.clustersWritten) cluster numbers written")
            print("  time: " + s.stageSeconds.map { "\($0.stage) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", "))
            if !s.oversizedBlocks.isEmpty {
                print("  warning: oversized blocks skipped (a common value): " + s.oversizedBlocks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            if s.refusedMerges > 0 { print("  \(s.refusedMerges) cluster merges refused: records in them were scored as different people") }
        }
        try LinkFiles.write(
            links: export.links.map { ($0.leftAgency, $0.leftRecord, $0.rightAgency, $0.rightRecord, $0.score, $0.band.rawValue) },
            clusters: export.clusters.map { ($0.agency, $0.record, String($0.cluster)) }, to: out)
        if let modelOut, let state { try Data(state.model).write(to: URL(fileURLWithPath: modelOut)) }
        print("store: \(export.links.count) links, \(Set(export.clusters.map(\.cluster)).count) clusters; total \(String(format: "%.2f", seconds(ContinuousClock.now - start))) s")
        print("  → \(out)/links.csv, \(out)/clusters.csv")
    }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
