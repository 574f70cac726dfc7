import Testing
import Normalisation

struct NameNormaliserTests {
    @Test func apostropheSurnamesAreEqual() {
        let a = NameNormaliser.surname("O'Brien")
        let b = NameNormaliser.surname("OBrien")
        let c = NameNormaliser.surname("o brien")
        #expect(a.full == "obrien")
        #expect(b.full == a.full)
        #expect(c.full == a.full)
        #expect(c.tokens == ["obrien"])
    }

    @Test func titlesAreStrippedFromGivenNames() {
        #expect(NameNormaliser.givenNames("Mr John Paul").tokens == ["john", "paul"])
        #expect(NameNormaliser.givenNames("Dr. Prof. Jane").tokens == ["jane"])
        #expect(NameNormaliser.givenNames("MISS Mary-Jane").tokens == ["mary", "jane"])
        #expect(NameNormaliser.givenNames("Mx Alex").tokens == ["alex"])
    }

    @Test(arguments: ["Baby", "BABY BOY", "Baby of Sarah", "baby girl 2", "Infant", "Unborn", "Unknown", "Not Known", "NK", "Mstr Baby"])
    func placeholderGivenNamesAreNoName(text: String) {
        #expect(NameNormaliser.givenNames(text).tokens.isEmpty, "\(text)")
        #expect(NameNormaliser.givenNames(text).variants.isEmpty, "\(text)")
    }

    @Test func namesThatOnlyContainAPlaceholderWordAreKept() {
        #expect(NameNormaliser.givenNames("Ruby Baby").tokens == ["ruby", "baby"])
        #expect(NameNormaliser.givenNames("Babatunde").tokens == ["babatunde"])
    }

    @Test func aNameIsNeverStrippedToNothing() {
        #expect(NameNormaliser.givenNames("Lord").tokens == ["lord"])
        #expect(NameNormaliser.surname("Junior").tokens == ["junior"])
    }

    @Test func suffixesAreStrippedFromSurnames() {
        #expect(NameNormaliser.surname("Smith Jr").full == "smith")
        #expect(NameNormaliser.surname("Smith JNR.").full == "smith")
        #expect(NameNormaliser.surname("Jones III").full == "jones")
    }

    @Test func givenNamesGiveFirstMiddleAndInitial() {
        let name = NameNormaliser.givenNames("  Élodie  Anne-Marie ")
        #expect(name.tokens == ["elodie", "anne", "marie"])
        #expect(name.full == "elodieannemarie")
        #expect(name.initial == "e")
        #expect(name.first == "elodie")
        #expect(name.middle == ["anne", "marie"])
        #expect(name.variants == ["elodieannemarie", "elodie", "anne", "marie"])
        #expect(NameNormaliser.givenNames("").initial == nil)
    }

    @Test func hyphenatedSurnameKeepsWholeAndParts() {
        let name = NameNormaliser.surname("Smith-Jones")
        #expect(name.full == "smithjones")
        #expect(name.variants == ["smithjones", "smith", "jones"])
        #expect(NameNormaliser.surname("Smith Jones").variants == name.variants)
    }

    @Test func particlesStayInTheWholeButNotAlone() {
        let vdb = NameNormaliser.surname("Van der Berg")
        #expect(vdb.full == "vanderberg")
        #expect(vdb.variants == ["vanderberg", "berg"])
        #expect(NameNormaliser.surname("van-der-berg").full == "vanderberg")
        let cruz = NameNormaliser.surname("de la Cruz")
        #expect(cruz.variants == ["delacruz", "cruz"])
        #expect(NameNormaliser.surname("Al-Hassan").variants == ["alhassan", "hassan"])
        #expect(!vdb.variants.contains("van"))
        #expect(!vdb.variants.contains("der"))
    }

    @Test func macAndMcPrefixes() {
        let mc = NameNormaliser.surname("McDonald")
        #expect(mc.full == "mcdonald")
        #expect(mc.variants.contains("macdonald"))
        let mac = NameNormaliser.surname("MacDonald")
        #expect(mac.variants.contains("mcdonald"))
        let spaced = NameNormaliser.surname("Mac Donald")
        #expect(spaced.full == "macdonald")
        #expect(spaced.variants.contains("mcdonald"))
        #expect(!spaced.variants.contains("donald"))
        #expect(NameNormaliser.surname("Mc Donald").full == "mcdonald")
        // Not every "Mac" is a prefix.
        #expect(!NameNormaliser.surname("Machin").variants.contains("mchin"))
        #expect(!NameNormaliser.surname("Mack").variants.contains("mck"))
    }

    @Test func saintSurnames() {
        let forms = ["St John", "St. John", "Saint John", "St-John"]
        for form in forms {
            #expect(NameNormaliser.surname(form).full == "saintjohn", "\(form)")
        }
        #expect(NameNormaliser.surname("St John").variants == ["saintjohn"])
    }

    @Test func fullNameSplitsGivenAndSurname() {
        let name = NameNormaliser.fullName("Mr John Paul Smith-Jones Jr")
        #expect(name.firstName == "john")
        #expect(name.middleNames == ["paul"])
        #expect(name.surname.full == "smithjones")
        #expect(name.surname.variants == ["smithjones", "smith", "jones"])
    }

    @Test func fullNameKeepsParticlesWithTheSurname() {
        let name = NameNormaliser.fullName("Dr Anna Maria van der Berg")
        #expect(name.givenNames.tokens == ["anna", "maria"])
        #expect(name.surname.full == "vanderberg")
        let obrien = NameNormaliser.fullName("Sean O Brien")
        #expect(obrien.givenNames.tokens == ["sean"])
        #expect(obrien.surname.full == "obrien")
        let saint = NameNormaliser.fullName("Mary St John")
        #expect(saint.surname.full == "saintjohn")
        #expect(saint.givenNames.tokens == ["mary"])
    }

    @Test func fullNameWithCommaIsSurnameFirst() {
        let name = NameNormaliser.fullName("SMITH, John Paul")
        #expect(name.surname.full == "smith")
        #expect(name.givenNames.tokens == ["john", "paul"])
        #expect(NameNormaliser.fullName("O'BRIEN, Mrs Siobhán").givenNames.tokens == ["siobhan"])
    }

    @Test func singleWordAndEmptyFullNames() {
        let single = NameNormaliser.fullName("Cher")
        #expect(single.surname.full == "cher")
        #expect(single.givenNames.isEmpty)
        let empty = NameNormaliser.fullName("  ")
        #expect(empty.surname.isEmpty)
        #expect(empty.givenNames.isEmpty)
    }
}
