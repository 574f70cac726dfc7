import ArgumentParser

/// Benchmarks that print figures; tests never time anything.
@main
struct MashlinkBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mashlink-bench",
        abstract: "Speed and memory figures for mashlink, in the units of the anchors they are compared with.",
        subcommands: [CryptoBenchmark.self, TokeniseBenchmark.self, LinkageBenchmark.self, AgenciesBenchmark.self, DiceBenchmark.self, LogBenchmark.self, ServiceBenchmark.self, QueryBenchmark.self])
}
