import Foundation
import Matching
import Testing
@testable import LinkFiles

@Suite("Link files and evaluation")
struct LinkFilesTests {
    static func write(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("linkfiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("pairwise metrics over links against a truth of id pairs, through the agencies' reference maps")
    func pairTruth() throws {
        // Agency a: ids a1..a3 → refs ra1..ra3; agency b: b1..b3 → rb1..rb3 (b3 was rejected: no reference).
        let refsA = try Self.write("record_id,reference\na1,ra1\na2,ra2\na3,ra3\n", "a.refs.csv")
        let refsB = try Self.write("record_id,reference\nb1,rb1\nb2,rb2\n", "b.refs.csv")
        let truth = try Self.write("id_1,id_2\na1,b1\na2,b2\na3,b3\n", "truth.csv")
        let links = try Self.write("""
            left_agency,left_record,right_agency,right_record,score,band
            a,ra1,b,rb1,20.00,match
            a,ra2,b,rb1,12.00,match
            a,ra2,b,rb2,5.00,possible

            """, "links.csv")
        let maps = ["a": try LinkFiles.readReferenceMap(refsA), "b": try LinkFiles.readReferenceMap(refsB)]
        let (persons, unreferenced) = try LinkFiles.readTruth(truth, referenceMaps: maps)
        #expect(unreferenced == 1)
        var byPerson: [String: [RecordID]] = [:]
        for (r, p) in persons { byPerson[p, default: []].append(r) }
        let truePairs = Evaluation.pairs(of: byPerson)
        #expect(truePairs.count == 3, "the rejected record's pair still counts")
        let rows = try LinkFiles.readLinks(links)
        let match = PairwiseMetrics(predicted: Set(rows.filter { $0.band == .match }.map(\.pair)), truth: truePairs)
        #expect(match.truePositives == 1 && match.falsePositives == 1 && match.falseNegatives == 2)
        #expect(match.precision == 0.5 && abs(match.recall - 1.0 / 3) < 1e-12)
        let either = PairwiseMetrics(predicted: Set(rows.map(\.pair)), truth: truePairs)
        #expect(either.truePositives == 2)
    }

    @Test("cluster metrics count false merges, split persons and exact recoveries")
    func clusters() {
        func r(_ a: String, _ x: String) -> RecordID { RecordID(agency: a, record: x) }
        let persons = [r("a", "1"): "p", r("b", "1"): "p", r("c", "1"): "p", r("a", "2"): "q", r("b", "2"): "q", r("a", "3"): "s"]
        // p split in two clusters, q merged with s.
        let clusters = [r("a", "1"): "1", r("b", "1"): "1", r("c", "1"): "2", r("a", "2"): "3", r("b", "2"): "3", r("a", "3"): "3"]
        let m = ClusterMetrics(clusters: clusters, persons: persons)
        #expect(m.persons == 3)
        #expect(m.exactlyRecovered == 0)
        #expect(m.mergedClusters == 1)
        #expect(m.splitPersons == 1)
        #expect(m.pairwise.truePositives == 2 && m.pairwise.falsePositives == 2 && m.pairwise.falseNegatives == 2)
    }

    @Test("a truth file of agency,record,person rows, and malformed files named with their line")
    func personTruthAndErrors() throws {
        let truth = try Self.write("agency,record,person\na,x1,P1\nb,y1,P1\nb,y2,P2\n", "truth.csv")
        let (persons, unreferenced) = try LinkFiles.readTruth(truth, referenceMaps: [:])
        #expect(unreferenced == 0 && persons.count == 3)
        #expect(persons[RecordID(agency: "b", record: "y1")] == "P1")
        let bad = try Self.write("left_agency,left_record,right_agency,right_record,score,band\na,1,b,2,3.0,maybe\n", "links.csv")
        #expect(throws: LinkFileError.self) { try LinkFiles.readLinks(bad) }
        let pairs = try Self.write("id_1,id_2\na1,b1\n", "pairs.csv")
        #expect(throws: LinkFileError.self) { try LinkFiles.readTruth(pairs, referenceMaps: [:]) }
    }
}
