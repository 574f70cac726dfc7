import Dispatch
import Foundation

/// A record's reference, its serialised batch line, and the invalid values left out of it.
struct EncodedLine {
    let reference: String
    let line: [UInt8]
    let omitted: [String]
}

/// Encodes a chunk of rows on several threads, one ``RecordEncoder`` per thread, keeping row order.
///
/// Worker `w` uses only `encoders[w]` (HMAC contexts are mutable, so never shared) and hands its
/// results back once, under a lock. That ownership rule is what makes the `@unchecked Sendable`
/// box sound.
final class ParallelEncoder {
    private let encoders: Shared

    init(encoders: [RecordEncoder]) {
        precondition(!encoders.isEmpty, "at least one encoder")
        self.encoders = Shared(encoders)
    }

    /// The encoding of each row without a CSV problem; `nil` for rows the reader already flagged.
    func encode(_ rows: [CSVRow]) -> [Result<EncodedLine, RowRejection>?] {
        let workers = min(encoders.items.count, max(rows.count, 1))
        let encoders = self.encoders
        let collected = Collected(count: rows.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let encoder = encoders.items[worker]
            var local: [(Int, Result<EncodedLine, RowRejection>)] = []
            var i = worker
            while i < rows.count {
                if rows[i].problem == nil {
                    // Serialising here, on the worker, keeps the single writer thread light.
                    var omitted: [String] = []
                    let result = encoder.encode(rows[i].fields, omitted: &omitted)
                    local.append((i, result.map { record in
                        var line: [UInt8] = []
                        RecordLine.serialise(record, into: &line)
                        return EncodedLine(reference: record.reference, line: line, omitted: omitted)
                    }))
                }
                i += workers
            }
            collected.add(local)
        }
        return collected.items
    }

    private final class Shared: @unchecked Sendable {
        let items: [RecordEncoder]
        init(_ items: [RecordEncoder]) { self.items = items }
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var items: [Result<EncodedLine, RowRejection>?]

        init(count: Int) { items = Array(repeating: nil, count: count) }

        func add(_ results: [(Int, Result<EncodedLine, RowRejection>)]) {
            lock.lock()
            defer { lock.unlock() }
            for (i, r) in results { items[i] = r }
        }
    }
}
