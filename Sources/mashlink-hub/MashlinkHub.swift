import ArgumentParser

/// `mashlink-hub`: the central match service. For now the offline `link` and `evaluate` commands;
/// the store, the service and the workflow come with issues 6–8.
@main
struct MashlinkHub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mashlink-hub",
        abstract: "Link agencies' batches (the central match service's offline mode).",
        subcommands: [Link.self, Evaluate.self])
}
