import ArgumentParser
import Foundation
import LinkCrypto
import Matching
import Normalisation
import Tokenisation

/// Blocking and scoring quality on labelled files (FEBRL4 a and b with their true links, or FEBRL3
/// alone for deduplication). The model is trained without the labels; they are used only to measure.
struct LinkageBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linkage",
        abstract: "Blocking (pairs completeness, reduction ratio) and linking (precision, recall per band) on labelled data.")

    @Option(help: "Left CSV.") var left = "../shared/data/febrl/febrl4_a.csv"
    @Option(help: "Right CSV (leave empty to deduplicate the left file alone).") var right = "../shared/data/febrl/febrl4_b.csv"
    @Option(help: "True links CSV (two record ids a row).") var links = "../shared/data/febrl/febrl4_links.csv"
    @Option(help: "Schema for both files.") var schema = "examples/febrl/schema.json"
    @Option(help: "Leave this column out of the schema (e.g. soc_sec_id).") var drop: [String] = []
    @Option(help: "LSH bands (0 = off).") var bands = BlockingConfiguration.standard.lshBands
    @Option(help: "LSH bits per band.") var bits = BlockingConfiguration.standard.lshBitsPerBand
    @Option(help: "Blocks larger than this are broad: a pair meeting only in them needs two shared keys (0: the standard setting).") var broadBlockSize = 0
    @Flag(help: "Score without term-frequency adjustment.") var noTermFrequencies = false
    @Option(help: "Print the comparison levels of up to this many missed and false pairs (public test data only).") var explain = 0
    @Option(help: "Derive the demo linkage key from this number, so runs can be compared (0: a fresh random key each run; blocking and hash collisions depend on the key).") var keySeed: UInt8 = 0

    func run() throws {
        var s = try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: schema)))
        for column in drop { s.columns = s.columns.map { $0.column == column ? ColumnRole(ignoring: column) : $0 } }
        let key = try benchLinkageKey(seed: keySeed)
        let dedup = right.isEmpty
        let (l, lIDs) = try encode(left, schema: s, key: key)
        let (r, rIDs) = dedup ? (l, lIDs) : try encode(right, schema: s, key: key)
        // Truth as pairs of (side, index); side 0 = left, 1 = right.
        var truth = Set<CandidatePair>(), missing = 0
        var reader = try CSVReader(path: links)
        while let row = try reader.next() {
            if let a = lIDs[row.fields[0]], let b = rIDs[row.fields[1]] {
                truth.insert(dedup ? CandidatePair(left: min(a, b), right: max(a, b)) : CandidatePair(left: a, right: b))
            } else { missing += 1 }
        }
        var config = BlockingConfiguration.standard
        config.lshBands = bands
        config.lshBitsPerBand = bits
        if broadBlockSize > 0 { config.broadBlockSize = broadBlockSize }
        let blocker = Blocker(configuration: config, filterBits: s.bloom.bits)
        let blocking = dedup ? blocker.candidates(within: l) : blocker.candidates(left: l, right: r)
        let bm = BlockingMetrics(result: blocking, truePairs: truth, leftCount: l.count, rightCount: dedup ? (l.count - 1) / 2 : r.count)
        print("# \(l.count)\(dedup ? " records (deduplication)" : " × \(r.count) records"), \(truth.count) true pairs (\(missing) more with a record rejected at tokenising), LSH \(bands)×\(bits)")
        print("mashlink blocking_pairs_completeness \(formatted(bm.pairsCompleteness))")
        print("mashlink blocking_reduction_ratio \(formatted(bm.reductionRatio * 100)) %")
        print("mashlink blocking_candidates \(bm.candidateCount)")

        let agencies = dedup ? [AgencyRecords(agency: "a", records: l)] : [AgencyRecords(agency: "a", records: l), AgencyRecords(agency: "b", records: r)]
        let start = ContinuousClock.now
        let result = Linker.link(agencies, blocker: blocker, termFrequencyAdjustment: !noTermFrequencies, withinAgency: dedup)
        let elapsed = ContinuousClock.now - start
        let lIndex = Dictionary(uniqueKeysWithValues: l.enumerated().map { ($1.reference, $0) })
        let rIndex = Dictionary(uniqueKeysWithValues: r.enumerated().map { ($1.reference, $0) })
        func pair(_ link: Link) -> CandidatePair {
            let a = lIndex[link.leftRecord]!, b = (dedup ? lIndex : rIndex)[link.rightRecord]!
            return dedup ? CandidatePair(left: min(a, b), right: max(a, b)) : CandidatePair(left: a, right: b)
        }
        let matched = Set(result.links.filter { $0.band == .match }.map(pair))
        let possible = Set(result.links.filter { $0.band == .possible }.map(pair))
        let tp = matched.intersection(truth).count, fp = matched.count - tp
        let ptp = possible.intersection(truth).count
        let all = Double(truth.count + missing)
        print("mashlink match_band_precision \(formatted(Double(tp) / Double(max(matched.count, 1)))) (\(fp) false matches)")
        print("mashlink match_band_recall \(formatted(Double(tp) / Double(max(truth.count, 1)))) (\(formatted(Double(tp) / all)) over all \(Int(all)) true pairs)")
        print("mashlink possible_band_pairs \(possible.count) (\(ptp) true)")
        print("mashlink match_or_possible_recall \(formatted(Double(tp + ptp) / Double(max(truth.count, 1))))")
        print("mashlink link_seconds \(formatted(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)) s (" + result.statistics.stageSeconds.map { "\($0.stage) \(formatted($0.seconds))" }.joined(separator: ", ") + ")")
        if explain > 0 {
            let model = result.model
            let candidates = Set(blocking.pairs)
            func show(_ label: String, _ p: CandidatePair) {
                let v = Comparator.compare(l[p.left], r[p.right])
                let blocked = candidates.contains(p) ? "" : " (never a candidate)"
                print("# \(label) score \(formatted(model.score(v)))\(blocked) co-located \(v.isCoLocated): " + model.evidence(v).map(\.description).joined(separator: "; "))
            }
            for p in truth.subtracting(matched).prefix(explain) { show("missed", p) }
            for p in matched.subtracting(truth).prefix(explain) { show("false", p) }
        }
    }

    private func encode(_ path: String, schema: LinkageSchema, key: LinkageKey) throws -> ([EncodedRecord], [String: Int]) {
        var reader = try CSVReader(path: path)
        let encoder = try RecordEncoder(
            schema: schema, header: reader.header, key: key, sealer: nil, batchDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        let idColumn = reader.header.firstIndex(of: schema.columns(for: .recordID)[0])!
        var records: [EncodedRecord] = [], ids: [String: Int] = [:]
        while let row = try reader.next() {
            guard row.problem == nil, case .success(let record) = encoder.encode(row.fields) else { continue }
            ids[row.fields[idColumn]] = records.count
            records.append(record)
        }
        return (records, ids)
    }
}
