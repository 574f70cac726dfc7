import Foundation
public import HubStore
public import LinkCrypto
public import TransparencyLog

/// The hub log key's public forms, as the DPO and agencies hold them.
public enum LogKeys {
    /// The file `mashlink-hub init` writes the verifier key to, next to the key files.
    public static let verifierKeyFile = "hub-log.vkey"

    /// The one-line verifier key (`<origin>+<key id>+<key>`) of the log signed by `key` under the
    /// default origin.
    public static func verifierKey(for key: Ed25519.PublicKey) throws(DisclosureError) -> String {
        do { return try NoteVerifier(name: DisclosureLog.defaultOrigin(for: key), publicKey: key).verifierKey } catch { throw .log(error) }
    }

    /// Reads a verifier key file (the first non-empty line).
    public static func readVerifier(at path: String) throws(DisclosureError) -> NoteVerifier {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        else { throw .malformedEntry("\(path) cannot be read as a verifier key file; use the hub's \(verifierKeyFile)") }
        do { return try NoteVerifier(verifierKey: line.trimmingCharacters(in: .whitespaces)) } catch { throw .log(error) }
    }
}

/// A log export, as the DPO receives it: a folder with `entries.jsonl` (each entry's exact bytes,
/// one a line, in log order) and `checkpoint.txt` (the signed checkpoint covering them). Entries
/// are canonical JSON, which never holds a raw newline, so a line is exactly an entry.
public struct LogExport: Sendable {
    public static let entriesFile = "entries.jsonl", checkpointFile = "checkpoint.txt"
    /// Each entry's bytes, in order.
    public let entries: [[UInt8]]
    /// The signed checkpoint note.
    public let checkpoint: String

    /// An export of `entries` (each entry's bytes, in order) under `checkpoint`.
    public init(entries: [[UInt8]], checkpoint: String) {
        self.entries = entries
        self.checkpoint = checkpoint
    }

    /// Reads the store's log up to its latest checkpoint (no key needed: it is all public to the DPO).
    public static func read(from store: any HubStore) async throws(DisclosureError) -> LogExport {
        do {
            guard let latest = try await store.latestCheckpoint() else { throw DisclosureError.malformedEntry("the store has no disclosure log yet") }
            var entries: [[UInt8]] = []
            while UInt64(entries.count) < latest.size {
                let rows = try await store.logEntries(from: UInt64(entries.count), limit: min(10_000, Int(latest.size) - entries.count))
                guard !rows.isEmpty else { break }
                entries += rows.map(\.entry)
            }
            return LogExport(entries: entries, checkpoint: latest.note)
        } catch let error as DisclosureError { throw error } catch let error as StoreError { throw .store(error) } catch {
            throw .malformedEntry("\(error)")
        }
    }

    /// Writes the export into `directory` (created if needed).
    public func write(to directory: String) throws(DisclosureError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var text: [UInt8] = []
            for e in entries { text += e + [0x0a] }
            try Data(text).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(Self.entriesFile)))
            try Data(checkpoint.utf8).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(Self.checkpointFile)))
        } catch { throw .malformedEntry("the export could not be written to \(directory): \(error.localizedDescription)") }
    }

    /// Reads an export folder.
    public static func read(directory: String) throws(DisclosureError) -> LogExport {
        let entriesPath = (directory as NSString).appendingPathComponent(entriesFile)
        let checkpointPath = (directory as NSString).appendingPathComponent(checkpointFile)
        guard let data = FileManager.default.contents(atPath: entriesPath), let note = try? String(contentsOfFile: checkpointPath, encoding: .utf8) else {
            throw .malformedEntry("\(directory) is not a log export: it needs \(entriesFile) and \(checkpointFile) (mashlink-audit export writes them)")
        }
        let bytes = Array(data)
        var entries: [[UInt8]] = [], start = 0
        for (i, b) in bytes.enumerated() where b == 0x0a {
            entries.append(Array(bytes[start..<i]))
            start = i + 1
        }
        if start < bytes.count { entries.append(Array(bytes[start...])) }
        return LogExport(entries: entries, checkpoint: note)
    }

    /// A receipt (c2sp.org/tlog-proof bundle, entry as `extra`) for entry `index` against this
    /// export's checkpoint, made from the entries alone: no key is needed to prove.
    public func receipt(for index: UInt64) throws(DisclosureError) -> ProofBundle {
        guard index < UInt64(entries.count) else { throw .log(.indexOutOfRange(index: index, treeSize: UInt64(entries.count))) }
        var tree = MerkleTree()
        for e in entries { tree.append(e) }
        do {
            return try ProofBundle(index: index, proof: try tree.inclusionProof(index: index, treeSize: tree.count), checkpoint: checkpoint, extra: entries[Int(index)])
        } catch { throw .log(error) }
    }
}
