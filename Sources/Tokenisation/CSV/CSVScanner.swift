import Foundation

/// Where `CSVReader` gets its bytes: a file read in fixed-size chunks, or bytes in memory handed
/// out in the same chunk size (so tests can exercise every chunk boundary).
struct CSVChunkSource {
    private enum Storage {
        case file(FileHandle, path: String)
        case memory([UInt8], offset: Int)
        case exhausted
    }

    private var storage: Storage
    let chunkSize: Int

    init(path: String, chunkSize: Int) throws(CSVError) {
        storage = .file(try CSVFileAccess.openForReading(path), path: path)
        self.chunkSize = chunkSize
    }

    init(bytes: [UInt8], chunkSize: Int) {
        storage = .memory(bytes, offset: 0)
        self.chunkSize = chunkSize
    }

    /// The next non-empty chunk of at most `chunkSize` bytes, or nil at the end of the input
    /// (after which the file is closed).
    mutating func nextChunk() throws(CSVError) -> [UInt8]? {
        switch storage {
        case .file(let handle, let path):
            if let chunk = try CSVFileAccess.read(handle, upTo: chunkSize, path: path) {
                return chunk
            }
            CSVFileAccess.close(handle)
            storage = .exhausted
            return nil
        case .memory(let bytes, let offset):
            guard offset < bytes.count else {
                storage = .exhausted
                return nil
            }
            let end = min(offset + chunkSize, bytes.count)
            storage = .memory(bytes, offset: end)
            return Array(bytes[offset..<end])
        case .exhausted:
            return nil
        }
    }
}

/// The RFC 4180 state machine. It scans bytes (never Characters), keeps its state between chunks
/// so a row, a field, a CRLF or a UTF-8 sequence may be split anywhere, and builds a `String`
/// only once per field. Memory is one chunk plus one row (capped by `maxRowBytes`).
struct CSVScanner {
    private enum State {
        /// Before the first byte of a row; newlines here are blank lines.
        case rowStart
        /// At the first byte of a field (after a separator, or at the start of a row).
        case fieldStart
        /// Inside a field that did not begin with a quote.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Just after a quote inside a quoted field: an escaped quote or the closing quote.
        case quoteInQuoted
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    /// Bytes charged against `maxRowBytes` for each field, roughly what a `String` costs, so a
    /// row of a million empty fields is bounded too.
    private static let fieldOverhead = 16

    let separator: UInt8
    let maxRowBytes: Int
    /// Header names, for column names in problems and the column count check. Empty while the
    /// header itself is being read.
    var header: [String] = []

    // Input.
    private var buffer: [UInt8] = []
    private var position = 0
    private var checkedByteOrderMark = false
    private var finished = false

    // Where we are in the file.
    private var line = 1
    /// The spreadsheet row number of the last row or blank line passed.
    private var rowNumber = 0
    /// The previous byte was a CR that already ended a line; an LF right after it belongs to it.
    private var skipLineFeed = false

    // The row being read.
    private var state = State.rowStart
    private var rowLine = 0
    private var fields: [String] = []
    private var fieldCount = 0
    /// The field's bytes while they lie in one run of `buffer` (the usual case): they are
    /// decoded from there without a copy.
    private var pendingStart = 0
    private var pendingEnd = 0
    /// The field's bytes once they span chunks or hold an escaped quote.
    private var fieldBytes: [UInt8] = []
    private var storedBytes = 0
    private var rowTruncated = false
    private var openQuoteColumn = 0
    private var firstStrayQuote: Int?
    private var firstInvalidUTF8: Int?

    init(separator: UInt8, maxRowBytes: Int) {
        self.separator = separator
        self.maxRowBytes = maxRowBytes
    }

    /// The next row (header or data), or nil at the end of the input.
    mutating func nextRow(from source: inout CSVChunkSource) throws(CSVError) -> CSVRow? {
        if finished { return nil }
        if !checkedByteOrderMark {
            try skipByteOrderMark(from: &source)
        }
        while true {
            if position == buffer.count {
                guard let chunk = try source.nextChunk() else {
                    finished = true
                    buffer = []
                    position = 0
                    return finishAtEndOfInput()
                }
                buffer = chunk
                position = 0
            }
            if let row = scanBuffer() {
                return row
            }
        }
    }

