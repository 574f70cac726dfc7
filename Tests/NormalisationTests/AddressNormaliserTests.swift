import Testing
import Normalisation

struct AddressNormaliserTests {
    @Test func flatAndHouseNumber() {
        let address = AddressNormaliser.normaliseLine("Flat 3, 12 High St")
        #expect(address.flat == "3")
        #expect(address.houseNumber == "12")
        #expect(address.streetTokens == ["high", "street"])
        #expect(address.street == "highstreet")
        #expect(address.buildingTokens.isEmpty)
    }

    @Test func houseNumberForms() {
        #expect(AddressNormaliser.normaliseLine("12a High Street").houseNumber == "12a")
        #expect(AddressNormaliser.normaliseLine("12 A High Street").houseNumber == "12a")
        #expect(AddressNormaliser.normaliseLine("12-14 High Street").houseNumber == "12-14")
        #expect(AddressNormaliser.normaliseLine("12 - 14 High Street").houseNumber == "12-14")
        #expect(AddressNormaliser.normaliseLine("12-14 High Street").streetTokens == ["high", "street"])
    }

    @Test func flatForms() {
        #expect(AddressNormaliser.normaliseLine("Apartment 4B, 7 Mill Lane").flat == "4b")
        #expect(AddressNormaliser.normaliseLine("Flat A 7 Mill Lane").flat == "a")
        let noComma = AddressNormaliser.normaliseLine("Flat 3 12 High St")
        #expect(noComma.flat == "3")
        #expect(noComma.houseNumber == "12")
        let flatsLane = AddressNormaliser.normaliseLine("12 Flats Lane")
        #expect(flatsLane.flat == nil)
        #expect(flatsLane.streetTokens == ["flats", "lane"])
    }

    @Test func spellingVariantsOfOneAddressAgree() {
        let forms = ["12 High St", "12 HIGH STREET", "12, High St.", "12 high  street"]
        let streets = Set(forms.map { AddressNormaliser.normaliseLine($0).street })
        #expect(streets == ["highstreet"])
    }

    @Test(arguments: [
        ("Station Rd", ["station", "road"]), ("Park Ave", ["park", "avenue"]), ("Mill Ln", ["mill", "lane"]),
        ("Royal Cres", ["royal", "crescent"]), ("Kings Ct", ["kings", "court"]), ("Albion Pl", ["albion", "place"]),
        ("Beech Dr", ["beech", "drive"]), ("Victoria Gdns", ["victoria", "gardens"]), ("Market Sq", ["market", "square"]),
        ("Prospect Tce", ["prospect", "terrace"]), ("Elm Cl", ["elm", "close"]), ("Oak Gro", ["oak", "grove"]),
        ("Marine Pde", ["marine", "parade"]), ("St Johns Rd", ["saint", "johns", "road"]),
        ("St Marys St", ["saint", "marys", "street"]), ("High St North", ["high", "street", "north"]),
        ("Gt Western Rd", ["great", "western", "road"]), ("Drive", ["drive"]),
    ])
    func abbreviationsExpandByPosition(input: String, expected: [String]) {
        #expect(AddressNormaliser.normaliseLine(input).streetTokens == expected, "\(input)")
    }

    @Test func buildingNamesAreSeparated() {
        let named = AddressNormaliser.normaliseLine("Rose Cottage, 5 Church Lane")
        #expect(named.buildingTokens == ["rose", "cottage"])
        #expect(named.houseNumber == "5")
        #expect(named.streetTokens == ["church", "lane"])
        let noNumber = AddressNormaliser.normaliseLine("Rose Cottage, Church Ln")
        #expect(noNumber.houseNumber == nil)
        #expect(noNumber.buildingTokens == ["rose", "cottage"])
        #expect(noNumber.streetTokens == ["church", "lane"])
    }

    @Test func emptyLine() {
        let empty = AddressNormaliser.normaliseLine("  , ")
        #expect(empty.houseNumber == nil)
        #expect(empty.flat == nil)
        #expect(empty.streetTokens.isEmpty)
        #expect(empty.street == "")
    }
}
