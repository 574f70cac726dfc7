/// Writes the rows mashlink could not use to a rejects CSV file, so the data officer can see
/// every row that was left out and why, correct the extract and run again. Nothing is silently
/// dropped.
///
/// The file's header is `row,reason,` followed by the extract's own header. Each reject is its
/// spreadsheet row number (`CSVRow.number`), the reason, and the row's original fields as far as
/// they could be recovered (bad UTF-8 appears as U+FFFD). A row with fewer fields than the header
/// is padded with empty fields; one with more keeps the extras in additional columns. An
/// extract column already called `row` or `reason` is renamed `row (original)` and so on, so
/// the rejects file's header stays unique and `CSVReader` can read it back.
///
/// The file holds personal data: it is created with mode 0600, never overwrites an existing file
/// unless asked, and starts with a UTF-8 byte-order mark so Excel shows names correctly. Call
/// `close()` when done; it flushes and fsyncs.
public final class RejectsWriter {
    /// The rejects file's header: `row`, `reason`, then the extract's columns.
    public let header: [String]
    /// How many rows have been written (not counting the header).
    public private(set) var count = 0
    private let writer: CSVWriter
    private let width: Int

    /// Creates the rejects file at `path` for an extract whose header is `extractHeader`.
    ///
    /// - Throws: `CSVError.io` if the file exists (and `replacingExisting` is false) or cannot be
    ///   created or written.
    public init(path: String, extractHeader: [String], replacingExisting: Bool = false) throws(CSVError) {
        var names = ["row", "reason"]
        var used = Set(names)
        for name in extractHeader {
            var unique = name
            while used.contains(unique) { unique += " (original)" }
            used.insert(unique)
            names.append(unique)
        }
        header = names
        width = extractHeader.count
        writer = try CSVWriter(path: path, byteOrderMark: true, permissions: 0o600, replacingExisting: replacingExisting)
        try writer.write(row: names)
    }

    /// Where the file is.
    public var path: String { writer.path }

    /// Writes `row` with `reason`, or with the row's own problem when `reason` is nil.
    /// The reason is for the officer: it must not contain field values.
    public func write(_ row: CSVRow, reason: String? = nil) throws(CSVError) {
        let why = reason ?? row.problem?.description ?? "rejected"
        var fields = [String(row.number), why]
        fields.reserveCapacity(2 + max(width, row.fields.count))
        fields.append(contentsOf: row.fields)
        if row.fields.count < width {
            fields.append(contentsOf: repeatElement("", count: width - row.fields.count))
        }
        try writer.write(row: fields)
        count += 1
    }

    /// Flushes, fsyncs and closes the file.
    public func close() throws(CSVError) {
        try writer.close()
    }
}
