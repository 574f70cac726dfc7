extension LinkageSchema {
    /// The identifiers of one input row, by kind, as ``QueryTokeniser`` takes them: each column the
    /// schema maps to an identifier kind (not the record id), empty values left out, several
    /// columns of one kind joined with a space.
    public func subject(fromRow row: [String], header: [String]) -> [FieldKind: String] {
        var subject: [FieldKind: String] = [:]
        for role in columns {
            guard let field = role.field, field != .recordID, let i = header.firstIndex(of: role.column), i < row.count, !row[i].isEmpty else { continue }
            subject[field] = subject[field].map { $0 + " " + row[i] } ?? row[i]
        }
        return subject
    }
}
