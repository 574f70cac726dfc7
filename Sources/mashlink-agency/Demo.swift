import ArgumentParser
import Foundation
import LinkCrypto
import Normalisation
import Tokenisation

/// Runs the agency side end to end on the bundled synthetic extract, with throwaway keys.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenise the bundled synthetic extract with throwaway keys, then verify the batch (no setup needed).")

    @Option(help: "The synthetic extract.") var input = "examples/uk/police-extract.csv"
    @Option(help: "Folder for the demo's keys, batch and rejects (made fresh).") var out = "demo-out"

    func run() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: out)
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = { (name: String) in (self.out as NSString).appendingPathComponent(name) }
        // Throwaway keys with a low scrypt cost: demo material only, never for real data.
        let demoCost = Scrypt.Parameters(n: 1 << 12, r: 8, p: 1)
        let linkage = try AgencyKeys.createLinkageKey(at: path("linkage.key"), passphrase: "demo", parameters: demoCost)
        let signing = try AgencyKeys.createSigningKey(
            at: path("agency-signing.key"), publicPath: path("agency-signing.pub.pem"), passphrase: "demo", parameters: demoCost)
        let hub = X25519.PrivateKey()
        try AgencyKeys.writePublic(hub.publicKey.pemRepresentation, to: path("hub-release.pub.pem"))

        let schema = SchemaSuggestion.suggest(header: try CSVReader(path: input).header)
        try schema.encoded().write(to: URL(fileURLWithPath: path("schema.json")))
        let options = TokeniseOptions(
            agency: "demo-police", schema: schema, linkageKey: linkage, signingKey: signing, hubReleaseKey: hub.publicKey,
            batchDate: Tokeniser.today())
        let summary = try Tokeniser.run(inputPath: input, batchPath: path("batch.mlb"), rejectsPath: path("rejects.csv"), options: options)
        print(summary)
        for (reason, count) in summary.reasons.sorted(by: { $0.key < $1.key }) { print("  \(count) × \(reason)") }

        let reader = try BatchReader(path: path("batch.mlb"), expectedSigner: signing.publicKey)
        // The hub's side, shown here only because the demo holds the throwaway hub key.
        let opener = try PayloadOpener(header: reader.header, hubReleaseKey: hub)
        var records = 0, sealed = 0, opened = 0
        while let record = try reader.next() {
            records += 1
            for (tier, bytes) in record.payload {
                sealed += 1
                if (try? opener.open(bytes, reference: record.reference, tier: tier)) != nil { opened += 1 }
            }
        }
        print("verified \(path("batch.mlb")): \(records) records, signature valid, \(sealed) sealed payload tiers (\(opened) open with the hub key)")
        print("schema \(path("schema.json")), rejects \(path("rejects.csv")); no identifier appears in the batch")
    }
}
