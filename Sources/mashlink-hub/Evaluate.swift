import ArgumentParser
import Foundation
import LinkFiles
import Matching

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure links.csv (and clusters.csv) against a truth file: pairwise precision, recall and F1.",
        discussion: """
            Examples:
              mashlink-hub evaluate --links out/links.csv --clusters out/clusters.csv --truth truth.csv \\
                  --refs police=police.mlb.refs.csv --refs health=health.mlb.refs.csv
            The truth file is either agency,record,person rows or pairs of agency record ids (id_1,id_2);
            --refs maps an agency's own ids to the batch's references (the agency's local map).
            For test data only: a truth file and the reference maps say who is who.
            """)

    @Option(help: "links.csv from mashlink-hub link.") var links: String
    @Option(help: "clusters.csv from mashlink-hub link (adds cluster-level figures).") var clusters: String?
    @Option(help: "The truth file.") var truth: String
    @Option(help: "AGENCY=FILE: an agency's reference map (record_id,reference); repeat per agency.") var refs: [String] = []
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        var maps: [String: [String: String]] = [:]
        for r in refs {
            guard let eq = r.firstIndex(of: "=") else { throw ValidationError("--refs takes AGENCY=FILE, got \(r)") }
            maps[String(r[..<eq])] = try LinkFiles.readReferenceMap(String(r[r.index(after: eq)...]))
        }
        let (persons, unreferenced) = try LinkFiles.readTruth(truth, referenceMaps: maps)
        var byPerson: [String: [RecordID]] = [:]
        for (r, p) in persons { byPerson[p, default: []].append(r) }
        let truePairs = Evaluation.pairs(of: byPerson)
        let rows = try LinkFiles.readLinks(links)
        let match = PairwiseMetrics(predicted: Set(rows.filter { $0.band == .match }.map(\.pair)), truth: truePairs)
        let either = PairwiseMetrics(predicted: Set(rows.filter { $0.band != .nonMatch }.map(\.pair)), truth: truePairs)
        let cluster = try clusters.map { ClusterMetrics(clusters: try LinkFiles.readClusters($0), persons: persons) }
        if json {
            struct Report: Encodable {
                let truePairs: Int, truthRecordsWithoutReference: Int
                let matchBand: PairwiseMetrics, matchOrPossible: PairwiseMetrics, clusters: ClusterMetrics?
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = Report(truePairs: truePairs.count, truthRecordsWithoutReference: unreferenced, matchBand: match, matchOrPossible: either, clusters: cluster)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("true pairs \(truePairs.count); truth records with no reference (rejected at tokenising): \(unreferenced)")
        print(line("match band", match))
        print(line("match or possible", either))
        if let c = cluster {
            print(line("clusters (pairs)", c.pairwise))
            print("clusters: \(c.persons) persons, \(c.exactlyRecovered) recovered exactly, \(c.mergedClusters) clusters hold more than one person, \(c.splitPersons) persons split")
        }
    }

    private func line(_ name: String, _ m: PairwiseMetrics) -> String {
        String(format: "%@: precision %.4f recall %.4f F1 %.4f (%d true, %d false, %d missed)", name, m.precision, m.recall, m.f1, m.truePositives, m.falsePositives, m.falseNegatives)
    }
}
