/// A streaming RFC 4180 CSV reader for agency extracts of up to millions of people.
///
/// The file is read in fixed-size chunks, so memory stays at one chunk plus one row whatever the
/// file's size. The first row is the header (`header`); `next()` then yields the data rows one
/// at a time:
///
/// ```swift
/// var reader = try CSVReader(path: "extract.csv")
/// while let row = try reader.next() {
///     if let problem = row.problem { try rejects.write(row, reason: problem.description); continue }
///     use(row.fields)
/// }
/// ```
///
/// What is accepted:
/// - fields separated by `separator` (default comma); fields may be enclosed in double quotes,
///   and then may contain the separator, CR, LF and doubled quotes (`""` is one quote);
/// - rows ending in LF, CRLF or a lone CR, and a last row with no newline;
/// - a UTF-8 byte-order mark at the start (skipped);
/// - blank lines (no bytes at all between two newlines): skipped, though they still count in
///   `CSVRow.line` and `CSVRow.number`. A line holding only spaces is not blank: it is a row.
///
/// What is reported per row as `CSVRow.problem`, without stopping the stream: a field that is
/// not UTF-8, a stray quote (a quote inside an unquoted field, or text after a closing quote:
/// RFC 4180 requires such fields to be quoted, and guessing could shift columns silently), a
/// quoted field still open at the end of the file, a row longer than `maxRowBytes`, and a row
/// whose field count differs from the header's. Data fields are returned exactly as written
/// (no trimming); only header names are trimmed.
///
/// What is thrown (`CSVError`): no header (`.empty`), a duplicate header name, a malformed header
/// row, and file errors.
///
/// The reader is non-copyable: two copies would share one open file and read past each other.
public struct CSVReader: ~Copyable {
    /// 64 KiB: large enough that system calls cost nothing next to parsing.
    public static let defaultChunkSize = 64 * 1024
    /// 1 MiB: far above any real person record, small enough that a missing closing quote
    /// cannot make the reader hold the rest of a large file in memory.
    public static let defaultMaxRowBytes = 1 << 20

    /// The column names from the first row, each trimmed of surrounding whitespace. Unique.
    public let header: [String]
    /// The 1-based physical line on which the header starts (1 unless blank lines precede it).
    public let headerLine: Int

    private var source: CSVChunkSource
    private var scanner: CSVScanner

    /// Opens the CSV file at `path` and reads its header row.
    ///
    /// - Parameters:
    ///   - separator: the field separator, an ASCII character other than a quote, CR or LF.
    ///   - chunkSize: bytes read from the file at a time (tests use tiny sizes to exercise
    ///     every chunk boundary).
    ///   - maxRowBytes: the most bytes kept for one row; longer rows are cut and reported.
    /// - Throws: `CSVError.io` if the file cannot be opened or read, `.empty` if it has no
    ///   header, `.duplicateHeader` or `.malformedHeader` for a bad header row.
    public init(
        path: String,
        separator: Unicode.Scalar = ",",
        chunkSize: Int = CSVReader.defaultChunkSize,
        maxRowBytes: Int = CSVReader.defaultMaxRowBytes
    ) throws(CSVError) {
        Self.checkParameters(separator: separator, chunkSize: chunkSize, maxRowBytes: maxRowBytes)
        let source = try CSVChunkSource(path: path, chunkSize: chunkSize)
        try self.init(source: source, separator: separator, maxRowBytes: maxRowBytes)
    }

    /// Reads CSV from bytes in memory (tests, small inputs); `chunkSize` splits them exactly as
    /// file reads would.
    public init(
        bytes: [UInt8],
        separator: Unicode.Scalar = ",",
        chunkSize: Int = CSVReader.defaultChunkSize,
        maxRowBytes: Int = CSVReader.defaultMaxRowBytes
    ) throws(CSVError) {
        Self.checkParameters(separator: separator, chunkSize: chunkSize, maxRowBytes: maxRowBytes)
        try self.init(source: CSVChunkSource(bytes: bytes, chunkSize: chunkSize), separator: separator, maxRowBytes: maxRowBytes)
    }

    private init(source: consuming CSVChunkSource, separator: Unicode.Scalar, maxRowBytes: Int) throws(CSVError) {
        var source = source
        var scanner = CSVScanner(separator: UInt8(separator.value), maxRowBytes: maxRowBytes)
        guard let first = try scanner.nextRow(from: &source) else { throw .empty }
        if let problem = first.problem {
            throw .malformedHeader(line: first.line, problem: problem)
        }
        let names = first.fields.map(Self.trimmed)
        if names.allSatisfy(\.isEmpty) { throw .empty }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw .duplicateHeader(name)
        }
        scanner.header = names
        self.header = names
        self.headerLine = first.line
        self.source = source
        self.scanner = scanner
    }

    /// The next data row, or nil once the file is finished (and on every later call).
    ///
    /// A row that cannot be used comes back with `problem` set, never as a thrown error, so the
    /// caller can reject it and continue. Only file errors are thrown.
    public mutating func next() throws(CSVError) -> CSVRow? {
        try scanner.nextRow(from: &source)
    }

    private static func checkParameters(separator: Unicode.Scalar, chunkSize: Int, maxRowBytes: Int) {
        precondition(separator.isASCII && separator != "\"" && separator != "\n" && separator != "\r",
                     "the CSV separator must be an ASCII character other than a double quote, CR or LF")
        precondition(chunkSize > 0, "chunkSize must be positive")
        precondition(maxRowBytes > 0, "maxRowBytes must be positive")
    }

    private static func trimmed(_ name: String) -> String {
        let scalars = name.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
