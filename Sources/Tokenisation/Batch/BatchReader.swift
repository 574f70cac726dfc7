import Foundation
public import LinkCrypto

/// Reads a batch record by record and checks its signature at the end.
///
/// ``next()`` returns records as they are read and `nil` only once the trailer's record count,
/// content digest and signature have all checked out. A consumer must treat nothing as accepted
/// until `next()` has returned `nil`: a store stages records and commits only then.
public final class BatchReader {
    /// The batch's header.
    public let header: BatchHeader
    private let signer: Ed25519.PublicKey
    private let lines: LineReader
    private let hasher = SHA256.Hasher()
    private var count = 0
    private var lineNumber = 1
    private var finished = false
    private let decoder = JSONDecoder()

    /// Opens the batch at `path`. With `expectedSigner` (the hub's registered key for the agency),
    /// a batch signed by any other key is refused before a record is read.
    public init(
        path: String, expectedSigner: Ed25519.PublicKey, format: String = BatchHeader.formatName
    ) throws(TokenisationError) {
        lines = try LineReader(path: path)
        let (header, first) = try BatchHeader.decode(firstLineOf: lines)
        guard header.format == format else {
            throw .invalidBatch("expected a '\(format)' file but this is '\(header.format)'; check which file was given")
        }
        guard header.version == BatchHeader.currentVersion else {
            throw .invalidBatch("batch format version \(header.version) is not known to this build (it reads \(BatchHeader.currentVersion)); upgrade mashlink or re-tokenise")
        }
        guard header.signingKeyID == expectedSigner.keyID else {
            throw .invalidBatch("signed by key \(header.signingKeyID), but agency '\(header.agency)' is registered with key \(expectedSigner.keyID); ask the agency to re-sign with its registered key or register its new key")
        }
        try header.bloom.validate()
        hasher.update(first)
        self.header = header
        signer = expectedSigner
    }

    /// The next record, or `nil` once the whole batch has been verified.
    public func next() throws(TokenisationError) -> EncodedRecord? {
        try nextWithLine()?.record
    }

    /// The next record with its line as signed (without the newline), or `nil` once the whole
    /// batch has been verified: what the hub's store keeps, so nothing is re-serialised.
    public func nextWithLine() throws(TokenisationError) -> (record: EncodedRecord, line: ArraySlice<UInt8>)? {
        guard !finished else { return nil }
        guard let line = try lines.next() else {
            throw .invalidBatch("the batch ends without its signed trailer: it was truncated; fetch or re-create it")
        }
        lineNumber += 1
        if line.starts(with: Array(#"{"trailer""#.utf8)) {
            try verifyTrailer(line)
            finished = true
            return nil
        }
        hasher.update(line)
        count += 1
        if let record = CanonicalRecordDecoder.decode(line[...], bloomBits: header.bloom.bits) { return (record, line.dropLast()) }
        // Not in the canonical form (or malformed): the general path reads it or says what is wrong.
        let parsed: RecordLine
        if let fast = RecordLine(canonical: line[...]) { parsed = fast } else {
            do { parsed = try decoder.decode(RecordLine.self, from: Data(line)) } catch {
                throw .invalidBatch("line \(lineNumber) is not a valid record")
            }
        }
        return (try parsed.record(bloomBits: header.bloom.bits, lineNumber: lineNumber), line.dropLast())
    }

    private func verifyTrailer(_ line: [UInt8]) throws(TokenisationError) {
        let trailer: BatchTrailer
        do { trailer = try JSONDecoder().decode(BatchTrailer.self, from: Data(line)) } catch {
            throw .invalidBatch("the trailer is malformed")
        }
        guard try lines.next() == nil else { throw .invalidBatch("there is data after the trailer; the file was altered") }
        let digest = Hex.encode(hasher.finalize())
        guard trailer.trailer.records == count else {
            throw .invalidBatch("the trailer counts \(trailer.trailer.records) records but the file holds \(count); the file was altered")
        }
        guard trailer.trailer.digest == digest else {
            throw .invalidBatch("the content digest does not match: the batch was altered after signing; do not use it")
        }
        guard let signature = Hex.decode(trailer.trailer.signature),
              signer.isValidSignature(signature, for: BatchTrailer.signedMessage(digest: digest, records: count))
        else {
            throw .invalidBatch("the signature does not verify under key \(signer.keyID); the batch was altered or signed by another key")
        }
        verifiedDigest = digest
    }

    /// The verified content digest (SHA-256 of every byte before the trailer); for replay detection.
    public var contentDigest: String? { finished ? verifiedDigest : nil }
    private var verifiedDigest: String?
}

/// Reads a file line by line (LF-terminated, the LF not included) in 1 MiB chunks.
final class LineReader {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false

    init(path: String) throws(TokenisationError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .io(path: path, reason: "cannot be opened; check the path and permissions")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// The next line with its terminating LF appended (as hashed), or nil at end of file.
    func next() throws(TokenisationError) -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0a) {
                let line = Array(buffer[start...nl])
                start = nl + 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            buffer.removeFirst(start)
            start = 0
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw .io(path: path, reason: "read failed: \(error.localizedDescription)")
            }
            if let chunk, !chunk.isEmpty { buffer += chunk } else { eof = true }
        }
    }
}
