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
        #expect(v[.givenName] == 3)            // nickname
        #expect(v[.surname] == 0)              // exact after folding
        #expect(v[.dateOfBirth] == 1)          // day and month transposed
        #expect(v[.sex] == 0)
        #expect(v[.location] == 3)             // same postcode sector, similar address (different house token)
        #expect(v[.nhsNumber] == nil)          // missing on one side: no evidence
        let c = try Self.record(["3", "Willem", "Smyth", "1990-01-01", "F", "M1 4BT", "", ""])
        let w = Comparator.compare(a, c)
        #expect(w[.surname] == 5 && w[.dateOfBirth] == 5 && w[.sex] == 1 && w[.location] == 5)
        // Location is comparable from postcodes alone; with neither postcode nor address on a side it is missing.
        let d = try Self.record(["4", "Willem", "Smyth", "1990-01-01", "F", "", "", ""])
        #expect(Comparator.compare(a, d)[.location] == nil)
    }

    @Test("other identifiers of different schemes are not compared; of one scheme, or without one, they agree or disagree")
    func identifierSchemes() throws {
        func record(_ header: [String], _ row: [String]) throws -> EncodedRecord {
            try RecordEncoder(
                schema: SchemaSuggestion.suggest(header: header), header: header, key: Self.key, sealer: nil,
                batchDate: CalendarDate(year: 2026, month: 11, day: 23)!
            ).encode(row).get()
        }
        let pupil = try record(["id", "forename", "surname", "UPN"], ["1", "Ann", "Lee", "A123"])
        let pupil2 = try record(["id", "forename", "surname", "upn"], ["2", "Ann", "Lee", "B456"])
        let police = try record(["id", "forename", "surname", "PNC_ID"], ["3", "Ann", "Lee", "B456"])
        let local = try record(["id", "forename", "surname", "local_number"], ["4", "Ann", "Lee", "B456"])
        #expect(Comparator.compare(pupil, pupil2)[.otherIdentifier] == 2, "one scheme, different values: disagreement")
        #expect(Comparator.compare(pupil, police)[.otherIdentifier] == nil, "a pupil number and a police id say nothing of each other")
        #expect(Comparator.compare(pupil2, police)[.otherIdentifier] == 0, "the same value agrees whatever the schemes")
        // A column the suggester does not know has no scheme: it is compared with every identifier.
        var schema = SchemaSuggestion.suggest(header: ["id", "forename", "surname", "local_number"])
        schema.columns[3] = ColumnRole(column: "local_number", field: .otherIdentifier)
        let unschemed = try RecordEncoder(
            schema: schema, header: ["id", "forename", "surname", "local_number"], key: Self.key, sealer: nil,
            batchDate: CalendarDate(year: 2026, month: 11, day: 23)!).encode(["5", "Ann", "Lee", "C789"]).get()
        #expect(Comparator.compare(unschemed, pupil)[.otherIdentifier] == 2)
        #expect(local.tokens[TokenName.other] == nil, "an unknown column is not used")
    }

    @Test("an identifier one keying error from another agrees on a neighbour; short identifiers and two errors do not")
    func identifierOneApart() throws {
        let header = ["id", "forename", "surname", "UPN"]
        func record(_ id: String, _ upn: String) throws -> EncodedRecord {
            try RecordEncoder(
                schema: SchemaSuggestion.suggest(header: header), header: header, key: Self.key, sealer: nil,
                batchDate: CalendarDate(year: 2026, month: 11, day: 23)!
            ).encode([id, "Ann", "Lee", upn]).get()
        }
        let a = try record("1", "H801200001001")
        #expect(Comparator.compare(a, try record("2", "H801200001001"))[.otherIdentifier] == 0)
        for near in ["H801200001007", "H810200001001", "H80120001001", "H8012000010013"] {
            #expect(Comparator.compare(a, try record("2", near))[.otherIdentifier] == 1, "\(near): changed, swapped, dropped, added")
        }
        #expect(Comparator.compare(a, try record("2", "H801200001077"))[.otherIdentifier] == 2, "two changes")
        #expect(Comparator.compare(try record("1", "A1234"), try record("2", "A1235"))[.otherIdentifier] == 2, "five characters: no neighbours")
        #expect(ComparedField.otherIdentifier.levels == ["same", "one character apart", "different"])
    }

    static let middleHeader = ["id", "forename", "middle_name", "surname", "dob"]
    static func withMiddle(_ row: [String]) throws -> EncodedRecord {
        try RecordEncoder(
            schema: SchemaSuggestion.suggest(header: middleHeader), header: middleHeader, key: key, sealer: nil,
            batchDate: CalendarDate(year: 2026, month: 11, day: 23)!
        ).encode(row).get()
    }

    @Test("given-name levels: nickname, phonetic, one letter apart, short form, somewhat similar, different", arguments: [
        ("Oluwadamilola", "Damilola", 7), ("Tomasz", "Tom", 3), ("Adebayo", "Bayo", 3), ("Chidinma", "Dinma", 7),
        ("Olivia", "Amelia", 9), ("Jack", "Jake", 4), ("Brian", "Ian", 9), ("Karen", "Kareh", 6), ("Aoife", "Aoifr", 6),
        ("Hawa", "Hwaa", 6), ("Dafydd", "Dafpydd", 6),
        // A name inside a longer one is not always its short form; the model weighs the level by how
        // often different people show it (and, at one address, by what co-resident people share).
        ("Jonathan", "Nathan", 7), ("Isabella", "Ella", 7),
    ])
    func newLevels(long: String, short: String, level: Int) throws {
        // BLIP flips about 2% of each filter's bits at random, under the linkage key, so a level read
        // from filters (similar, short form) is a property of most keys, not of every one: with one
        // fixed key, a pair near a threshold passes or fails by the draw of its flips. Each pair is
        // compared under 40 keys and must reach its level under most of them.
        var reached = 0
        let keys = 40
        for k in 1...keys {
            let key = try LinkageKey(secret: SecureBytes([UInt8](repeating: UInt8(k), count: 32)))
            let encoder = try RecordEncoder(
                schema: SchemaSuggestion.suggest(header: Self.middleHeader), header: Self.middleHeader, key: key, sealer: nil,
                batchDate: CalendarDate(year: 2026, month: 11, day: 23)!)
            let a = try encoder.encode(["1", long, "", "Smith", "12/03/2012"]).get()
            let b = try encoder.encode(["2", short, "", "Smith", "12/03/2012"]).get()
            if Comparator.compare(a, b)[.givenName] == level { reached += 1 }
        }
        print("given-name level \(level) for \(long) / \(short) under \(reached) of \(keys) keys")
        #expect(2 * reached > keys, "\(long) / \(short): level \(level) under \(reached) of \(keys) keys")
    }

    @Test("a comparison vector packs its levels in one word: they round-trip, missing stays missing, order is the fields' order")
    func vectorPacking() {
        let n = ComparedField.allCases.count
        var g = SplitMix64(seed: 3)
        let vectors = (0..<500).map { _ in (0..<n).map { i -> Int? in let x = Int(g.next() % 10); return x == 9 ? nil : min(x, ComparedField.allCases[i].levels.count - 1) } }
        for levels in vectors {
            let v = ComparisonVector(levels: levels)
            #expect(v.levels == levels)
            for (i, field) in ComparedField.allCases.enumerated() { #expect(v[field] == levels[i]) }
        }
        let sorted = ModelTrainer.sortedPatterns(vectors.map(ComparisonVector.init)).map(\.vector.levels)
        let expected = Array(Set(vectors.map { $0.map { $0 ?? -1 } })).sorted { $0.lexicographicallyPrecedes($1) }
        #expect(sorted.map { $0.map { $0 ?? -1 } } == expected)
        var v = ComparisonVector(levels: vectors[0])
        v.setLevel(nil, at: 0)
        v.setLevel(3, at: n - 1)
        #expect(v.level(at: 0) == nil && v.level(at: n - 1) == 3 && Array(v.levels[1..<(n - 1)]) == Array(vectors[0][1..<(n - 1)]))
    }

    @Test("given name and surname transposed are one piece of evidence: the given-name level, the surname not compared again")
    func transposedNames() throws {
        let a = try Self.withMiddle(["1", "Wei", "", "Zhang", "12/03/2012"])
        let swapped = Comparator.compare(a, try Self.withMiddle(["2", "Zhang", "", "Wei", "12/03/2012"]))
        #expect(swapped[.givenName] == Comparator.GivenLevel.transposed.rawValue && swapped[.surname] == nil)
        #expect(ComparedField.givenName.levels[Comparator.GivenLevel.transposed.rawValue] == "given name and surname transposed")
        #expect(Comparator.GivenLevel.allCases.count == ComparedField.givenName.levels.count)
        #expect(ComparedField.givenName.levels[Comparator.GivenLevel.crossed.rawValue] == "one's given name is the other's surname")
        #expect(ComparedField.givenName.levels[Comparator.GivenLevel.similar.rawValue] == "similar (Dice ≥ 0.8)")
        #expect(ComparedField.givenName.levels[Comparator.GivenLevel.different.rawValue] == "different")
        // One name crossed over, the other different: the crossed level, the surname not compared again.
        let half = Comparator.compare(a, try Self.withMiddle(["2", "Zhang", "", "Li", "12/03/2012"]))
        #expect(half[.givenName] == Comparator.GivenLevel.crossed.rawValue && half[.surname] == nil)
        #expect(Comparator.compare(try Self.withMiddle(["2", "Li", "", "Wei", "12/03/2012"]), a)[.givenName] == Comparator.GivenLevel.crossed.rawValue)
        // Different given names with one surname are not crossed, even where a given name is that surname.
        let kelly = try Self.withMiddle(["1", "Kelly", "", "Kelly", "12/03/2012"])
        let sister = Comparator.compare(kelly, try Self.withMiddle(["2", "Anne", "", "Kelly", "12/03/2012"]))
        #expect(sister[.givenName] == 9 && sister[.surname] == 0)
        // Same names the same way round stay exact.
        let same = Comparator.compare(a, try Self.withMiddle(["2", "Wei", "", "Zhang", "12/03/2012"]))
        #expect(same[.givenName] == 0 && same[.surname] == 0)
    }

    @Test("birth year one off agrees on day and month; middle names compare as same, same initial, different or not at all")
    func dateAndMiddle() throws {
        let a = try Self.withMiddle(["1", "Nicola", "Claire", "Bailey", "06/04/1985"])
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicky", "Claire", "Bailey", "06/04/1986"]))[.dateOfBirth] == 3)
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicky", "Claire", "Bailey", "07/04/1985"]))[.dateOfBirth] == 2)
        // One digit apart: a month keyed wrong, or a digit dropped and another added.
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicky", "Claire", "Bailey", "06/05/1985"]))[.dateOfBirth] == 4, "month keyed wrong")
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicky", "Claire", "Bailey", "06/10/1985"]))[.dateOfBirth] == 4, "month 04 → 10: a digit dropped and one added")
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicky", "Claire", "Bailey", "07/05/1986"]))[.dateOfBirth] == 5)
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicky", "Claire", "Bailey", "06/11/1985"]))[.dateOfBirth] == 5, "two digits changed")
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicola", "Claire Louise", "Bailey", ""]))[.middleNames] == 0)
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicola", "C", "Bailey", ""]))[.middleNames] == 1)
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicola", "Jane", "Bailey", ""]))[.middleNames] == 2)
        #expect(Comparator.compare(a, try Self.withMiddle(["2", "Nicola", "", "Bailey", ""]))[.middleNames] == nil)
        // First and middle names the other way round: the given name already says so; middle names add nothing.
        let swapped = Comparator.compare(a, try Self.withMiddle(["2", "Claire", "Nicola", "Bailey", ""]))
        #expect(swapped[.givenName] == 3 && swapped[.middleNames] == nil)
        // One way round only, as twins named after each other are: the middle names disagree.
        let twins = Comparator.compare(
            try Self.withMiddle(["1", "Oliver", "Lucas", "Williams", "11/09/2023"]), try Self.withMiddle(["2", "Harry", "Oliver", "Williams", "11/09/2023"]))
        #expect(twins[.givenName] == 3 && twins[.middleNames] == 2)
    }

    @Test("a saved model trained on other comparison levels is refused with what to do")
    func outdatedModel() throws {
        let (_, model) = Self.trained(try Self.population())
        let good = try JSONEncoder().encode(model)
        #expect(try MatchModel.decoded(from: good) == model)
        var old = model
        old.m["dateOfBirth"] = [0.9, 0.01, 0.04, 0.05]
        #expect(throws: MatchModelError.levelsChanged(field: "dateOfBirth", trained: 4, current: 6)) {
            try MatchModel.decoded(from: try JSONEncoder().encode(old))
        }
        old = model
        old.u["middleNames"] = nil
        let error = #expect(throws: MatchModelError.self) { try MatchModel.decoded(from: try JSONEncoder().encode(old)) }
        #expect(error?.description.contains("re-train it with a full link") == true)
        #expect(throws: MatchModelError.malformed) { try MatchModel.decoded(from: Data("{}".utf8)) }
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
        #expect(model.weight(.givenName, level: 0) > model.weight(.givenName, level: 9))
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
        // Equal scores are taken in the order given; leaving out pairs below a score never changes
        // which of the others are kept (the linker keeps only pairs in the bands).
        #expect(OneToOne.keep(pairs, scores: [5, 5, 5, 5]) == [0, 2])
        var generator = SplitMix64(seed: 3)
        for _ in 0..<50 {
            let many = (0..<40).map { _ in CandidatePair(left: Int(generator.next() % 8), right: Int(generator.next() % 8)) }
            let scores = many.map { _ in Double(generator.next() % 6) }
            let kept = OneToOne.keep(many, scores: scores)
            let high = many.indices.filter { scores[$0] >= 3 }
            let keptHigh = OneToOne.keep(high.map { many[$0] }, scores: high.map { scores[$0] })
            #expect(Set(keptHigh.map { high[$0] }) == kept.filter { scores[$0] >= 3 })
        }
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
        // Adjustments worked out once per record score exactly as looking each pair's token up.
        let records = [smithA, smithB, rareA, rareB] + extra.prefix(3)
        let adjustments = scorer.adjustments(records)
        for (i, a) in records.enumerated() {
            for b in records {
                let v = Comparator.compare(a, b)
                #expect(scorer.score(v, adjustments: adjustments, left: i) == scorer.score(a, b, v))
                #expect(scorer.score(v, adjustments: adjustments, left: i, withinAgency: true) == scorer.score(a, b, v, withinAgency: true))
            }
        }
        #expect(scorer.score(Comparator.compare(smithA, smithB), adjustments: adjustments, left: 0) == common)
        // Without adjustment both score the same.
        #expect(Scorer(model: model).score(smithA, smithB, Comparator.compare(smithA, smithB)) == model.score(Comparator.compare(rareA, rareB)))
    }
}

