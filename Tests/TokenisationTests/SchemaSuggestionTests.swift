import Testing
import Tokenisation

/// `schema suggest` on headers as agencies' systems write them.
struct SchemaSuggestionTests {
    static func roles(_ header: [String]) -> [String: String] {
        let schema = SchemaSuggestion.suggest(header: header)
        var out: [String: String] = [:]
        for c in schema.columns { out[c.column] = c.field.map { "\($0)" } ?? c.tier.map { "tier \($0)" } ?? "ignored" }
        return out
    }

    @Test("a police extract: its own reference, a second forename and the PNC id are recognised")
    func police() {
        let r = Self.roles(["NominalRef", "Forename", "Forename2", "Surname", "DOB", "Gender", "Address1", "Postcode", "PNC_ID", "Notes"])
        #expect(r["NominalRef"] == "recordID")
        #expect(r["Forename"] == "givenName" && r["Forename2"] == "middleNames" && r["Surname"] == "surname")
        #expect(r["DOB"] == "dateOfBirth" && r["Gender"] == "sex" && r["Address1"] == "addressLine" && r["Postcode"] == "postcode")
        #expect(r["PNC_ID"] == "otherIdentifier")
        #expect(r["Notes"] == "ignored")
    }

    @Test("record ids named like an id or a reference are found when no known name is present", arguments: [
        "PupilID", "Client_Ref", "CRN", "Case Reference", "mosaic_id",
    ])
    func recordIDByPattern(column: String) {
        let r = Self.roles([column, "first_name", "last_name", "UPN", "address_line_1", "address_line_2", "post_code"])
        #expect(r[column] == "recordID", "\(column)")
        #expect(r["UPN"] == "otherIdentifier")
        #expect(r["address_line_1"] == "addressLine" && r["address_line_2"] == "addressLine")
    }

    @Test("an extract keyed only by a national identifier uses it as the record id")
    func nationalIDAsRecordID() {
        let r = Self.roles(["upn", "legal_forename", "legal_surname", "birth_date", "home_address", "home_postcode"])
        #expect(r["upn"] == "recordID")
        #expect(r["legal_forename"] == "givenName" && r["legal_surname"] == "surname")
        #expect(r["home_address"] == "addressLine" && r["home_postcode"] == "postcode")
    }

    @Test("only one record id; an id-like column after a known one stays out")
    func oneRecordID() {
        let r = Self.roles(["record_id", "SystemID", "forename", "surname"])
        #expect(r["record_id"] == "recordID" && r["SystemID"] == "ignored")
    }

    @Test("the notes say what is left out and what is missing, and name no value")
    func notes() {
        let schema = SchemaSuggestion.suggest(header: ["forename", "surname", "notes", "keyworker"])
        let notes = SchemaSuggestion.notes(on: schema)
        #expect(notes.contains { $0.contains("record id") })
        #expect(notes.contains { $0.contains("notes, keyworker") && $0.contains("cin, cp, s42") })
        #expect(notes.contains { $0.contains("no column is a payload tier") })
        let complete = SchemaSuggestion.suggest(header: ["id", "forename", "surname", "cp_notes"])
        #expect(SchemaSuggestion.notes(on: complete).isEmpty)
    }
}
