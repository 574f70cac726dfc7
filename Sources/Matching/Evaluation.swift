/// A record as the hub names it: the agency and the batch's record reference.
public struct RecordID: Sendable, Hashable, Comparable {
    /// The agency.
    public let agency: String
    /// The record reference (or, in a truth file, whatever identifies the record in that agency).
    public let record: String

    /// Makes an id.
    public init(agency: String, record: String) {
        self.agency = agency
        self.record = record
    }

    public static func < (a: RecordID, b: RecordID) -> Bool { (a.agency, a.record) < (b.agency, b.record) }
}

/// An unordered pair of records.
public struct RecordPair: Sendable, Hashable {
    /// The smaller and the larger of the two.
    public let first: RecordID, second: RecordID

    /// The pair of `a` and `b`, in either order.
    public init(_ a: RecordID, _ b: RecordID) { (first, second) = a < b ? (a, b) : (b, a) }
}

/// Pairwise precision, recall and F1 of predicted pairs against true pairs.
public struct PairwiseMetrics: Sendable, Hashable, Codable {
    /// Predicted pairs that are true.
    public let truePositives: Int
    /// Predicted pairs that are not true.
    public let falsePositives: Int
    /// True pairs not predicted.
    public let falseNegatives: Int

    /// Compares `predicted` with `truth`.
    public init(predicted: Set<RecordPair>, truth: Set<RecordPair>) {
        let tp = predicted.reduce(0) { $0 + (truth.contains($1) ? 1 : 0) }
        truePositives = tp
        falsePositives = predicted.count - tp
        falseNegatives = truth.count - tp
    }

    /// TP / (TP + FP); 1 when nothing was predicted.
    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }
    /// TP / (TP + FN); 1 when there is nothing to find.
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    /// Harmonic mean of precision and recall.
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
}

/// Cluster-level quality: how the predicted persons compare with the true persons.
public struct ClusterMetrics: Sendable, Hashable, Codable {
    /// Pairwise metrics over every pair of records put in one cluster.
    public let pairwise: PairwiseMetrics
    /// True persons with at least one record among the clustered records.
    public let persons: Int
    /// True persons whose records form exactly one predicted cluster, with nothing else in it.
    public let exactlyRecovered: Int
    /// Predicted clusters holding records of more than one true person (false merges).
    public let mergedClusters: Int
    /// True persons whose records are spread over more than one predicted cluster.
    public let splitPersons: Int

    /// Compares predicted `clusters` (record → cluster) with true `persons` (record → person),
    /// over the records of the truth: one missing from `clusters` (rejected at tokenising) stands
    /// alone, so its pairs count as missed.
    public init(clusters predicted: [RecordID: String], persons: [RecordID: String]) {
        var clusters = predicted.filter { persons[$0.key] != nil }
        for r in persons.keys where clusters[r] == nil { clusters[r] = "(alone) \(r.agency)/\(r.record)" }
        let records = Array(clusters.keys)
        var byCluster: [String: [RecordID]] = [:], byPerson: [String: [RecordID]] = [:]
        for r in records {
            byCluster[clusters[r]!, default: []].append(r)
            byPerson[persons[r]!, default: []].append(r)
        }
        pairwise = PairwiseMetrics(predicted: Evaluation.pairs(of: byCluster), truth: Evaluation.pairs(of: byPerson))
        self.persons = byPerson.count
        exactlyRecovered = byPerson.values.filter { members in
            let c = Set(members.map { clusters[$0]! })
            return c.count == 1 && byCluster[c.first!]!.count == members.count
        }.count
        mergedClusters = byCluster.values.filter { Set($0.map { persons[$0]! }).count > 1 }.count
        splitPersons = byPerson.values.filter { Set($0.map { clusters[$0]! }).count > 1 }.count
    }
}

/// Turning groups into pairs for evaluation.
public enum Evaluation {
    /// Every unordered pair of records that share a group.
    public static func pairs<Key>(of groups: [Key: [RecordID]]) -> Set<RecordPair> {
        var out = Set<RecordPair>()
        for members in groups.values where members.count > 1 {
            for i in members.indices { for j in members.indices where j > i { out.insert(RecordPair(members[i], members[j])) } }
        }
        return out
    }
}
