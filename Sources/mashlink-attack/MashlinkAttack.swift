import ArgumentParser
import CommandSupport
import Foundation
import LinkCrypto
import PrivacyAttacks
import Tokenisation

/// `mashlink-attack`: plays an honest-but-curious hub against one batch (issue 9). Parsing and
/// wiring only; the attacks are in `PrivacyAttacks`. Never part of a deployment.
@main
struct MashlinkAttack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mashlink-attack",
        abstract: "Run the published frequency, pattern-mining and graph-matching attacks on a batch, as the hub could.",
        discussion: """
            Example (synthetic data only: the truth files say who is who):
              mashlink-attack --batch a.mlb --agency-key a-signing.pub.pem --refs a.mlb.refs.csv \\
                  --truth a.csv --truth-schema schema.json --reference ref.csv --reference-schema ref.schema.json
            The attacks read only the batch and the reference list; --truth and --refs are read only to
            score them. --linkage-key adds the insider's dictionary attack (an agency holding the key).
            """)

    @Option(help: "The batch to attack.") var batch: String
    @Option(help: "The agency's signing public key (PEM), to verify the batch.") var agencyKey: String
    @Option(help: "The agency's reference map (record_id,reference), for scoring only.") var refs: String
    @Option(help: "The agency's plain CSV, for scoring only.") var truth: String
    @Option(help: "The agency's linkage schema for --truth.") var truthSchema: String
    @Option(help: "The attacker's public reference list (CSV with names and dates of birth).") var reference: String
    @Option(help: "The linkage schema naming --reference's columns.") var referenceSchema: String
    @Option(help: "Guesses allowed per field for the 'within' figures.") var guesses = 10
    @Option(help: "A linkage key file: adds the insider dictionary attack (passphrase as for mashlink-agency).") var linkageKey: String?
    @OptionGroup var passphrase: PassphraseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let truthSchema = try LinkageSchema.decode(Data(contentsOf: URL(fileURLWithPath: truthSchema)))
        let referenceSchema = try LinkageSchema.decode(Data(contentsOf: URL(fileURLWithPath: referenceSchema)))
        let target = try AttackTarget.load(
            batch: batch, signer: try AgencyKeys.signingPublicKey(at: agencyKey), references: refs, plain: truth, schema: truthSchema)
        let people = try PlainPopulation.read(path: reference, schema: referenceSchema, batchDate: Tokeniser.today()).map(\.person)
        var scores = AttackHarness.run(target: target, reference: people, guesses: guesses)
        if let linkageKey {
            let key = try AgencyKeys.linkageKey(at: linkageKey, passphrase: try passphrase.passphrase(for: "the linkage key"))
            scores.append(AttackHarness.dictionary(
                target: target, reference: people, key: key, saltedNames: truthSchema.hardening.saltNameTokens == true))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(scores), as: UTF8.self))
            return
        }
        print("\(target.records.count) records attacked, \(people.count) people in the reference list")
        for s in scores {
            let year = s.nameAndYearFirst.map { String(format: "%.4f", $0) } ?? "—"
            print(String(
                format: "%@ given %.4f (%.4f in %d)  surname %.4f (%.4f in %d)  full name %.4f (%.4f in %d)  name+year %@",
                s.attack.padding(toLength: 30, withPad: " ", startingAt: 0), s.givenFirst, s.givenWithin, s.guesses, s.surnameFirst, s.surnameWithin, s.guesses,
                s.fullNameFirst, s.fullNameWithin, s.guesses, year))
        }
    }
}
