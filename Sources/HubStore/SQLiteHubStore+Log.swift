import Foundation
import GRDB
import Tokenisation

extension SQLiteHubStore {
    public func appendLog(_ entries: [LogRow], expectedSize: UInt64, checkpoint: String, referral: ReferralWrite?) async throws(StoreError) {
        let now = Timestamps.now()
        try await write { db in
            if let referral { try Self.writeReferral(referral, in: db) }
            // The next index from the primary key (O(log n)), not a count of the rows.
            let size = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries") ?? 0
            try LogRules.checkAppend(entries, storedSize: UInt64(size), expectedSize: expectedSize)
            let insert = try db.cachedStatement(sql: "INSERT INTO log_entries (idx, entry, leaf_hash, appended_at) VALUES (?, ?, ?, ?)")
            for e in entries {
                try insert.execute(arguments: [Int64(e.index), String(decoding: e.entry, as: UTF8.self), Data(e.leafHash), now])
            }
            try db.execute(
                sql: "INSERT INTO log_checkpoints (size, note, signed_at) VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING",
                arguments: [Int64(expectedSize) + Int64(entries.count), checkpoint, now])
        }
    }

    public func logEntries(from start: UInt64, limit: Int) async throws(StoreError) -> [LogRow] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT idx, entry, leaf_hash FROM log_entries WHERE idx >= ? ORDER BY idx LIMIT ?", arguments: [Int64(start), limit]).map {
                LogRow(index: UInt64($0[0] as Int64), entry: Array(($0[1] as String).utf8), leafHash: Array($0[2] as Data))
            }
        }
    }

    public func logLeafHashes() async throws(StoreError) -> [[UInt8]] {
        try await read { db in try Data.fetchAll(db, sql: "SELECT leaf_hash FROM log_entries ORDER BY idx").map { Array($0) } }
    }

    public func latestCheckpoint() async throws(StoreError) -> (size: UInt64, note: String)? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1").map { (UInt64($0[0] as Int64), $0[1] as String) }
        }
    }

    public func checkpoint(size: UInt64) async throws(StoreError) -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT note FROM log_checkpoints WHERE size = ?", arguments: [Int64(size)]) }
    }
}

/// The checks both backends make before appending to the log.
enum LogRules {
    static func checkAppend(_ entries: [LogRow], storedSize: UInt64, expectedSize: UInt64) throws(StoreError) {
        guard storedSize == expectedSize else {
            throw .logAppendStale("the log holds \(storedSize) entries, not the \(expectedSize) this writer expected")
        }
        for (i, e) in entries.enumerated() where e.index != expectedSize + UInt64(i) {
            throw .logAppendStale("entry \(e.index) is out of order")
        }
    }
}
