import Foundation
import LinkCrypto
import Normalisation
import Testing
import Tokenisation
@testable import Matching

@Suite("Comparison, EM-trained scoring, one-to-one")
struct ScoringTests {
    static let header = ["id", "forename", "surname", "dob", "sex", "postcode", "address", "nhs"]
    static let key = try! LinkageKey(secret: SecureBytes([UInt8](repeating: 9, count: 32)))
    /// A fresh encoder per call: encoders hold mutable HMAC contexts and tests run in parallel.
    static func record(_ row: [String]) throws -> EncodedRecord {
        try RecordEncoder(
            schema: SchemaSuggestion.suggest(header: header), header: header, key: key, sealer: nil,
            batchDate: CalendarDate(year: 2026, month: 11, day: 23)!
        ).encode(row).get()
    }

    @Test("comparison levels name what agreed, without identifiers")
    func levels() throws {
        let a = try Self.record(["1", "William", "O'Brien", "12/03/2012", "M", "SW1A 1AA", "14 High Street", "9434765919"])
        let b = try Self.record(["2", "Bill", "OBrien", "03/12/2012", "male", "SW1A 1AB", "14 High St", ""])
        let v = Comparator.compare(a, b)
        #expect(v[.givenName] == 1)            // nickname
        #expect(v[.surname] == 0)              // exact after folding
        #expect(v[.dateOfBirth] == 1)          // day and month transposed
        #expect(v[.sex] == 0)
        #expect(v[.postcode] == 1)             // same sector
        #expect(v[.nhsNumber] == nil)          // missing on one side: no evidence
        let c = try Self.record(["3", "Willem", "Smyth", "1990-01-01", "F", "M1 4BT", "", ""])
        let w = Comparator.compare(a, c)
        #expect(w[.surname] == 5 && w[.dateOfBirth] == 3 && w[.sex] == 1 && w[.postcode] == 3)
        #expect(w[.address] == nil)
    }

    /// Synthetic people: each left record has a corrupted copy on the right plus unrelated decoys
    /// that share its date of birth (as blocking would bring them together).
    static func population() throws -> (left: [EncodedRecord], right: [EncodedRecord], pairs: [CandidatePair], truth: Set<CandidatePair>) {
        let given = ["oliver", "amelia", "jack", "isla", "harry", "ava", "george", "mia", "noah", "grace", "leo", "freya", "arthur", "lily", "oscar", "emily"]
        let surnames = ["smith", "jones", "taylor", "brown", "williams", "wilson", "johnson", "davies", "patel", "wright", "walker", "khan", "evans", "thomas", "roberts", "green"]
        var left: [EncodedRecord] = [], right: [EncodedRecord] = [], pairs: [CandidatePair] = [], truth = Set<CandidatePair>()
        var g = SplitMix64(seed: 42)
        func pick(_ a: [String]) -> String { a[Int(g.next() % UInt64(a.count))] }
        for i in 0..<300 {
            let first = pick(given), last = pick(surnames)
            let dob = String(format: "%02d/%02d/%04d", 1 + i % 28, 1 + i % 12, 1950 + i % 60)
            let pc = "LS\(1 + i % 20) \(i % 9)AB"
            left.append(try record(["l\(i)", first, last, dob, i % 2 == 0 ? "M" : "F", pc, "\(i % 90 + 1) High Street", ""]))
            // The true copy: sometimes a typo in the surname or a different postcode.
            let typo = i % 3 == 0 ? String(last.dropLast()) + "e" : last
            right.append(try record(["r\(i)", first, typo, dob, i % 2 == 0 ? "M" : "F", i % 4 == 0 ? "M1 1AA" : pc, "\(i % 90 + 1) High St", ""]))
            pairs.append(CandidatePair(left: i, right: right.count - 1))
            truth.insert(CandidatePair(left: i, right: right.count - 1))
            // Two decoys with the same date of birth but otherwise random.
            for d in 0..<2 {
                right.append(try record(["d\(i)-\(d)", pick(given), pick(surnames), dob, d == 0 ? "M" : "F", "B\(1 + d) 2TT", "", ""]))
                pairs.append(CandidatePair(left: i, right: right.count - 1))
            }
        }
        return (left, right, pairs, truth)
    }

