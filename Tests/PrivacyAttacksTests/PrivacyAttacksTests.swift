import LinkCrypto
@testable import PrivacyAttacks
import Testing
import Tokenisation

@Suite("Attacks on mashlink's encodings")
struct PrivacyAttacksTests {
    // One target and one independent reference list from the same distribution.
    static let targetPeople: [(given: String, surname: String, dob: String)] = {
        var g = SyntheticPopulation(seed: 1)
        return g.people(3000)
    }()
    static let referencePeople: [(given: String, surname: String, dob: String)] = {
        var g = SyntheticPopulation(seed: 2)
        return g.people(3000)
    }()
    static let reference = SyntheticPopulation.reference(referencePeople)

    static func score(_ name: String, _ target: AttackTarget) -> AttackScore {
        let scores = AttackHarness.run(target: target, reference: reference, guesses: 10)
        return scores.first { $0.attack == name }!
    }

    @Test("frequency alignment puts ranks side by side and tries neighbouring ranks next")
    func alignment() {
        let guesses = FrequencyAttack.align(encoded: ["x", "y", "x", nil, "z", "x", "y"], plain: ["a", "b", "a", "a", "b", "c"], guesses: 2)
        #expect(guesses == [["a", "b"], ["b", "c"], ["a", "b"], [], ["c", "b"], ["a", "b"], ["b", "c"]])
        #expect(ranksNear(0, count: 5, limit: 3) == [0, 1, 2])
        #expect(ranksNear(3, count: 5, limit: 4) == [3, 4, 2, 1])
        #expect(ranksNear(9, count: 3, limit: 2) == [2, 1])
    }

    @Test("scoring counts a record right only when the guess is the truth, and full names need both")
    func scoring() {
        let truth: [PlainPerson?] = [
            PlainPerson(given: "ann", surname: "lee", birthYear: 1990), PlainPerson(given: "bob", surname: "kay", birthYear: nil), nil,
        ]
        let guesses = [
            RecordGuesses(given: ["ann"], surname: ["lee"], birthYear: [1990]),
            RecordGuesses(given: ["tom", "bob"], surname: ["kay"]),
            RecordGuesses(given: ["x"], surname: ["y"]),
        ]
        let s = AttackScore(attack: "t", guesses: guesses, truth: truth, within: 2)
        #expect(s.records == 2)
        #expect(s.givenFirst == 0.5 && s.givenWithin == 1)
        #expect(s.surnameFirst == 1)
        #expect(s.fullNameFirst == 0.5 && s.fullNameWithin == 1)
        #expect(s.nameAndYearFirst == 0.5)
    }
}

@Suite("Attacks succeed on unhardened encodings under a public key")
struct UnhardenedAttackTests {
    static let target = try! SyntheticPopulation.target(PrivacyAttacksTests.targetPeople)

    @Test("diagnostic: every attack's figures")
    func diagnostic() {
        for s in AttackHarness.run(target: Self.target, reference: PrivacyAttacksTests.reference, guesses: 10) {
            print(s.attack, s.givenFirst, s.givenWithin, s.surnameFirst, s.surnameWithin, s.fullNameFirst, s.fullNameWithin, s.nameAndYearFirst ?? -1)
        }
    }
}
