import ArgumentParser

/// `mashlink-hub`: the central match service. The store (`init`, `agency`, `ingest`, `batches`,
/// `check`), linking (`link`, offline or against the store) and `evaluate`; the service and the
/// workflow come with issues 7–8.
@main
struct MashlinkHub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mashlink-hub",
        abstract: "The MASH hub: store agencies' verified batches and link them.",
        subcommands: [Demo.self, Init.self, Agency.self, User.self, Serve.self, Ingest.self, Batches.self, Check.self, Link.self, Releases.self, Purge.self, Backup.self, Restore.self, Evaluate.self])
}
