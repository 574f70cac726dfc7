import Foundation
import Logging
import NIOCore
import PostgresNIO
import Tokenisation

extension PostgresHubStore {
    public func appendLog(_ entries: [LogRow], expectedSize: UInt64, checkpoint: String, referral: ReferralWrite?) async throws(StoreError) {
        let now = Timestamps.now(), logger = self.logger
        try await wrap {
            try await client.withTransaction(logger: logger) { conn in
                if let referral { try await Self.writeReferral(referral, on: conn, logger: logger) }
                // One appender at a time: the lock is held to commit.
                try await conn.query("LOCK TABLE log_entries IN EXCLUSIVE MODE", logger: logger)
                // The next index from the primary key (O(log n)), not a count of the rows.
                var size: Int64 = 0
                for try await n in try await conn.query("SELECT COALESCE(MAX(idx) + 1, 0)::BIGINT FROM log_entries", logger: logger).decode(Int64.self) { size = n }
                try LogRules.checkAppend(entries, storedSize: UInt64(size), expectedSize: expectedSize)
                if !entries.isEmpty {
                    let indices = entries.map { Int64($0.index) }, texts = entries.map { String(decoding: $0.entry, as: UTF8.self) }
                    let hashes = entries.map { ByteBuffer(bytes: $0.leafHash) }
                    try await conn.query(
                        "INSERT INTO log_entries (idx, entry, leaf_hash, appended_at) SELECT i, e, h, \(now) FROM unnest(\(indices)::BIGINT[], \(texts)::TEXT[], \(hashes)::BYTEA[]) AS t(i, e, h)",
                        logger: logger)
                }
                let newSize = Int64(expectedSize) + Int64(entries.count)
                try await conn.query(
                    "INSERT INTO log_checkpoints (size, note, signed_at) VALUES (\(newSize), \(checkpoint), \(now)) ON CONFLICT (size) DO NOTHING",
                    logger: logger)
            }
        }
    }

    public func logEntries(from start: UInt64, limit: Int) async throws(StoreError) -> [LogRow] {
        try await wrap {
            var out: [LogRow] = []
            let rows = try await client.query(
                "SELECT idx, entry, leaf_hash FROM log_entries WHERE idx >= \(Int64(start)) ORDER BY idx LIMIT \(limit)", logger: logger)
            for try await (idx, entry, hash) in rows.decode((Int64, String, ByteBuffer).self) {
                out.append(LogRow(index: UInt64(idx), entry: Array(entry.utf8), leafHash: Array(hash.readableBytesView)))
            }
            return out
        }
    }

    public func logLeafHashes() async throws(StoreError) -> [[UInt8]] {
        try await wrap {
            var out: [[UInt8]] = []
            for try await hash in try await client.query("SELECT leaf_hash FROM log_entries ORDER BY idx", logger: logger).decode(ByteBuffer.self) {
                out.append(Array(hash.readableBytesView))
            }
            return out
        }
    }

    public func latestCheckpoint() async throws(StoreError) -> (size: UInt64, note: String)? {
        try await wrap {
            for try await (size, note) in try await client.query("SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1", logger: logger).decode((Int64, String).self) {
                return (UInt64(size), note)
            }
            return nil
        }
    }

    public func checkpoint(size: UInt64) async throws(StoreError) -> String? {
        try await wrap {
            for try await note in try await client.query("SELECT note FROM log_checkpoints WHERE size = \(Int64(size))", logger: logger).decode(String.self) {
                return note
            }
            return nil
        }
    }
}
