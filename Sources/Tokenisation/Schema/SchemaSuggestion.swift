/// Suggests a starting schema from a CSV header by recognising common column names.
///
/// Unrecognised columns are ignored (they never leave the agency); the officer then edits the
/// suggestion, for example to assign payload columns to tiers.
public enum SchemaSuggestion {
    /// Column names (after lower-casing and removing spaces, hyphens and underscores) and the field they usually hold.
    static let known: [String: FieldKind] = [
        "givenname": .givenName, "forename": .givenName, "forenames": .givenName, "firstname": .givenName,
        "christianname": .givenName, "fname": .givenName,
        "middlename": .middleNames, "middlenames": .middleNames, "othernames": .middleNames,
        "surname": .surname, "lastname": .surname, "familyname": .surname, "lname": .surname,
        "formersurname": .formerSurname, "maidenname": .formerSurname, "previoussurname": .formerSurname,
        "birthsurname": .formerSurname,
        "sex": .sex, "gender": .sex,
        "dob": .dateOfBirth, "dateofbirth": .dateOfBirth, "birthdate": .dateOfBirth, "birthdt": .dateOfBirth,
        "address": .addressLine, "addressline": .addressLine, "address1": .addressLine, "addressline1": .addressLine,
        "street": .addressLine, "streetaddress": .addressLine,
        "housenumber": .houseNumber, "houseno": .houseNumber, "streetnumber": .houseNumber, "buildingnumber": .houseNumber,
        "postcode": .postcode, "postalcode": .postcode, "zip": .postcode, "zipcode": .postcode,
        "nhsnumber": .nhsNumber, "nhsno": .nhsNumber, "nhs": .nhsNumber,
        "recid": .recordID, "recordid": .recordID, "id": .recordID, "personid": .recordID, "clientid": .recordID,
        "localid": .recordID,
    ]

    static let tierNames: [String: PayloadTier] = ["cin": .cin, "cp": .cp, "s42": .s42]

    /// A schema for `header`. Columns named like `payload_cp` or `cp_notes` become payload of that tier.
    public static func suggest(header: [String]) -> LinkageSchema {
        var roles: [ColumnRole] = []
        var used = Set<FieldKind>()
        for column in header {
            let key = column.lowercased().filter { $0.isLetter || $0.isNumber }
            if let kind = known[key], !(used.contains(kind) && kind == .recordID) {
                roles.append(ColumnRole(column: column, field: kind))
                used.insert(kind)
            } else if let tier = tier(of: column) {
                roles.append(ColumnRole(column: column, tier: tier))
            } else {
                roles.append(ColumnRole(ignoring: column))
            }
        }
        var schema = LinkageSchema(columns: roles, hardening: .standard)
        schema.invalidValues = .omitField
        return schema
    }

    private static func tier(of column: String) -> PayloadTier? {
        let parts = column.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        guard parts.count >= 2 else { return nil }
        if parts.first == "payload" || parts.first == "tier" { return tierNames[parts[1]] }
        return tierNames[parts[0]]
    }
}
