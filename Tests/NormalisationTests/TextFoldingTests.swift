import Testing
import Normalisation

struct TextFoldingTests {
    @Test func apostropheSpacingAndCaseVariantsFoldToTheSameCompactForm() {
        let forms = ["O'Brien", "OBrien", "o brien", "O’Brien", "  O  BRIEN ", "o-brien"]
        for form in forms {
            #expect(TextFolding.compact(form) == "obrien", "\(form)")
        }
        #expect(TextFolding.tokens("O'Brien") == ["obrien"])
        #expect(TextFolding.tokens("o brien") == ["o", "brien"])
    }

    @Test(arguments: [
        ("José", "jose"), ("Zoë", "zoe"), ("Renée", "renee"), ("Søren", "soren"), ("Strauß", "strauss"),
        ("Æthelred", "aethelred"), ("Łukasz", "lukasz"), ("Wiśniewski", "wisniewski"), ("Dvořák", "dvorak"),
        ("Đorđević", "dordevic"), ("Þór", "thor"), ("Siân", "sian"), ("Seán", "sean"), ("Çelik", "celik"),
        ("Œuvre", "oeuvre"), ("Ｓｍｉｔｈ", "smith"), ("ﬁnn", "finn"),
    ])
    func diacriticsAndCompatibilityFormsAreFolded(input: String, expected: String) {
        #expect(TextFolding.compact(input) == expected)
    }

    @Test func punctuationSeparatesWordsAndWhitespaceCollapses() {
        #expect(TextFolding.tokens("  Mary-Jane\t  Smith.Jones ") == ["mary", "jane", "smith", "jones"])
        #expect(TextFolding.spaced("J.R.R.  Tolkien") == "j r r tolkien")
        #expect(TextFolding.fold("12a, High St.").tokens == ["12a", "high", "st"])
    }

    @Test func emptyAndPunctuationOnlyInputFoldsToNothing() {
        #expect(TextFolding.fold("").isEmpty)
        #expect(TextFolding.fold(" -'., ").isEmpty)
        #expect(TextFolding.compact("--") == "")
    }

    @Test func otherScriptsAreKeptNotDropped() {
        #expect(TextFolding.compact("Иван") == "иван")
        #expect(!TextFolding.compact("محمد").isEmpty)
        // Devanagari vowel signs are part of the word, not diacritics to strip.
        #expect(TextFolding.compact("सीता") == "सीता")
    }

    @Test func differentNamesStayDifferent() {
        #expect(TextFolding.compact("O'Brien") != TextFolding.compact("Brien"))
        #expect(TextFolding.compact("Anne") != TextFolding.compact("Ann"))
    }
}
