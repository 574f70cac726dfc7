import ArgumentParser
import CommandSupport
import Foundation
import LinkCrypto
import Normalisation
import Tokenisation

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a key file: the shared linkage key, or this agency's signing key.",
        subcommands: [Linkage.self, Signing.self])

    struct Linkage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new linkage key (one agency does this once and shares it with the others, never with the hub).")
        @Option(help: "Where to write the wrapped key.") var out = "linkage.key"
        @OptionGroup var passphrase: PassphraseOptions

        func run() throws {
            let key = try AgencyKeys.createLinkageKey(at: out, passphrase: try passphrase.passphrase(for: out))
            print("linkage key \(key.keyID) written to \(out) (mode 0600)")
        }
    }

    struct Signing: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create this agency's Ed25519 signing key; register the .pub.pem file at the hub.")
        @Option(help: "Where to write the wrapped private key.") var out = "agency-signing.key"
        @OptionGroup var passphrase: PassphraseOptions

        func run() throws {
            let pub = out.replacingOccurrences(of: ".key", with: "") + ".pub.pem"
            let key = try AgencyKeys.createSigningKey(at: out, publicPath: pub, passphrase: try passphrase.passphrase(for: out))
            print("signing key \(key.publicKey.keyID) written to \(out) (mode 0600); public key in \(pub)")
        }
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with linkage schemas.", subcommands: [Suggest.self])

    struct Suggest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a starting schema from a CSV file's header.")
        @Argument(help: "The CSV extract.") var file: String
        @Option(help: "Where to write the schema (standard output if omitted).") var out: String?

        func run() throws {
            let schema = SchemaSuggestion.suggest(header: try CSVReader(path: file).header)
            let json = String(decoding: schema.encoded(), as: UTF8.self)
            if let out {
                try json.write(toFile: out, atomically: true, encoding: .utf8)
                print("schema written to \(out); check each column's role, and assign payload columns to tiers")
            } else {
                print(json)
            }
            // On standard error, so that the schema on standard output stays valid JSON.
            for note in SchemaSuggestion.notes(on: schema) { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        }
    }
}

