import ArgumentParser

/// `mashlink-agency`: the agency data officer's tool. Parsing and wiring only; the work is in `Tokenisation`.
@main
struct MashlinkAgency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mashlink-agency",
        abstract: "Turn an agency's CSV extract into a signed batch of tokens, encodings and sealed payloads.",
        discussion: """
            A first run, with the synthetic example:
              mashlink-agency demo
            For real: keygen linkage (once, shared), keygen signing, schema suggest, tokenise, verify.
            """,
        subcommands: [Keygen.self, Schema.self, Tokenise.self, Query.self, Inspect.self, Verify.self, Demo.self])
}