    /// Skips a UTF-8 byte-order mark (EF BB BF) at the very start, which Excel writes.
    private mutating func skipByteOrderMark(from source: inout CSVChunkSource) throws(CSVError) {
        checkedByteOrderMark = true
        while buffer.count - position < 3, let chunk = try source.nextChunk() {
            buffer = Array(buffer[position...]) + chunk
            position = 0
        }
        if buffer.count - position >= 3,
           buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
            position += 3
        }
    }

    /// Scans the buffer from `position`; returns a row as soon as one ends, or nil when the
    /// buffer is used up mid-row.
    private mutating func scanBuffer() -> CSVRow? {
        let end = buffer.count
        var index = position
        while index < end {
            switch state {
            case .rowStart:
                let byte = buffer[index]
                if byte == Self.lineFeed {
                    index += 1
                    if skipLineFeed {
                        skipLineFeed = false
                    } else {
                        line += 1
                        rowNumber += 1
                    }
                } else if byte == Self.carriageReturn {
                    index += 1
                    line += 1
                    rowNumber += 1
                    skipLineFeed = true
                } else {
                    skipLineFeed = false
                    rowNumber += 1
                    rowLine = line
                    state = .fieldStart
                }

            case .fieldStart:
                if buffer[index] == Self.quote {
                    openQuoteColumn = fieldCount
                    state = .quoted
                    index += 1
                } else {
                    state = .unquoted
                }

            case .unquoted:
                var stop = index
                while stop < end {
                    let byte = buffer[stop]
                    if byte == separator || byte == Self.quote || byte == Self.lineFeed || byte == Self.carriageReturn {
                        break
                    }
                    stop += 1
                }
                appendToField(from: index, to: stop)
                index = stop
                guard stop < end else { break }
                let byte = buffer[stop]
                index += 1
                if byte == separator {
                    endField()
                    state = .fieldStart
                } else if byte == Self.quote {
                    if firstStrayQuote == nil { firstStrayQuote = fieldCount }
                    appendByteToField(Self.quote)
                } else {
                    endField()
                    endLine(with: byte)
                    position = index
                    return completeRow(unterminatedQuote: false)
                }

            case .quoted:
                var stop = index
                while stop < end {
                    let byte = buffer[stop]
                    if byte == Self.quote { break }
                    if byte == Self.carriageReturn {
                        line += 1
                        skipLineFeed = true
                    } else if byte == Self.lineFeed {
                        if skipLineFeed { skipLineFeed = false } else { line += 1 }
                    } else {
                        skipLineFeed = false
                    }
                    stop += 1
                }
                appendToField(from: index, to: stop)
                index = stop
                guard stop < end else { break }
                skipLineFeed = false
                index += 1
                state = .quoteInQuoted

            case .quoteInQuoted:
                let byte = buffer[index]
                if byte == Self.quote {
                    appendByteToField(Self.quote)
                    state = .quoted
                    index += 1
                } else if byte == separator {
                    endField()
                    state = .fieldStart
                    index += 1
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endField()
                    endLine(with: byte)
                    index += 1
                    position = index
                    return completeRow(unterminatedQuote: false)
                } else {
                    // Text after the closing quote: keep it, report the row.
                    if firstStrayQuote == nil { firstStrayQuote = fieldCount }
                    state = .unquoted
                }
            }
        }
        // The buffer is about to be replaced: keep the bytes of the unfinished field.
        movePendingToFieldBytes()
        position = index
        return nil
    }

    private mutating func finishAtEndOfInput() -> CSVRow? {
        switch state {
        case .rowStart:
            return nil
        case .fieldStart, .unquoted, .quoteInQuoted:
            endField()
            return completeRow(unterminatedQuote: false)
        case .quoted:
            endField()
            return completeRow(unterminatedQuote: true)
        }
    }

    private mutating func endLine(with byte: UInt8) {
        line += 1
        skipLineFeed = byte == Self.carriageReturn
    }

