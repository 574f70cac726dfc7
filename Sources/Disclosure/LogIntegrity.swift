public import HubStore
public import TransparencyLog

/// The operator's check of the stored disclosure log (part of `mashlink-hub check`): every entry
/// hashes to its stored leaf hash, indices run 0, 1, 2, …, and the tree's root at the latest
/// checkpoint's size is the checkpoint's root. With the log's verifier key it also checks the
/// checkpoint's signature. Problems are listed, not thrown.
public enum LogIntegrity {
    /// The problems found (empty when the log is sound), and the entries examined.
    public static func check(_ store: any HubStore, verifier: NoteVerifier? = nil) async throws(DisclosureError) -> (entries: UInt64, problems: [String]) {
        var problems: [String] = []
        var tree = MerkleTree()
        do {
            while true {
                let rows = try await store.logEntries(from: tree.count, limit: 10_000)
                if rows.isEmpty { break }
                for row in rows {
                    if row.index != tree.count { problems.append("log entry \(tree.count) is missing (found \(row.index) next)") }
                    if MerkleHashing.leafHash(row.entry) != row.leafHash { problems.append("log entry \(row.index) does not hash to its stored leaf hash") }
                    tree.append(row.entry)
                }
                if !problems.isEmpty { break }
            }
            guard let latest = try await store.latestCheckpoint() else {
                if tree.count > 0 { problems.append("the log holds \(tree.count) entries but no checkpoint") }
                return (tree.count, problems)
            }
            let checkpoint: Checkpoint
            do {
                if let verifier {
                    checkpoint = try Checkpoint.open(latest.note, origin: verifier.name, verifiers: [verifier])
                } else {
                    checkpoint = try Checkpoint(text: try SignedNote(parsing: latest.note).text)
                }
            } catch {
                problems.append("the latest checkpoint does not \(verifier == nil ? "parse" : "verify"): \(error)")
                return (tree.count, problems)
            }
            if checkpoint.size > tree.count {
                problems.append("the latest checkpoint covers \(checkpoint.size) entries but the log holds \(tree.count)")
            } else if (try? tree.root(size: checkpoint.size)) != checkpoint.rootHash {
                problems.append("the log's entries do not hash to the latest checkpoint's root")
            }
        } catch { throw .store(error) }
        return (tree.count, problems)
    }
}
