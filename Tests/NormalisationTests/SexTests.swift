import Testing
import Normalisation

struct SexTests {
    @Test(arguments: [
        ("M", Sex.male), ("m", .male), ("Male", .male), ("MAN", .male), ("boy", .male), ("1", .male), (" male ", .male),
        ("F", .female), ("female", .female), ("Woman", .female), ("girl", .female), ("2", .female),
        ("0", .unknown), ("U", .unknown), ("Unknown", .unknown), ("not known", .unknown), ("", .unknown),
        ("X", .unknown), ("blah", .unknown), ("9", .notApplicable), ("N/A", .notApplicable),
        ("Not applicable", .notApplicable),
    ])
    func spellingsNormalise(input: String, expected: Sex) {
        #expect(Sex(normalising: input) == expected, "\(input)")
    }

    @Test func iso5218Codes() {
        #expect(Sex.male.iso5218Code == 1)
        #expect(Sex.female.iso5218Code == 2)
        #expect(Sex.unknown.iso5218Code == 0)
        #expect(Sex.notApplicable.iso5218Code == 9)
        #expect(Sex.male.isKnown)
        #expect(!Sex.unknown.isKnown)
        #expect(!Sex.notApplicable.isKnown)
    }
}
