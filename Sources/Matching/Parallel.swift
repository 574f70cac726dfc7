import Dispatch
import Synchronization

/// Work spread over a bounded number of threads, results in input order.
enum Parallel {
    /// `body(i)` for every i in `0..<count`, on at most `threads` threads.
    static func map<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, min(threads, count))
        if workers == 1 { return (0..<count).map(body) }
        let next = Mutex(0)
        let results = Mutex([T?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.withLock { n in
                    defer { n += 1 }
                    return n
                }
                guard i < count else { return }
                let r = body(i)
                results.withLock { $0[i] = r }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// `transform` over `items`, in chunks of `chunk` spread over at most `threads` threads.
    static func chunked<S: Sendable, T: Sendable>(
        _ items: [S], threads: Int, chunk: Int = 4_096, _ transform: @Sendable (S) -> T
    ) -> [T] {
        chunked(count: items.count, threads: threads, chunk: chunk) { transform(items[$0]) }
    }

    /// `transform(i)` for every i in `0..<count`, in chunks of `chunk` spread over at most `threads`
    /// threads. The chunks are joined one by one, each freed as it is copied, so the peak is the
    /// result and one chunk, not twice the result (at a million records a result is gigabytes).
    static func chunked<T: Sendable>(
        count: Int, threads: Int, chunk: Int = 4_096, _ transform: @Sendable (Int) -> T
    ) -> [T] {
        guard count > chunk, threads > 1 else { return (0..<count).map(transform) }
        let chunks = (count + chunk - 1) / chunk
        var parts = map(chunks, threads: threads) { c in ((c * chunk)..<min(count, (c + 1) * chunk)).map(transform) }
        var out: [T] = []
        out.reserveCapacity(count)
        for c in parts.indices {
            out.append(contentsOf: parts[c])
            parts[c] = []
        }
        return out
    }
}
