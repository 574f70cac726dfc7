import Foundation
import LinkCrypto
import Normalisation
import Testing
import Tokenisation
@testable import Matching

@Suite("Linking several agencies")
struct LinkerTests {
    static let header = ["id", "forename", "surname", "dob", "sex", "postcode", "address"]
    static let key = try! LinkageKey(secret: SecureBytes([UInt8](repeating: 3, count: 32)))

    static func agency(_ name: String, _ rows: [[String]]) throws -> AgencyRecords {
        let encoder = try RecordEncoder(
            schema: SchemaSuggestion.suggest(header: header), header: header, key: key, sealer: nil,
            batchDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        return AgencyRecords(agency: name, records: try rows.map { try encoder.encode($0).get() })
    }

    /// 120 synthetic people known to three agencies, with variations, plus people each agency alone knows.
    static func agencies() throws -> [AgencyRecords] {
        let given = ["oliver", "amelia", "jack", "isla", "harry", "ava", "george", "mia", "noah", "grace", "leo", "freya"]
        let surnames = ["smith", "jones", "taylor", "brown", "williams", "wilson", "johnson", "davies", "patel", "wright", "walker", "khan", "evans"]
        func person(_ i: Int) -> [String] {
            [given[i % given.count], surnames[(i / 3) % surnames.count] + (i >= 39 ? "\(["a", "e", "o"][i % 3])n" : ""),
             String(format: "%02d/%02d/%04d", 1 + i % 28, 1 + (i * 7) % 12, 1940 + i % 70), i % 2 == 0 ? "M" : "F",
             "LS\(1 + i % 20) \(i % 9)AB", "\(i % 90 + 1) High Street"]
        }
        var police: [[String]] = [], health: [[String]] = [], school: [[String]] = []
        for i in 0..<120 {
            let p = person(i)
            police.append(["p\(i)"] + p)
            health.append(["h\(i)", p[0].uppercased(), p[1], p[2], p[3], p[4], p[5].replacingOccurrences(of: "Street", with: "St")])
            if i % 2 == 0 { school.append(["s\(i)"] + p) }
        }
        for i in 200..<240 { police.append(["p\(i)"] + person(i * 13 + 7)) }
        return [try agency("police", police), try agency("health", health), try agency("school", school)]
    }

    @Test("people known to several agencies form one cluster each; no cluster holds two records of one agency")
    func clusters() throws {
        let agencies = try Self.agencies()
        let result = Linker.link(agencies)
        var byCluster: [Int: [(String, String)]] = [:]
        for c in result.clusters { byCluster[c.cluster, default: []].append((c.agency, c.record)) }
        for (_, members) in byCluster {
            #expect(Set(members.map(\.0)).count == members.count, "a cluster holds two records of one agency")
        }
        // Person i is police[i], health[i] and (if even) school[i/2].
        func cluster(_ agency: Int, _ index: Int) -> Int? {
            let ref = agencies[agency].records[index].reference
            return result.clusters.first { $0.agency == agencies[agency].agency && $0.record == ref }?.cluster
        }
        var together = 0
        for i in 0..<120 where cluster(0, i) == cluster(1, i) && (i % 2 == 1 || cluster(0, i) == cluster(2, i / 2)) { together += 1 }
        #expect(together >= 110, "people brought together: \(together) of 120")
        // Police-only people stay alone.
        for i in 120..<160 { #expect(byCluster[cluster(0, i)!]!.count == 1) }
        #expect(result.links.allSatisfy { $0.leftAgency != $0.rightAgency })

        // A threshold no pair reaches empties the match band and leaves every record alone.
        let strict = Linker.link(agencies, model: result.model, matchThreshold: 10_000)
        #expect(strict.links.allSatisfy { $0.band == .possible })
        #expect(Set(strict.clusters.map(\.cluster)).count == strict.clusters.count)
    }

    @Test("batches under different linkage keys or encodings are refused for linking")
    func linkable() {
        let schema = SchemaSuggestion.suggest(header: Self.header)
        let a = BatchHeader(batchID: "1", agency: "police", createdAt: "", batchDate: "", linkageKeyID: "k1", signingKeyID: "s", hubReleaseKeyID: "h", schema: schema)
        var b = BatchHeader(batchID: "2", agency: "health", createdAt: "", batchDate: "", linkageKeyID: "k1", signingKeyID: "t", hubReleaseKeyID: "h", schema: schema)
        #expect(throws: Never.self) { try a.checkLinkable(with: b) }
        b.linkageKeyID = "k2"
        #expect(throws: TokenisationError.self) { try a.checkLinkable(with: b) }
        var other = schema
        other.bloom.bits = 512
        let c = BatchHeader(batchID: "3", agency: "school", createdAt: "", batchDate: "", linkageKeyID: "k1", signingKeyID: "u", hubReleaseKeyID: "h", schema: other)
        #expect(throws: TokenisationError.self) { try a.checkLinkable(with: c) }
    }
}
