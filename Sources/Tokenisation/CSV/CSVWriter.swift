import Foundation

/// Writes rows of strings as RFC 4180 CSV: a field is enclosed in double quotes when it contains
/// the separator, a double quote, CR or LF, and inner quotes are doubled; rows end with LF.
///
/// Output is buffered (64 KiB) and the file is created with mode 0600 by default, because CSV
/// written by mashlink (rejects, reports) may hold personal data. An existing file is never
/// overwritten unless `replacingExisting` is set. Call `close()` to flush and fsync: a writer
/// dropped without `close()` flushes what it can, but cannot report a failure.
///
/// Whatever it writes, `CSVReader` reads back to the same fields. The one exception is a row of
/// no fields, which CSV cannot express: it is written as one empty field (`""`).
public final class CSVWriter {
    /// Where the file is.
    public let path: String
    private let separator: UInt8
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private var wroteFirstField = false
    private static let flushThreshold = 64 * 1024

    /// Creates the file at `path`.
    ///
    /// - Parameters:
    ///   - separator: an ASCII character other than a double quote, CR or LF.
    ///   - byteOrderMark: start the file with a UTF-8 byte-order mark, which Excel needs to show
    ///     non-ASCII names correctly (`CSVReader` skips it).
    ///   - permissions: POSIX mode bits for the new file (0600 unless the output is public).
    ///   - replacingExisting: remove an existing file at `path` first instead of failing.
    /// - Throws: `CSVError.io` if the file exists (and is not to be replaced) or cannot be created.
    public init(
        path: String,
        separator: Unicode.Scalar = ",",
        byteOrderMark: Bool = false,
        permissions: Int = 0o600,
        replacingExisting: Bool = false
    ) throws(CSVError) {
        precondition(separator.isASCII && separator != "\"" && separator != "\n" && separator != "\r",
                     "the CSV separator must be an ASCII character other than a double quote, CR or LF")
        self.path = path
        self.separator = UInt8(separator.value)
        self.handle = try CSVFileAccess.create(path, permissions: permissions, replacingExisting: replacingExisting)
        buffer.reserveCapacity(Self.flushThreshold + 1024)
        if byteOrderMark {
            buffer.append(contentsOf: [0xEF, 0xBB, 0xBF])
            wroteFirstField = true  // a BOM in the data can no longer be mistaken for one
        }
    }

    deinit {
        if let handle {
            if !buffer.isEmpty { try? CSVFileAccess.write(handle, buffer, path: path) }
            CSVFileAccess.close(handle)
        }
    }

    /// Appends one row.
    public func write(row fields: [String]) throws(CSVError) {
        guard handle != nil else {
            throw .io(path: path, reason: "the file was already closed; this is a bug in mashlink, please report it")
        }
        let protectFirstField = !wroteFirstField
        wroteFirstField = true
        Self.appendRow(fields, separator: separator, quotingLeadingByteOrderMark: protectFirstField, to: &buffer)
        if buffer.count >= Self.flushThreshold {
            try flush()
        }
    }

    /// Writes out the buffer without closing.
    public func flush() throws(CSVError) {
        guard let handle, !buffer.isEmpty else { return }
        let bytes = buffer
        buffer.removeAll(keepingCapacity: true)
        try CSVFileAccess.write(handle, bytes, path: path)
    }

    /// Flushes, makes the file durable (fsync) and closes it. Later writes throw; a second
    /// `close()` does nothing.
    public func close() throws(CSVError) {
        guard let handle else { return }
        defer { self.handle = nil }
        do {
            try flush()
        } catch {
            CSVFileAccess.close(handle)
            throw error
        }
        try CSVFileAccess.syncAndClose(handle, path: path)
    }

    /// One row as CSV text, with its LF line end: for callers that build CSV in memory.
    public static func encode(row fields: [String], separator: Unicode.Scalar = ",") -> String {
        var bytes: [UInt8] = []
        appendRow(fields, separator: UInt8(separator.value), quotingLeadingByteOrderMark: false, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let quote = UInt8(ascii: "\"")

    static func appendRow(_ fields: [String], separator: UInt8, quotingLeadingByteOrderMark: Bool, to out: inout [UInt8]) {
        if fields.isEmpty || (fields.count == 1 && fields[0].isEmpty) {
            // A bare newline would be read back as a blank line and skipped.
            out.append(contentsOf: [quote, quote, UInt8(ascii: "\n")])
            return
        }
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(separator) }
            let utf8 = field.utf8
            var needsQuotes = utf8.contains { byte in
                byte == separator || byte == quote || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            }
            if index == 0 && quotingLeadingByteOrderMark && utf8.starts(with: [0xEF, 0xBB, 0xBF]) {
                needsQuotes = true  // otherwise a reader would strip it as the file's byte-order mark
            }
            if needsQuotes {
                out.append(quote)
                for byte in utf8 {
                    out.append(byte)
                    if byte == quote { out.append(quote) }
                }
                out.append(quote)
            } else {
                out.append(contentsOf: utf8)
            }
        }
        out.append(UInt8(ascii: "\n"))
    }
}
