import Foundation
public import LinkCrypto

/// Writes a signed batch, one record at a time, so memory does not grow with the number of records.
///
/// Bytes go to `<path>.partial`, hashed as they are written; ``finish()`` appends the signed trailer,
/// syncs, and renames the file into place. A run that stops part-way leaves no file at `path`.
public final class BatchWriter {
    /// Where the finished batch will be.
    public let path: String
    private let partialPath: String
    private let handle: FileHandle
    private let hasher = SHA256.Hasher()
    private let signingKey: Ed25519.PrivateKey
    private var buffer: [UInt8] = []
    private let encoder = JSONEncoder()
    private var line: [UInt8] = []
    /// Records written so far.
    public private(set) var recordCount = 0

    /// Starts a batch at `path` with `header`, to be signed by `signingKey`.
    public init(path: String, header: BatchHeader, signingKey: Ed25519.PrivateKey) throws(TokenisationError) {
        guard header.signingKeyID == signingKey.publicKey.keyID else {
            throw .invalidBatch("the header names signing key \(header.signingKeyID) but the key given is \(signingKey.publicKey.keyID)")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .io(path: path, reason: "already exists; choose another output path (batches are never overwritten)")
        }
        self.path = path
        partialPath = path + ".partial"
        guard FileManager.default.createFile(atPath: partialPath, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: partialPath) else {
            throw .io(path: partialPath, reason: "cannot be created; check the folder exists and is writable")
        }
        handle.truncateFile(atOffset: 0)
        self.handle = handle
        self.signingKey = signingKey
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try append(header.line())
    }

    /// Appends one record.
    public func write(_ record: EncodedRecord) throws(TokenisationError) {
        line.removeAll(keepingCapacity: true)
        RecordLine.serialise(record, into: &line)
        try append(line)
        recordCount += 1
    }

    /// Appends one record already serialised by `RecordLine.serialise`.
    func write(serialised line: [UInt8]) throws(TokenisationError) {
        try append(line)
        recordCount += 1
    }

    /// Signs, writes the trailer, syncs and moves the batch into place. Returns the content digest.
    @discardableResult
    public func finish() throws(TokenisationError) -> String {
        try flush()
        let digest = Hex.encode(hasher.finalize())
        let signature = signingKey.signature(for: BatchTrailer.signedMessage(digest: digest, records: recordCount))
        let trailer = BatchTrailer(trailer: .init(records: recordCount, digest: digest, signature: Hex.encode(signature)))
        let line = Array(try! encoder.encode(trailer)) + [0x0a]
        do {
            try handle.write(contentsOf: Data(line))
            try handle.synchronize()
            try handle.close()
            try FileManager.default.moveItem(atPath: partialPath, toPath: path)
        } catch {
            throw .io(path: path, reason: "could not finish the batch: \(error.localizedDescription)")
        }
        return digest
    }

    /// Abandons the batch and removes the partial file.
    public func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: partialPath)
    }

    private func append(_ bytes: [UInt8]) throws(TokenisationError) {
        hasher.update(bytes)
        buffer += bytes
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(TokenisationError) {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: Data(buffer)) } catch {
            throw .io(path: partialPath, reason: "write failed: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