    static func trained(
        _ data: (left: [EncodedRecord], right: [EncodedRecord], pairs: [CandidatePair], truth: Set<CandidatePair>)
    ) -> ([ComparisonVector], MatchModel) {
        let vectors = data.pairs.map { Comparator.compare(data.left[$0.left], data.right[$0.right]) }
        let model = ModelTrainer.train(
            vectors: vectors, u: ModelTrainer.estimateU(left: data.left, right: data.right, samples: 5_000),
            possiblePairs: data.left.count * data.right.count)
        return (vectors, model)
    }

    @Test("EM separates true pairs from decoys without labels, and the match band is precise")
    func em() throws {
        let data = try Self.population()
        let (vectors, model) = Self.trained(data)
        // 300 true pairs among 300 × 900 possible.
        #expect(abs(model.prior - 300.0 / 270_000) < 0.0002, "prior \(model.prior)")
        #expect(model.weight(.surname, level: 0) > 0 && model.weight(.surname, level: 5) < 0)
        #expect(model.weight(.givenName, level: 0) > model.weight(.givenName, level: 5))
        var tp = 0, fp = 0
        for (pair, v) in zip(data.pairs, vectors) where model.band(model.score(v)) == .match {
            if data.truth.contains(pair) { tp += 1 } else { fp += 1 }
        }
        #expect(fp == 0, "false matches: \(fp)")
        // Names come from pools of 16, so they are weak evidence here; two thirds found with none false is the bar.
        #expect(tp >= 200, "true matches found: \(tp) of 300")
        // The model round-trips as JSON, so a trained model can be reused.
        let json = try JSONEncoder().encode(model)
        #expect(try JSONDecoder().decode(MatchModel.self, from: json) == model)
    }

    @Test("evidence is a readable waterfall of field, level and weight")
    func evidence() throws {
        let data = try Self.population()
        let (vectors, model) = Self.trained(data)
        let lines = model.evidence(vectors[0]).map(\.description)
        #expect(lines.contains { $0.hasPrefix("dateOfBirth: exact, +") })
        #expect(lines.allSatisfy { !$0.contains("oliver") && !$0.contains("smith") })
    }

    @Test("one-to-one keeps each record's best partner only")
    func oneToOne() {
        let pairs = [CandidatePair(left: 0, right: 0), CandidatePair(left: 0, right: 1), CandidatePair(left: 1, right: 1), CandidatePair(left: 2, right: 1)]
        #expect(OneToOne.keep(pairs, scores: [10, 12, 11, 3]) == [1])
        #expect(OneToOne.keep(pairs, scores: [10, 2, 11, 3]) == [0, 2])
    }
}

@Suite("Term-frequency adjustment")
struct TermFrequencyTests {
    @Test("agreeing on a common surname counts for less than agreeing on a rare one")
    func commonVersusRare() throws {
        let data = try ScoringTests.population()
        let (_, model) = ScoringTests.trained(data)
        // Make "smith" common: 50 extra records carry it.
        let extra = try (0..<50).map { try ScoringTests.record(["x\($0)", "Extra", "Smith", "", "", "", "", ""]) }
        let smithA = try ScoringTests.record(["1", "Oliver", "Smith", "01/02/1990", "M", "", "", ""])
        let smithB = try ScoringTests.record(["2", "Oliver", "Smith", "01/02/1990", "M", "", "", ""])
        let rareA = try ScoringTests.record(["3", "Oliver", "Quennell", "01/02/1990", "M", "", "", ""])
        let rareB = try ScoringTests.record(["4", "Oliver", "Quennell", "01/02/1990", "M", "", "", ""])
        let tf = TermFrequencies(data.left + data.right + extra + [smithA, smithB, rareA, rareB])
        let scorer = Scorer(model: model, termFrequencies: tf)
        let common = scorer.score(smithA, smithB, Comparator.compare(smithA, smithB))
        let rare = scorer.score(rareA, rareB, Comparator.compare(rareA, rareB))
        #expect(common < model.score(Comparator.compare(smithA, smithB)))
        #expect(rare > common)
        #expect(rare > model.score(Comparator.compare(rareA, rareB)), "a rare value should weigh more than the average")
        // Without adjustment both score the same.
        #expect(Scorer(model: model).score(smithA, smithB, Comparator.compare(smithA, smithB)) == model.score(Comparator.compare(rareA, rareB)))
    }
}
