public import ArgumentParser
public import HubStore

/// `--database URL`, on every hub and audit command that uses the store.
public struct DatabaseOptions: ParsableArguments {
    @Option(help: "The store: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
    public var database = HubStores.defaultURL

    public init() {}

    /// Opens the store, runs `body`, and closes the store whether `body` succeeds or not.
    public func withStore<T>(_ body: (any HubStore) async throws -> T) async throws -> T {
        let store = try await HubStores.open(database)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
