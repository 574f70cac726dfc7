/// A CSV file that cannot be read at all: it has no usable header, or the file itself cannot be
/// opened, read or written.
///
/// Thrown by `CSVReader`, `CSVWriter` and `RejectsWriter`. Problems confined to one data row are
/// not thrown: they come back as `CSVRow.problem` so that one bad row never stops an extract of a
/// million people. No message ever contains a field value (personal data); messages name rows,
/// lines, column positions and header names, and say what to do.
public enum CSVError: Error, Sendable, Hashable {
    /// The file has no header row: it is empty, holds only blank lines, or only a byte-order mark,
    /// or every name in its first row is empty.
    case empty
    /// Two header columns have the same name (after trimming surrounding whitespace), so a
    /// column cannot be chosen by name.
    case duplicateHeader(String)
    /// The header row itself is malformed (for example a quote that is never closed).
    case malformedHeader(line: Int, problem: CSVRowProblem)
    /// The file could not be opened, read, created or written.
    case io(path: String, reason: String)
}

extension CSVError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty:
            return "the CSV file has no header row: it is empty or holds only blank lines. "
                + "The first line must name the columns (for example nhs_number,surname,given_name,date_of_birth); "
                + "export the extract again with a header row"
        case .duplicateHeader(let name) where name.isEmpty:
            return "the header row has more than one column without a name; "
                + "give every column a unique name in the header row (or delete the empty columns) and try again"
        case .duplicateHeader(let name):
            return "the header row names the column \"\(name)\" more than once; "
                + "rename or remove the duplicate so that every column name appears once, and try again"
        case .malformedHeader(let line, let problem):
            return "the header row (line \(line)) cannot be read: \(problem.description)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

/// Why one data row could not be read cleanly. The row still comes back (with the fields that
/// could be recovered) so the caller can write it to the rejects file and carry on.
///
/// Column indices are 0-based, as in `CSVRow.fields`; messages show them 1-based with the
/// spreadsheet column letter, as an officer would see them. `name` is the header name of that
/// column, or nil when the row has more fields than the header.
public enum CSVRowProblem: Sendable, Hashable {
    /// The row has `actual` fields but the header has `expected` columns.
    case columnCount(expected: Int, actual: Int)
    /// A field is not valid UTF-8 (the first such column is reported). Its text in `fields` has
    /// the bad bytes replaced by U+FFFD.
    case invalidUTF8(column: Int, name: String?)
    /// A double quote inside a field that is not enclosed in quotes, or text after the closing
    /// quote of a quoted field. RFC 4180 requires a field containing quotes to be wholly quoted
    /// with inner quotes doubled; such a row is reported rather than guessed at. The quote is
    /// kept as a literal character in the recovered field.
    case strayQuote(column: Int, name: String?)
    /// A quoted field was never closed, so the row ran to the end of the file.
    case unterminatedQuote(column: Int, name: String?)
    /// The row holds more than `limit` bytes; fields past the limit were cut or dropped. Keeps
    /// memory bounded when, say, a missing closing quote swallows the rest of the file.
    case rowTooLong(limit: Int)
}

extension CSVRowProblem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .columnCount(let expected, let actual):
            return "the row has \(actual) \(actual == 1 ? "field" : "fields") but the header has \(expected) "
                + "\(expected == 1 ? "column" : "columns"); a field that contains the separator must be enclosed "
                + "in double quotes. Check this row in the extract and export it again"
        case .invalidUTF8(let column, let name):
            return "\(csvColumnLabel(column, name)) is not valid UTF-8 text; "
                + "export the extract as UTF-8 (in Excel: Save As \"CSV UTF-8\") and try again"
        case .strayQuote(let column, let name):
            return "\(csvColumnLabel(column, name)) has a double quote in the wrong place; a field containing "
                + "double quotes must be enclosed in double quotes, with each inner quote doubled (\"\"). "
                + "Correct this field in the extract and export it again"
        case .unterminatedQuote(let column, let name):
            return "a quoted field in \(csvColumnLabel(column, name)) is never closed, so the row runs to the end "
                + "of the file; add the missing closing double quote in the extract and export it again"
        case .rowTooLong(let limit):
            return "the row is longer than \(limit) bytes, the most that is read for one row, and was cut short; "
                + "this is usually a missing closing double quote. Check this row in the extract"
        }
    }
}

/// "column 3 (C, "surname")": 1-based position, spreadsheet letter and header name.
func csvColumnLabel(_ index: Int, _ name: String?) -> String {
    let letter = csvSpreadsheetColumnLetters(index)
    if let name {
        return "column \(index + 1) (\(letter), \"\(name)\")"
    }
    return "column \(index + 1) (\(letter))"
}

/// Spreadsheet column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA, 701 → ZZ, 702 → AAA.
func csvSpreadsheetColumnLetters(_ index: Int) -> String {
    precondition(index >= 0)
    var n = index + 1
    var scalars: [Unicode.Scalar] = []
    while n > 0 {
        let remainder = (n - 1) % 26
        scalars.append(Unicode.Scalar(UInt8(ascii: "A") + UInt8(remainder)))
        n = (n - 1) / 26
    }
    var result = ""
    for scalar in scalars.reversed() { result.unicodeScalars.append(scalar) }
    return result
}
