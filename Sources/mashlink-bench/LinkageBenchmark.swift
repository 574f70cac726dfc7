import ArgumentParser
import Foundation
import LinkCrypto
import Matching
import Normalisation
import Tokenisation

/// Blocking and scoring quality on a labelled pair of files (FEBRL4 a and b with their true links).
/// The model is trained without the labels; the labels are used only to measure.
struct LinkageBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linkage",
        abstract: "Blocking (pairs completeness, reduction ratio) and scoring (precision, recall per band) on labelled data.")

    @Option(help: "Left CSV.") var left = "../shared/data/febrl/febrl4_a.csv"
    @Option(help: "Right CSV.") var right = "../shared/data/febrl/febrl4_b.csv"
    @Option(help: "True links CSV (left id, right id).") var links = "../shared/data/febrl/febrl4_links.csv"
    @Option(help: "Schema for both files.") var schema = "examples/febrl/schema.json"
    @Option(help: "LSH bands (0 = off).") var bands = BlockingConfiguration.standard.lshBands
    @Option(help: "LSH bits per band.") var bits = BlockingConfiguration.standard.lshBitsPerBand
    @Flag(help: "Score every candidate pair without the one-to-one resolution.") var noOneToOne = false
    @Flag(help: "Score without term-frequency adjustment.") var noTermFrequencies = false

    func run() throws {
        let s = try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: schema)))
        let key = LinkageKey.generate()
        let (l, lIDs) = try encode(left, schema: s, key: key)
        let (r, rIDs) = try encode(right, schema: s, key: key)
        var truth = Set<CandidatePair>()
        var reader = try CSVReader(path: links)
        while let row = try reader.next() {
            if let a = lIDs[row.fields[0]], let b = rIDs[row.fields[1]] { truth.insert(CandidatePair(left: a, right: b)) }
        }
        var config = BlockingConfiguration.standard
        config.lshBands = bands
        config.lshBitsPerBand = bits
        let start = ContinuousClock.now
        let result = Blocker(configuration: config, filterBits: s.bloom.bits).candidates(left: l, right: r)
        let elapsed = ContinuousClock.now - start
        let m = BlockingMetrics(result: result, truePairs: truth, leftCount: l.count, rightCount: r.count)
        print("# \(l.count) × \(r.count) records, \(truth.count) true pairs, LSH \(bands)×\(bits)")
        print("mashlink blocking_pairs_completeness \(formatted(m.pairsCompleteness))")
        print("mashlink blocking_reduction_ratio \(formatted(m.reductionRatio * 100)) %")
        print("mashlink blocking_candidates \(m.candidateCount)")
        print("mashlink blocking_seconds \(formatted(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)) s")
        print("# oversized blocks skipped: \(result.oversizedBlocks)")

        let trainStart = ContinuousClock.now
        let vectors = result.pairs.map { Comparator.compare(l[$0.left], r[$0.right]) }
        let u = ModelTrainer.estimateU(left: l, right: r)
        let model = ModelTrainer.train(vectors: vectors, u: u, possiblePairs: l.count * r.count)
        let trainTime = ContinuousClock.now - trainStart
        let scorer = Scorer(model: model, termFrequencies: noTermFrequencies ? nil : TermFrequencies(l + r))
        let scores = zip(result.pairs, vectors).map { scorer.score(l[$0.0.left], r[$0.0.right], $0.1) }
        let kept = noOneToOne ? Set(result.pairs.indices) : OneToOne.keep(result.pairs, scores: scores)
        var matchTP = 0, matchFP = 0, possibleTP = 0, possibleFP = 0
        for (i, pair) in result.pairs.enumerated() where kept.contains(i) {
            let isTrue = truth.contains(pair)
            switch model.band(scores[i]) {
            case .match: if isTrue { matchTP += 1 } else { matchFP += 1 }
            case .possible: if isTrue { possibleTP += 1 } else { possibleFP += 1 }
            case .nonMatch: break
            }
        }
        if ProcessInfo.processInfo.environment["MASHLINK_DEBUG_MODEL"] != nil {
            for f in ComparedField.allCases {
                print("# \(f.rawValue) m=\(model.m[f.rawValue]!.map { formatted($0) }) u=\(model.u[f.rawValue]!.map { formatted($0) })")
            }
        }
        let precision = Double(matchTP) / Double(max(matchTP + matchFP, 1))
        let recall = Double(matchTP) / Double(max(truth.count, 1))
        print("mashlink match_band_precision \(formatted(precision)) (\(matchFP) false matches)")
        print("mashlink match_band_recall \(formatted(recall))")
        print("mashlink possible_band_pairs \(possibleTP + possibleFP) (\(possibleTP) true)")
        print("mashlink match_or_possible_recall \(formatted(Double(matchTP + possibleTP) / Double(max(truth.count, 1))))")
        print("mashlink training_seconds \(formatted(Double(trainTime.components.seconds) + Double(trainTime.components.attoseconds) / 1e18)) s (prior \(model.prior))")
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
