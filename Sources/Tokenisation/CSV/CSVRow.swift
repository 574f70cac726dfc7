/// One data row of a CSV file, as `CSVReader.next()` yields it.
///
/// A row with a `problem` is still returned, with whatever fields could be recovered, so that the
/// caller can write it to the rejects file and carry on with the next row.
public struct CSVRow: Sendable, Hashable {
    /// The fields in header order. When `problem` is set these are a best-effort recovery (bad
    /// UTF-8 replaced by U+FFFD, possibly more or fewer than the header's columns, possibly cut
    /// short): good enough for a rejects file, not for tokenising.
    public var fields: [String]

    /// The spreadsheet row number: the row an officer sees when opening the file in Excel or
    /// LibreOffice. The header is row 1, so the first data row is row 2. Every blank line counts
    /// as a row (a spreadsheet shows it as an empty row), and a quoted field spanning several
    /// lines still makes one row. In `"h\n\na\n"`, `a` is row 3.
    public var number: Int

    /// The 1-based physical line of the file on which this row starts, as a text editor counts
    /// lines (LF, CRLF and a lone CR each end a line, including inside quoted fields). Differs
    /// from `number` once a quoted field has spanned lines.
    public var line: Int

    /// Why the row cannot be used, or nil for a clean row. When a row has several problems the
    /// most fundamental is reported, in this order: unterminated quote, row too long, stray
    /// quote, invalid UTF-8, wrong column count.
    public var problem: CSVRowProblem?

    public init(fields: [String], number: Int, line: Int, problem: CSVRowProblem? = nil) {
        self.fields = fields
        self.number = number
        self.line = line
        self.problem = problem
    }
}
