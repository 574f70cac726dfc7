import Foundation
public import Tokenisation

/// Similarity-graph matching, after Vidanage, Ranbaduge, Christen and Schnell, "Efficient pattern
/// mining based cryptanalysis for privacy-preserving record linkage" (ICDE 2019) and "A graph
/// matching attack on privacy-preserving record linkage" (CIKM 2020).
///
/// The nodes of one graph are the distinct filters of a field, those of the other the distinct
/// values of the reference list; edges are similarities: Dice between filters, and between plain
/// values the Dice their filters would be *expected* to have (from their q-gram sets and the
/// header's `bits` and `hashes`, collisions included), so the two graphs are on one scale. The attack
/// 1. describes each node by features that need no plain text: its frequency, its degree at several
///    similarity thresholds and its nearest neighbours' similarities;
/// 2. matches each filter to the plain values with the nearest features;
/// 3. refines: pairs that are each other's nearest match become anchors, and every node is then
///    described by its similarity to each anchor, which is far more specific (two names at the same
///    distance from "john", "mary" and thirty others are nearly certainly the same name), in rounds.
public struct GraphMatchingAttack: Sendable {
    /// The batch's Bloom parameters.
    public var bloom: BloomParameters
    /// The most distinct values per graph (the most frequent).
    public var maxNodes: Int
    /// Refinement rounds.
    public var rounds: Int
    /// The most anchors used in a refinement round.
    public var maxAnchors: Int

    /// An attack on filters made with `bloom`.
    public init(bloom: BloomParameters, maxNodes: Int = 1500, rounds: Int = 3, maxAnchors: Int = 150) {
        self.bloom = bloom
        self.maxNodes = maxNodes
        self.rounds = rounds
        self.maxAnchors = maxAnchors
    }

    static let thresholds: [Float] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]

    /// Guesses per record for one field: `filters` one per record, `reference` the plain values (repeats kept).
    public func run(filters: [BloomFilter?], reference: [String], guesses: Int) -> [[String]] {
        var filterCounts: [BloomFilter: Int] = [:]
        for f in filters { if let f, !f.isEmpty { filterCounts[f, default: 0] += 1 } }
        let encoded = filterCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.words.lexicographicallyPrecedes($1.key.words) }
            .prefix(maxNodes)
        let plain = FrequencyTable(reference.filter { !$0.isEmpty })
        let nE = encoded.count, nP = min(plain.values.count, maxNodes)
        guard nE > 1, nP > 1 else { return filters.map { _ in [] } }
        let eNodes = encoded.map(\.key)
        let totalE = Float(filterCounts.values.reduce(0, +)), totalP = Float(plain.counts.reduce(0, +))

        // Similarity matrices.
        var simE = [Float](repeating: 0, count: nE * nE)
        for i in 0..<nE {
            simE[i * nE + i] = 1
            for j in (i + 1)..<nE {
                let d = Float(eNodes[i].dice(eNodes[j]))
                simE[i * nE + j] = d
                simE[j * nE + i] = d
            }
        }
        var gramIDs: [String: Int] = [:]
        let gramSets: [[Int]] = (0..<nP).map { v in
            Set(KeyedEncoder.qgrams(plain.values[v], q: bloom.q)).map { g in
                if let id = gramIDs[g] { return id }
                gramIDs[g] = gramIDs.count
                return gramIDs.count - 1
            }.sorted()
        }
        let m = Double(bloom.bits), k = Double(bloom.hashes)
        func unset(_ grams: Int) -> Double { pow(1 - 1 / m, k * Double(grams)) }
        var simP = [Float](repeating: 0, count: nP * nP)
        for i in 0..<nP {
            simP[i * nP + i] = 1
            for j in (i + 1)..<nP {
                let a = gramSets[i].count, b = gramSets[j].count
                var c = 0, x = 0, y = 0
                while x < a && y < b {
                    if gramSets[i][x] == gramSets[j][y] { c += 1; x += 1; y += 1 } else if gramSets[i][x] < gramSets[j][y] { x += 1 } else { y += 1 }
                }
                let ea = 1 - unset(a), eb = 1 - unset(b)
                let both = 1 - unset(a) - unset(b) + unset(a + b - c)
                let d = Float(2 * both / (ea + eb))
                simP[i * nP + j] = d
                simP[j * nP + i] = d
            }
        }

        // Step 1: structural features, compared in one space.
        func features(_ sim: [Float], _ n: Int, _ share: (Int) -> Float) -> [[Float]] {
            (0..<n).map { i in
                var row = Array(sim[(i * n)..<(i * n + n)])
                row[i] = 0
                var f: [Float] = [log(share(i))]
                for t in Self.thresholds {
                    let deg = row.reduce(0) { $0 + ($1 >= t ? 1 : 0) }
                    f.append(log(1 + Float(deg) * 1000 / Float(n)))
                }
                row.sort(by: >)
                for r in 0..<3 { f.append(r < row.count ? 4 * row[r] : 0) }
                return f
            }
        }
        let fE = features(simE, nE) { Float(encoded[$0].value) / totalE }
        let fP = features(simP, nP) { Float(plain.counts[$0]) / totalP }
        var distance = [Float](repeating: 0, count: nE * nP)
        for i in 0..<nE {
            for j in 0..<nP {
                var d: Float = 0
                for (a, b) in zip(fE[i], fP[j]) { d += abs(a - b) }
                distance[i * nP + j] = d
            }
        }

        // Step 3: anchors from mutual nearest matches, then similarity-to-anchor profiles.
        for _ in 0..<rounds {
            var bestP = [Int](repeating: 0, count: nE), bestE = [Int](repeating: 0, count: nP)
            var bestPD = [Float](repeating: .infinity, count: nE), bestED = [Float](repeating: .infinity, count: nP)
            for i in 0..<nE {
                for j in 0..<nP {
                    let d = distance[i * nP + j]
                    if d < bestPD[i] { bestPD[i] = d; bestP[i] = j }
                    if d < bestED[j] { bestED[j] = d; bestE[j] = i }
                }
            }
            let anchors = (0..<nE).filter { bestE[bestP[$0]] == $0 }.sorted { bestPD[$0] < bestPD[$1] }
                .prefix(maxAnchors).map { ($0, bestP[$0]) }
            guard anchors.count >= 3 else { break }
            for i in 0..<nE {
                for j in 0..<nP {
                    var d: Float = 0
                    for (ae, ap) in anchors { d += abs(simE[i * nE + ae] - simP[j * nP + ap]) }
                    distance[i * nP + j] = d / Float(anchors.count) + 0.05 * abs(fE[i][0] - fP[j][0])
                }
            }
        }

        var nodeGuesses: [BloomFilter: [String]] = [:]
        for i in 0..<nE {
            let row = distance[(i * nP)..<(i * nP + nP)]
            let ranked = row.indices.sorted { row[$0] != row[$1] ? row[$0] < row[$1] : $0 < $1 }
            nodeGuesses[eNodes[i]] = ranked.prefix(guesses).map { plain.values[$0 - i * nP] }
        }
        return filters.map { f in f.flatMap { nodeGuesses[$0] } ?? [] }
    }
}
