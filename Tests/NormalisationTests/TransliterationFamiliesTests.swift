import Testing
import Normalisation

struct TransliterationFamiliesTests {
    let families = TransliterationFamilies.standard

    @Test(arguments: [
        ["Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohamad"],
        ["Ahmed", "Ahmad"],
        ["Hussain", "Hussein", "Husain"],
        ["Yusuf", "Yousef", "Youssef", "Yusef"],
        ["Aisha", "Ayesha", "Aysha"],
        ["Fatima", "Fatimah"],
        ["Mustafa", "Mostafa"],
        ["Ibrahim", "Ebrahim"],
        ["Abdul", "Abdel"],
        ["Aleksandra", "Alexandra"],
        ["Oleksandr", "Alexander"],
        ["Mykola", "Nikolai"],
        ["Sean", "Shaun", "Shawn", "Seán"],
        ["Siobhan", "Siobhán", "Shivaun"],
        ["Niamh", "Neve"],
        ["Catherine", "Katherine", "Kathryn"],
    ])
    func membersShareOneKey(members: [String]) {
        let keys = Set(members.map { families.canonical(of: $0) })
        #expect(keys.count == 1, "\(members)")
        #expect(families.familyKey(of: members[0]) != nil)
    }

    @Test func keysAreTheCanonicalSpelling() {
        #expect(families.canonical(of: "Muhammad") == "mohammed")
        #expect(families.canonical(of: "Shawn") == "sean")
        #expect(families.familyKey(of: "Hussein") == "hussain")
        #expect(families.family(of: "ahmad").first == "ahmed")
        #expect(families.family(of: "ahmad").contains("ahmed"))
    }

    @Test func differentNamesAndCognatesStayApart() {
        #expect(!families.areVariants("Mohammed", "Mahmoud"))
        #expect(!families.areVariants("Peter", "Piotr"))
        #expect(!families.areVariants("Sean", "John"))
        #expect(!families.areVariants("Catherine", "Katarzyna"))
        #expect(!families.areVariants("Hassan", "Hussain"))
        #expect(!families.areVariants("", ""))
    }

    @Test func unknownNamesAreThemselves() {
        #expect(families.familyKey(of: "Smith") == nil)
        #expect(families.canonical(of: "Smith") == "smith")
        #expect(families.family(of: "Smith").isEmpty)
        #expect(families.areVariants("SMITH", "smith"))
    }

    @Test func standardTableHasManyFamilies() {
        #expect(families.familyKeys.count >= 80)
    }

    @Test func parsingRejectsAmbiguousOrMalformedFiles() throws {
        let ok = try TransliterationFamilies(text: "# c\nahmed: ahmed ahmad\n")
        #expect(ok.canonical(of: "Ahmad") == "ahmed")
        #expect(throws: ResourceError.self) {
            try TransliterationFamilies(text: "ahmed: ahmed ahmad\nahmet: ahmet ahmad\n")
        }
        #expect(throws: ResourceError.self) {
            try TransliterationFamilies(text: "ahmed ahmad\n")
        }
        #expect(throws: ResourceError.self) {
            try TransliterationFamilies(text: "ahmed: ahmed\n")
        }
    }
}