@Suite("EM, monotone weights, households")
struct ModelPropertyTests {
    /// Draws comparison vectors from a known two-class model and checks EM finds its parameters.
    @Test("EM recovers known m probabilities and the match share from synthetic vectors, without labels")
    func emRecoversKnownParameters() {
        let fields = ComparedField.allCases
        // True m and u per field (over that field's levels); fields absent from the dictionaries are missing.
        let trueM: [ComparedField: [Double]] = [
            .givenName: [0.80, 0.01, 0.01, 0.03, 0.04, 0.03, 0.02, 0.01, 0.01, 0.04], .surname: [0.85, 0.03, 0.04, 0.03, 0.02, 0.03],
            .dateOfBirth: [0.86, 0.03, 0.02, 0.02, 0.02, 0.05], .sex: [0.97, 0.03], .location: [0.60, 0.10, 0.05, 0.10, 0.05, 0.10],
        ]
        let trueU: [ComparedField: [Double]] = [
            .givenName: [0.02, 0.001, 0.002, 0.01, 0.03, 0.04, 0.01, 0.01, 0.08, 0.797], .surname: [0.05, 0.01, 0.04, 0.05, 0.10, 0.75],
            .dateOfBirth: [0.01, 0.002, 0.02, 0.003, 0.004, 0.961], .sex: [0.5, 0.5], .location: [0.001, 0.002, 0.01, 0.03, 0.05, 0.907],
        ]
        var g = SplitMix64(seed: 7)
        func draw(_ p: [Double]) -> Int {
            var x = Double(g.next() % 1_000_000) / 1_000_000, i = 0
            while i < p.count - 1 && x >= p[i] { x -= p[i]; i += 1 }
            return i
        }
        let matches = 3_000, nonMatches = 27_000
        var vectors: [ComparisonVector] = []
        for n in 0..<(matches + nonMatches) {
            let table = n < matches ? trueM : trueU
            vectors.append(ComparisonVector(levels: fields.map { f in table[f].map(draw) }))
        }
        var u: [String: [Double]] = [:]
        for (f, p) in trueU { u[f.rawValue] = p }
        let model = ModelTrainer.train(vectors: vectors, u: u, possiblePairs: vectors.count)
        for (f, p) in trueM {
            for (level, expected) in p.enumerated() {
                #expect(abs(model.m[f.rawValue]![level] - expected) < 0.03, "\(f) level \(level): m \(model.m[f.rawValue]![level]) vs \(expected)")
            }
        }
        #expect(abs(model.prior - 0.1) < 0.01, "prior \(model.prior)")
    }

