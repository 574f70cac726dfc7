import Testing
import Normalisation

struct NicknamesTests {
    let table = Nicknames.standard

    @Test func billWillBillyShareWilliam() {
        for name in ["bill", "Billy", "WILL", "willie", "William"] {
            #expect(table.canonical(of: name) == "william", "\(name)")
        }
    }

    @Test(arguments: [
        ("peggy", "margaret"), ("Peg", "margaret"), ("bob", "robert"), ("Robbie", "robert"), ("dick", "richard"),
        ("liz", "elizabeth"), ("Lizzie", "elizabeth"), ("jim", "james"), ("Jamie", "james"), ("jack", "john"),
        ("archie", "archibald"), ("tom", "thomas"), ("polly", "mary"), ("katie", "catherine"),
        ("ollie", nil), ("alfie", "alfred"), ("charlie", "charles"), ("tony", nil), ("becky", "rebecca"),
    ] as [(String, String?)])
    func commonNicknamesResolve(nickname: String, expected: String?) {
        if let expected {
            #expect(table.canonicalForms(of: nickname).contains(expected), "\(nickname)")
        } else {
            // Ambiguous in UK use (Ollie: Oliver or Olivia; Tony: Anthony or Antonia): several forms, no single one.
            #expect(table.canonical(of: nickname) == nil, "\(nickname)")
            #expect(table.canonicalForms(of: nickname).count > 1, "\(nickname)")
        }
    }

    @Test func unambiguousNicknamesHaveOneCanonical() {
        #expect(table.canonical(of: "peggy") == "margaret")
        #expect(table.canonical(of: "bob") == "robert")
        #expect(table.canonical(of: "dick") == "richard")
        #expect(table.canonical(of: "archie") == "archibald")
        #expect(table.canonical(of: "alfie") == "alfred")
        #expect(table.canonical(of: "jack") == "john")
        #expect(table.canonical(of: "polly") == "mary")
        #expect(table.canonical(of: "liz") == "elizabeth")
    }

    @Test func ambiguousNicknamesReturnEveryFormalNameAndNoSingleCanonical() {
        let al = table.canonicalForms(of: "Al")
        #expect(al == ["alan", "albert", "alexander", "alfred"])
        #expect(table.canonical(of: "al") == nil)
        #expect(table.canonicalForms(of: "harry") == ["harold", "henry"])
        #expect(table.canonical(of: "harry") == nil)
        #expect(table.canonicalForms(of: "sandy") == ["alexander", "alexandra"])
        #expect(table.canonicalForms(of: "ted").contains("edward"))
        #expect(table.canonicalForms(of: "ted").count > 1)
        #expect(table.canonicalForms(of: "sam") == ["samantha", "samuel"])
    }

    @Test func formalNamesAndUnknownNamesAreTheirOwnCanonical() {
        #expect(table.canonicalForms(of: "Margaret") == ["margaret"])
        #expect(table.canonicalForms(of: "Zebedee") == ["zebedee"])
        #expect(table.canonical(of: "Siobhán") == "siobhan")
        #expect(table.canonicalForms(of: "  ") == [])
        #expect(table.canonical(of: "") == nil)
    }

    @Test func unrelatedNamesAreNotMerged() {
        // Distinct given names in UK use that the source lists as diminutives must stay apart.
        #expect(table.canonical(of: "rita") == "rita")
        #expect(table.canonical(of: "daisy") == "daisy")
        #expect(table.canonical(of: "ian") == "ian")
        #expect(table.canonical(of: "molly") == "molly")
        #expect(table.canonical(of: "ali") == "ali")
        #expect(table.canonical(of: "ellen") == "ellen")
        #expect(table.canonical(of: "paula") == "paula")
        #expect(!table.canonicalForms(of: "louise").contains("louis"))
    }

    @Test func standardTableIsConsistent() {
        #expect(table.pairCount >= 400)
        // A formal name is never also a nickname, so canonical forms are fixed points.
        for formal in table.formalNames {
            #expect(!table.isNickname(formal), "\(formal) is both formal and nickname")
            #expect(table.canonicalForms(of: formal) == [formal])
        }
        #expect(table.nicknames(of: "william").contains("bill"))
        #expect(table.isFormalName("William"))
        #expect(!table.isFormalName("bill"))
    }

    @Test func customTableAndCSVParsing() throws {
        let custom = Nicknames(pairs: [(formal: "Robert", nickname: "Bob"), (formal: "Roberta", nickname: "Bob")])
        #expect(custom.canonicalForms(of: "bob") == ["robert", "roberta"])
        let parsed = try Nicknames(csv: "# comment\nformal,nickname,origin\nwilliam,bill,upstream\n\nwilliam,will,mashlink\n")
        #expect(parsed.canonical(of: "will") == "william")
        #expect(parsed.pairCount == 2)
        #expect(throws: ResourceError.malformed(resource: "nicknames.csv", line: 2, reason: "expected formal,nickname[,origin]")) {
            try Nicknames(csv: "formal,nickname\nwilliam\n")
        }
    }
}
