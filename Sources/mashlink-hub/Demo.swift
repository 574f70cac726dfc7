import ArgumentParser
import Foundation
import HubDemo

/// `mashlink-hub demo`: the whole system end to end on synthetic data, in one command.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run mashlink end to end on synthetic UK-style agencies: tokenise, serve on SQLite, walk a referral to release over HTTP, audit the log.",
        discussion: """
            Throwaway keys and synthetic data only (examples/uk/demo). Everything goes to --out, made afresh:
            keys, batches, the store, the log export and the DPO's report. With --serve the console stays up
            (log in as the demo users it prints) until Ctrl-C.
            """)

    @Option(help: "Folder of synthetic agency extracts.") var examples = "examples/uk/demo"
    @Option(help: "Folder for everything the demo makes (replaced).") var out = "demo-hub"
    @Option(help: "Address to serve on.") var host = "127.0.0.1"
    @Option(help: "Port to serve on (0: any free port).") var port = 8080
    @Flag(help: "Keep serving the console after the walk-through.") var serve = false

    func run() async throws {
        do {
            _ = try await HubDemo.run(DemoOptions(examples: examples, out: out, host: host, port: port, serve: serve)) { line in
                // Unbuffered, so a script waiting on the output sees each line as it happens.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch let error as DemoError {
            throw ValidationError(error.description)
        }
    }
}
