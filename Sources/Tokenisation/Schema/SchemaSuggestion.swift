/// Suggests a starting schema from a CSV header by recognising common column names.
///
/// Unrecognised columns are ignored (they never leave the agency); ``notes(on:)`` lists them, and the
/// officer then edits the suggestion, for example to assign payload columns to tiers.
public enum SchemaSuggestion {
    /// Column names (after lower-casing and removing spaces, hyphens and underscores) and the field they usually hold.
    static let known: [String: FieldKind] = [
        "givenname": .givenName, "forename": .givenName, "forenames": .givenName, "firstname": .givenName,
        "christianname": .givenName, "fname": .givenName,
        "firstforename": .givenName, "forename1": .givenName, "legalforename": .givenName, "legalfirstname": .givenName,
        "middlename": .middleNames, "middlenames": .middleNames, "othernames": .middleNames, "middle": .middleNames,
        "forename2": .middleNames, "secondforename": .middleNames, "secondname": .middleNames, "otherforenames": .middleNames,
        "surname": .surname, "lastname": .surname, "familyname": .surname, "lname": .surname, "legalsurname": .surname,
        "formersurname": .formerSurname, "maidenname": .formerSurname, "previoussurname": .formerSurname,
        "birthsurname": .formerSurname,
        "sex": .sex, "gender": .sex,
        "dob": .dateOfBirth, "dateofbirth": .dateOfBirth, "birthdate": .dateOfBirth, "birthdt": .dateOfBirth,
        "address": .addressLine, "addressline": .addressLine, "address1": .addressLine, "addressline1": .addressLine,
        "street": .addressLine, "streetaddress": .addressLine, "address2": .addressLine, "addressline2": .addressLine,
        "homeaddress": .addressLine, "currentaddress": .addressLine, "lastknownaddress": .addressLine,
        "housenumber": .houseNumber, "houseno": .houseNumber, "streetnumber": .houseNumber, "buildingnumber": .houseNumber,
        "postcode": .postcode, "postalcode": .postcode, "zip": .postcode, "zipcode": .postcode,
        "homepostcode": .postcode, "currentpostcode": .postcode,
        "nhsnumber": .nhsNumber, "nhsno": .nhsNumber, "nhs": .nhsNumber,
        "recid": .recordID, "recordid": .recordID, "id": .recordID, "personid": .recordID, "clientid": .recordID,
        "localid": .recordID, "clientref": .recordID, "clientreference": .recordID, "personref": .recordID,
        "nominalref": .recordID, "nominalid": .recordID, "pupilid": .recordID, "studentid": .recordID,
        "patientid": .recordID, "subjectid": .recordID, "caseref": .recordID, "childid": .recordID,
        "serviceuserid": .recordID, "crn": .recordID, "localref": .recordID, "reference": .recordID, "ref": .recordID,
    ]

    /// National identifiers other than the NHS number, by column name, with their scheme
    /// (``ColumnRole/scheme``): unique pupil number, Police National Computer id, National
    /// Insurance number, unique learner number. Each is an `otherIdentifier`.
    static let schemes: [String: String] = [
        "upn": "upn", "pnc": "pnc", "pncid": "pnc", "pncnumber": "pnc", "pncno": "pnc",
        "nino": "nino", "ninumber": "nino", "nationalinsurancenumber": "nino", "uln": "uln",
    ]

    static let tierNames: [String: PayloadTier] = ["cin": .cin, "cp": .cp, "s42": .s42]

    /// A schema for `header`. Columns named like `payload_cp` or `cp_notes` become payload of that tier.
    public static func suggest(header: [String]) -> LinkageSchema {
        var roles: [ColumnRole] = []
        var hasRecordID: Bool { roles.contains { $0.field == .recordID } }
        for column in header {
            let key = key(column)
            if let scheme = schemes[key] {
                roles.append(ColumnRole(column: column, field: .otherIdentifier, scheme: scheme))
            } else if let kind = known[key], !(kind == .recordID && hasRecordID) {
                roles.append(ColumnRole(column: column, field: kind))
            } else if let tier = tier(of: column) {
                roles.append(ColumnRole(column: column, tier: tier))
            } else {
                roles.append(ColumnRole(ignoring: column))
            }
        }
        // No known record-id name: the first column named like an id or reference (`PupilID`,
        // `Client_Ref`), which is where extracts put their own key.
        if !hasRecordID, let i = roles.firstIndex(where: { $0.field == nil && $0.tier == nil && looksLikeRecordID($0.column) }) {
            roles[i] = ColumnRole(column: roles[i].column, field: .recordID)
        }
        // Still none: a school's extract keyed by the pupil number has only that; it becomes the
        // record id (an agency's own key), and is no longer compared as an identifier.
        if !hasRecordID, let i = roles.firstIndex(where: { $0.field == .otherIdentifier }) {
            roles[i] = ColumnRole(column: roles[i].column, field: .recordID)
        }
        var schema = LinkageSchema(columns: roles, hardening: .standard)
        schema.invalidValues = .omitField
        return schema
    }

    /// What the officer must check in a suggested schema, one line each: the columns left out (they
    /// never leave the agency, so a payload column left out is never shared), and a missing record id.
    public static func notes(on schema: LinkageSchema) -> [String] {
        var out: [String] = []
        if schema.columns(for: .recordID).isEmpty {
            out.append("no column was recognised as the record id: name one \"recordID\" in the schema, or tokenise refuses the extract")
        }
        let ignored = schema.columns.filter { $0.field == nil && $0.tier == nil }.map(\.column)
        if !ignored.isEmpty {
            out.append("not used, so never sent: \(ignored.joined(separator: ", ")); give each a field, or a tier (cin, cp, s42) if it is safeguarding information to share")
        }
        if !schema.columns.contains(where: { $0.tier != nil }) {
            out.append("no column is a payload tier: the batch will carry no safeguarding information")
        }
        return out
    }

    /// A column name as the tables above hold it: lower case, letters and digits only.
    private static func key(_ column: String) -> String { column.lowercased().filter { $0.isLetter || $0.isNumber } }

    private static func looksLikeRecordID(_ column: String) -> Bool {
        let key = key(column)
        return ["id", "ref", "reference"].contains { key.hasSuffix($0) } && key != "nhsid"
    }

    private static func tier(of column: String) -> PayloadTier? {
        let parts = column.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        guard parts.count >= 2 else { return nil }
        if parts.first == "payload" || parts.first == "tier" { return tierNames[parts[1]] }
        return tierNames[parts[0]]
    }
}
