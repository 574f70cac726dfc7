import HubStore

/// One stored block: a blocking key in one batch.
struct StoredBlock: Hashable {
    let key: Int64
    let batchID: String
}

extension BlockMember {
    /// The stored block this member belongs to.
    var block: StoredBlock { StoredBlock(key: key, batchID: batchID) }
}

extension BlockLookup {
    /// How many records each block found holds, per batch: the stored side's block size, which
    /// decides whether a block is broad (`BlockingConfiguration.broadBlockSize`) exactly as the
    /// in-memory blocker decides it for two agencies' records.
    func blockSizes() -> [StoredBlock: Int] {
        var sizes: [StoredBlock: Int] = [:]
        for m in members { sizes[m.block, default: 0] += 1 }
        return sizes
    }
}