    private mutating func appendToField(from start: Int, to stop: Int) {
        var take = stop - start
        guard take > 0 else { return }
        let room = maxRowBytes - storedBytes
        if take > room {
            rowTruncated = true
            guard room > 0 else { return }
            take = room
        }
        storedBytes += take
        if pendingEnd == pendingStart && fieldBytes.isEmpty {
            pendingStart = start
            pendingEnd = start + take
        } else {
            movePendingToFieldBytes()
            fieldBytes.append(contentsOf: buffer[start..<(start + take)])
        }
    }

    private mutating func appendByteToField(_ byte: UInt8) {
        if storedBytes < maxRowBytes {
            movePendingToFieldBytes()
            fieldBytes.append(byte)
            storedBytes += 1
        } else {
            rowTruncated = true
        }
    }

    private mutating func movePendingToFieldBytes() {
        guard pendingEnd > pendingStart else { return }
        fieldBytes.append(contentsOf: buffer[pendingStart..<pendingEnd])
        pendingStart = 0
        pendingEnd = 0
    }

    private mutating func endField() {
        let column = fieldCount
        fieldCount += 1
        let hasPending = pendingEnd > pendingStart
        // Past the row limit a field is counted but not kept, unless it is the one that was cut.
        let keep = storedBytes < maxRowBytes || (fields.count == column && (hasPending || !fieldBytes.isEmpty))
        var decoded: (text: String, valid: Bool)?
        if hasPending {
            if keep { decoded = Self.decode(buffer[pendingStart..<pendingEnd]) }
            pendingStart = 0
            pendingEnd = 0
        } else if !fieldBytes.isEmpty {
            if keep { decoded = Self.decode(fieldBytes[...]) }
            fieldBytes.removeAll(keepingCapacity: true)
        } else if keep {
            decoded = ("", true)
        }
        guard let decoded else {
            rowTruncated = true
            return
        }
        if !decoded.valid && firstInvalidUTF8 == nil {
            firstInvalidUTF8 = column
        }
        fields.append(decoded.text)
        storedBytes += Self.fieldOverhead
    }

    private mutating func completeRow(unterminatedQuote: Bool) -> CSVRow {
        let problem: CSVRowProblem?
        if unterminatedQuote {
            problem = .unterminatedQuote(column: openQuoteColumn, name: name(of: openQuoteColumn))
        } else if rowTruncated {
            problem = .rowTooLong(limit: maxRowBytes)
        } else if let column = firstStrayQuote {
            problem = .strayQuote(column: column, name: name(of: column))
        } else if let column = firstInvalidUTF8 {
            problem = .invalidUTF8(column: column, name: name(of: column))
        } else if !header.isEmpty && fieldCount != header.count {
            problem = .columnCount(expected: header.count, actual: fieldCount)
        } else {
            problem = nil
        }
        let row = CSVRow(fields: fields, number: rowNumber, line: rowLine, problem: problem)
        fields = []
        fields.reserveCapacity(header.count)
        fieldCount = 0
        storedBytes = 0
        rowTruncated = false
        firstStrayQuote = nil
        firstInvalidUTF8 = nil
        state = .rowStart
        return row
    }

    private func name(of column: Int) -> String? {
        column < header.count ? header[column] : nil
    }

    /// The bytes as a String, and whether they were valid UTF-8 (if not, the String has U+FFFD
    /// in place of each bad sequence).
    private static func decode(_ bytes: ArraySlice<UInt8>) -> (text: String, valid: Bool) {
        // Most fields in UK extracts are ASCII, which is always valid and decodes fastest.
        var combined: UInt8 = 0
        for byte in bytes { combined |= byte }
        if combined < 0x80 {
            return (String(decoding: bytes, as: UTF8.self), true)
        }
        if #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *) {
            if let text = String(validating: bytes, as: UTF8.self) {
                return (text, true)
            }
            return (String(decoding: bytes, as: UTF8.self), false)
        } else {
            let text = String(decoding: bytes, as: UTF8.self)
            return (text, text.utf8.elementsEqual(bytes))
        }
    }
}