struct Tokenise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenise a CSV extract into a signed batch; rejected rows go to a rejects file.",
        discussion: """
            Example:
              mashlink-agency tokenise --input extract.csv --agency police --schema schema.json \\
                  --hub-key hub-release.pub.pem --output police.mlb --rejects rejects.csv

            Exit status: 0 when a batch was written (even if some rows were rejected: see the rejects
            file); 1 when the input as a whole is unusable, a key cannot be opened, or the schema does
            not match the extract (no batch is left behind).
            """)

    @Option(name: [.customLong("input"), .customShort("i")], help: "The CSV extract (UTF-8, RFC 4180).") var file: String
    @Option(help: "This agency's name as registered at the hub.") var agency: String
    @Option(help: "The linkage schema (JSON). Without it the suggested schema is used.") var schema: String?
    @Option(help: "The wrapped linkage key file.") var linkageKey = "linkage.key"
    @Option(help: "The wrapped signing key file.") var signingKey = "agency-signing.key"
    @Option(help: "The hub's release public key (PEM).") var hubKey = "hub-release.pub.pem"
    @Option(name: [.customLong("output"), .customShort("o")], help: "The batch to write.") var out = "batch.mlb"
    @Option(help: "Where rejected rows go.") var rejects = "rejects.csv"
    @Option(help: "Date for age bands and date checks (YYYY-MM-DD; default today, UTC).") var batchDate: String?
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Flag(help: "Print the summary as JSON.") var json = false
    @OptionGroup var passphrase: PassphraseOptions

    func run() throws {
        let say = { (line: String) in if !quiet && !json { print(line) } }
        let schemaValue: LinkageSchema
        if let schema {
            schemaValue = try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: schema)))
        } else {
            schemaValue = SchemaSuggestion.suggest(header: try CSVReader(path: file).header)
            say("no --schema given: using the suggested schema (see 'mashlink-agency schema suggest \(file)')")
            for note in SchemaSuggestion.notes(on: schemaValue) { say("note: \(note)") }
        }
        let date = try batchDate.map { text in
            guard let d = try? DateOfBirth.parse(text, referenceDate: Tokeniser.today()).date else {
                throw ValidationError("--batch-date must be a date such as 2026-11-23")
            }
            return d
        } ?? Tokeniser.today()
        let pass = try passphrase.passphrase(for: "the agency key files")
        let options = TokeniseOptions(
            agency: agency, schema: schemaValue, linkageKey: try AgencyKeys.linkageKey(at: linkageKey, passphrase: pass),
            signingKey: try AgencyKeys.signingKey(at: signingKey, passphrase: pass),
            hubReleaseKey: try AgencyKeys.hubReleaseKey(at: hubKey), batchDate: date)
        // A progress line on stderr only for a person watching a terminal.
        let showProgress = !quiet && !json && isatty(STDERR_FILENO) == 1
        let summary = try Tokeniser.run(
            inputPath: file, batchPath: out, rejectsPath: rejects, options: options,
            progress: showProgress ? { rows in FileHandle.standardError.write(Data("\rtokenising: \(rows) rows read".utf8)) } : nil)
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if json {
            print(try summary.json())
            return
        }
        say(summary.description)
        for (reason, count) in summary.reasons.sorted(by: { $0.value > $1.value }) { say("  \(count) × \(reason)") }
        say("batch \(out) (content digest \(summary.contentDigest)); reference map \(summary.referencesPath) stays here")
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a batch's header, record count and field coverage (never an identifier; the signature is not checked: use verify).")
    @Argument(help: "The batch file.") var batch: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let report = try BatchInspection(path: batch)
        if json {
            print(try report.json())
        } else {
            print(report)
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a batch's signature and format, as the hub will.")
    @Argument(help: "The batch file.") var batch: String
    @Option(name: [.customLong("agency-key"), .customLong("signer")], help: "The agency's signing public key (PEM).")
    var agencyKey = "agency-signing.pub.pem"

    func run() throws {
        let reader = try BatchReader(path: batch, expectedSigner: try AgencyKeys.signingPublicKey(at: agencyKey))
        var count = 0
        while try reader.next() != nil { count += 1 }
        let h = reader.header
        print("batch \(h.batchID) from \(h.agency): \(count) records, signature valid")
        print("linkage key \(h.linkageKeyID), schema \(h.schemaDigest.prefix(16)), hub release key \(h.hubReleaseKeyID)")
        print("content digest \(reader.contentDigest ?? "")")
    }
}

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenise one referral subject into a signed query the hub can match (no payload, no clear identifier).",
        discussion: """
            Example:
              mashlink-agency query --agency csc --given "Bill" --surname "O'Brien" --dob 12/03/2012 \\
                  --postcode "SW1A 1AA" --output referral.mlq
            """)

    @Option(help: "This agency's name as registered at the hub.") var agency: String
    @Option(help: "Given name(s).") var given: String?
    @Option(help: "Surname.") var surname: String?
    @Option(help: "Former surname.") var formerSurname: String?
    @Option(help: "Date of birth (UK formats or ISO).") var dob: String?
    @Option(help: "Sex.") var sex: String?
    @Option(help: "First address line.") var address: String?
    @Option(help: "Postcode.") var postcode: String?
    @Option(help: "NHS number.") var nhs: String?
    @Option(help: "The linkage schema whose encoding parameters the batches used (default parameters if omitted).") var schema: String?
    @Option(help: "The wrapped linkage key file.") var linkageKey = "linkage.key"
    @Option(help: "The wrapped signing key file.") var signingKey = "agency-signing.key"
    @Option(name: [.customLong("output"), .customShort("o")], help: "The query file to write.") var out = "query.mlq"
    @OptionGroup var passphrase: PassphraseOptions

    func run() throws {
        let subject: [FieldKind: String?] = [
            .givenName: given, .surname: surname, .formerSurname: formerSurname, .dateOfBirth: dob, .sex: sex,
            .addressLine: address, .postcode: postcode, .nhsNumber: nhs,
        ]
        let parameters = try schema.map { try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: $0))) }
            ?? LinkageSchema(columns: [])
        let pass = try passphrase.passphrase(for: "the agency key files")
        try QueryTokeniser.write(
            subject: subject.compactMapValues { $0 }, to: out, agency: agency, schema: parameters,
            linkageKey: try AgencyKeys.linkageKey(at: linkageKey, passphrase: pass),
            signingKey: try AgencyKeys.signingKey(at: signingKey, passphrase: pass), date: Tokeniser.today())
        print("signed query written to \(out)")
    }
}