    @Test("a stronger level never weighs less than a weaker one of the same field")
    func monotoneWeights() {
        // A date-of-birth transposition the data never showed: raw m ≈ 0 would make it count less than disagreement.
        let m = ["dateOfBirth": [0.9, 0.0001, 0.05, 0.0499]]
        let u = ["dateOfBirth": [0.01, 0.002, 0.02, 0.968]]
        let model = MatchModel(m: m, u: u, prior: 0.01)
        let weights = (0..<4).map { model.weight(.dateOfBirth, level: $0) }
        for k in 0..<3 { #expect(weights[k] >= weights[k + 1], "\(weights)") }
        #expect(weights[1] == weights[2])
    }

    @Test("co-located pairs are scored against what people at one address share")
    func householdWeights() {
        var m: [String: [Double]] = [:], u: [String: [Double]] = [:]
        for f in ComparedField.allCases {
            let n = f.levels.count
            m[f.rawValue] = (0..<n).map { $0 == 0 ? 0.9 : 0.1 / Double(n - 1) }
            u[f.rawValue] = (0..<n).map { $0 == n - 1 ? 0.9 : 0.1 / Double(n - 1) }
        }
        var hh: [String: [Double]] = [:]
        for (f, p) in ModelTrainer.householdPrior { hh[f.rawValue] = p }
        let model = MatchModel(m: m, u: u, prior: 0.001, householdU: hh)
        // Same house, same surname, same date of birth, different given name: twins.
        var levels = [Int?](repeating: nil, count: ComparedField.allCases.count)
        func set(_ f: ComparedField, _ l: Int) { levels[ComparedField.allCases.firstIndex(of: f)!] = l }
        set(.location, 0); set(.surname, 0); set(.dateOfBirth, 0); set(.givenName, 7)
        let twins = ComparisonVector(levels: levels)
        #expect(twins.isCoLocated)
        #expect(model.weight(.surname, level: 0, coLocated: true) < model.weight(.surname, level: 0))
        #expect(model.score(twins) < model.matchThreshold, "twins score \(model.score(twins))")
        // The same agreements at different addresses are not down-weighted.
        set(.location, 5)
        #expect(!ComparisonVector(levels: levels).isCoLocated)
    }

    @Test("household u comes from co-located pairs inside one agency, blended with the prior")
    func householdEstimate() throws {
        // One agency: 40 households of a parent and two children sharing surname and address.
        var rows: [[String]] = []
        let given = ["oliver", "amelia", "jack", "isla", "harry", "ava", "george", "mia", "noah", "grace", "leo", "freya"]
        for h in 0..<40 {
            let surname = ["smith", "jones", "khan", "patel", "evans"][h % 5] + String(repeating: "e", count: h / 5)
            for k in 0..<3 {
                rows.append(["h\(h)-\(k)", given[(h + k * 5) % given.count], surname, String(format: "%02d/%02d/%04d", 1 + k * 3, 1 + h % 12, 1975 + k * 15),
                             k == 0 ? "F" : "M", "LS\(1 + h % 20) \(h % 9)AB", "\(h + 1) Mill Lane", ""])
            }
        }
        let records = try rows.map { try ScoringTests.record($0) }
        let hh = ModelTrainer.estimateHouseholdU([records], pseudoCount: 10)
        // Nearly every co-located pair shares a surname; none shares a date of birth.
        #expect(hh["surname"]![0] > 0.8, "\(hh["surname"]!)")
        #expect(hh["dateOfBirth"]![0] < 0.01)
        #expect(hh["location"] == nil)
    }

    @Test("with a model, EM on co-located pairs keeps an agency's duplicates out of its picture of households")
    func householdEstimateSeparatesDuplicates() throws {
        let given = ["oliver", "amelia", "jack", "isla", "harry", "ava", "george", "mia", "noah", "grace", "leo", "freya"]
        var rows: [[String]] = []
        for h in 0..<400 {
            let surname = ["smith", "jones", "khan", "patel", "evans"][h % 5] + String(repeating: "e", count: h / 5 % 9) + String(h / 45)
            // A household of a parent and two children, and elsewhere one person held twice, the second
            // time with a typo in the first name (one letter apart, so not "looks like one person").
            for k in 0..<3 {
                rows.append(["h\(h)-\(k)", given[(h + k * 5) % given.count], surname, String(format: "%02d/%02d/%04d", 1 + k * 3, 1 + h % 12, 1975 + k * 15),
                             k == 0 ? "F" : "M", "LS\(1 + h % 20) \(h % 9)A\(["B", "D", "E", "F"][h / 180])", "\(h + 1) Mill Lane", ""])
            }
            for k in 0..<2 {
                let name = given[h % given.count]
                rows.append(["d\(h)-\(k)", k == 0 ? name : String(name.prefix(2)) + "x" + String(name.dropFirst(3)), surname + "x", String(format: "%02d/%02d/%04d", 10 + h % 15, 1 + h % 12, 1990 + h % 20),
                             "M", "M\(1 + h % 20) \(h % 9)XY", "\(h + 1) Oak Road", ""])
            }
        }
        let records = try rows.map { try ScoringTests.record($0) }
        // m as EM finds it on real data: matches mostly agree, sometimes on a different first name.
        let m: [String: [Double]] = [
            "givenName": [0.80, 0.01, 0.01, 0.04, 0.03, 0.03, 0.03, 0.01, 0.01, 0.03], "surname": [0.85, 0.03, 0.04, 0.03, 0.02, 0.03],
            "dateOfBirth": [0.86, 0.03, 0.02, 0.02, 0.02, 0.05], "sex": [0.97, 0.03], "location": [0.6, 0.1, 0.05, 0.1, 0.05, 0.1],
            "nhsNumber": [0.95, 0.05], "otherIdentifier": [0.93, 0.02, 0.05], "middleNames": [0.8, 0.1, 0.1],
        ]
        let model = MatchModel(m: m, u: m, prior: 0.001)
        let plain = ModelTrainer.estimateHouseholdU([records])
        let separated = ModelTrainer.estimateHouseholdU([records], model: model)
        // Without a model the duplicates count as household members who share a birthday; EM, with m
        // saying one person's records often differ by a letter, explains them as one person each.
        #expect(plain["dateOfBirth"]![0] > 0.1, "\(plain["dateOfBirth"]!)")
        #expect(separated["dateOfBirth"]![0] < 0.02, "\(separated["dateOfBirth"]!)")
        #expect(separated["surname"]![0] > 0.8)
        // A linker passes the profiles it already holds: the estimates are the same.
        let half = records.count / 2, agencies = [Array(records[..<half]), [], Array(records[half...])]
        let profiles = agencies.map(ComparisonProfiles.init)
        #expect(ModelTrainer.estimateHouseholdU([records], profiles: [ComparisonProfiles(records)], model: model) == separated)
        #expect(ModelTrainer.estimateHouseholdU(agencies, profiles: profiles) == ModelTrainer.estimateHouseholdU(agencies))
        #expect(ModelTrainer.estimateU(agencies, profiles: profiles, samples: 2_000) == ModelTrainer.estimateU(agencies, samples: 2_000))
        #expect(!ModelTrainer.estimateU(agencies, samples: 2_000).isEmpty)
    }
}
