import Foundation
public import LinkCrypto
public import Normalisation

/// What a tokenising run did: the summary an agency data officer reads.
public struct TokeniseSummary: Sendable, Hashable, CustomStringConvertible {
    /// Data rows read (the header not counted).
    public var read = 0
    /// Rows written to the batch.
    public var tokenised = 0
    /// Rows written to the rejects file and left out of the batch.
    public var rejected = 0
    /// Rows in the batch without a value that failed validation (``InvalidValuePolicy/omitField``);
    /// each is also listed in the rejects file with what was left out, and counted in ``tokenised``.
    public var tokenisedWithout = 0
    /// Where the batch is.
    public var batchPath: String
    /// Where rejected rows are.
    public var rejectsPath: String
    /// The agency's local map from its own record ids to the opaque references in the batch. It never leaves the agency.
    public var referencesPath: String
    /// The batch's content digest.
    public var contentDigest = ""
    /// Rejections and values left out, by reason (reasons never hold field values), for the summary.
    public var reasons: [String: Int] = [:]

    public var description: String {
        let without = tokenisedWithout > 0 ? " (\(tokenisedWithout) without an invalid value)" : ""
        return "read \(read), tokenised \(tokenised)\(without), rejected \(rejected) → \(rejectsPath)"
    }
}

/// Everything a tokenising run needs besides the input file.
public struct TokeniseOptions: Sendable {
    /// The agency's registered name.
    public var agency: String
    /// The linkage schema.
    public var schema: LinkageSchema
    /// The shared linkage key.
    public var linkageKey: LinkageKey
    /// The agency's signing key.
    public var signingKey: Ed25519.PrivateKey
    /// The hub's release key (payload tiers are sealed to it).
    public var hubReleaseKey: X25519.PublicKey
    /// The date age bands and date-of-birth plausibility are judged on.
    public var batchDate: CalendarDate
    /// Threads that encode rows (default: one per core).
    public var workers = ProcessInfo.processInfo.activeProcessorCount

    /// Gathers the options.
    public init(
        agency: String, schema: LinkageSchema, linkageKey: LinkageKey, signingKey: Ed25519.PrivateKey,
        hubReleaseKey: X25519.PublicKey, batchDate: CalendarDate
    ) {
        self.agency = agency
        self.schema = schema
        self.linkageKey = linkageKey
        self.signingKey = signingKey
        self.hubReleaseKey = hubReleaseKey
        self.batchDate = batchDate
    }
}

/// Streams a CSV extract into a signed batch and a rejects file. Memory stays flat: one chunk of
/// rows is in hand at a time, encoded on ``TokeniseOptions/workers`` threads and written in input
/// order. Every row ends up in exactly one of the two outputs.
public enum Tokeniser {
    /// Rows read and encoded together.
    static let chunkSize = 2048

    /// Tokenises `inputPath` into `batchPath`, rejected rows into `rejectsPath`.
    ///
    /// Throws only when the input as a whole is unusable (unreadable, no header, schema not matching
    /// the header, or not one row tokenised); then no batch is left behind.
    /// `progress`, if given, is called after each chunk with the rows read so far.
    public static func run(
        inputPath: String, batchPath: String, rejectsPath: String, options: TokeniseOptions,
        progress: ((Int) -> Void)? = nil
    ) throws(TokenisationError) -> TokeniseSummary {
        var reader: CSVReader
        do { reader = try CSVReader(path: inputPath) } catch { throw .unusableInput(error.description) }
        let batchID = UUID().uuidString.lowercased()
        let tiers = Set(PayloadTier.allCases.filter { !options.schema.columns(for: $0).isEmpty })
        let sealer = try PayloadSealer(tiers: tiers, hubReleaseKey: options.hubReleaseKey, agency: options.agency, batchID: batchID)
        var encoders: [RecordEncoder] = []
        for _ in 0..<max(options.workers, 1) {
            encoders.append(try RecordEncoder(
                schema: options.schema, header: reader.header, key: options.linkageKey, sealer: sealer, batchDate: options.batchDate))
        }
        let pool = ParallelEncoder(encoders: encoders)
        let header = BatchHeader(
            batchID: batchID, agency: options.agency, createdAt: Timestamps.now(),
            batchDate: options.batchDate.iso8601, linkageKeyID: options.linkageKey.keyID,
            signingKeyID: options.signingKey.publicKey.keyID, hubReleaseKeyID: options.hubReleaseKey.keyID,
            schema: options.schema, payloadKeys: sealer.encapsulatedKeys)
        let rejects: RejectsWriter
        do { rejects = try RejectsWriter(path: rejectsPath, extractHeader: reader.header, replacingExisting: true) } catch {
            throw .io(path: rejectsPath, reason: error.description)
        }
        let writer = try BatchWriter(path: batchPath, header: header, signingKey: options.signingKey)
        let referencesPath = batchPath + ".refs.csv"
        let references: CSVWriter
        do {
            references = try CSVWriter(path: referencesPath, replacingExisting: true)
            try references.write(row: ["record_id", "reference"])
        } catch { throw .io(path: referencesPath, reason: error.description) }
        let idColumn = reader.header.firstIndex(of: options.schema.columns(for: .recordID)[0])!
        var summary = TokeniseSummary(batchPath: batchPath, rejectsPath: rejectsPath, referencesPath: referencesPath)
        do throws(TokenisationError) {
            var chunk: [CSVRow] = []
            chunk.reserveCapacity(Self.chunkSize)
            var more = true
            while more {
                chunk.removeAll(keepingCapacity: true)
                while chunk.count < Self.chunkSize, let row = try nextRow(&reader) { chunk.append(row) }
                more = chunk.count == Self.chunkSize
                for (row, encoded) in zip(chunk, pool.encode(chunk)) {
                    summary.read += 1
                    let reason: String
                    switch encoded {
                    case .success(let record):
                        try writer.write(serialised: record.line)
                        do { try references.write(row: [row.fields[idColumn], record.reference]) } catch {
                            throw TokenisationError.io(path: referencesPath, reason: error.description)
                        }
                        summary.tokenised += 1
                        guard !record.omitted.isEmpty else { continue }
                        // Kept, and listed for the data officer to correct the source.
                        let note = record.omitted.joined(separator: "; ")
                        do { try rejects.write(row, reason: note) } catch {
                            throw TokenisationError.io(path: rejectsPath, reason: error.description)
                        }
                        summary.tokenisedWithout += 1
                        summary.reasons[note, default: 0] += 1
                        continue
                    case .failure(let rejection):
                        reason = rejection.reason
                    case nil:
                        reason = row.problem?.description ?? "unreadable row"
                    }
                    do { try rejects.write(row, reason: reason) } catch {
                        throw TokenisationError.io(path: rejectsPath, reason: error.description)
                    }
                    summary.rejected += 1
                    summary.reasons[reason, default: 0] += 1
                }
                progress?(summary.read)
            }
            do { try rejects.close() } catch { throw TokenisationError.io(path: rejectsPath, reason: error.description) }
            do { try references.close() } catch { throw TokenisationError.io(path: referencesPath, reason: error.description) }
            guard summary.tokenised > 0 else {
                throw TokenisationError.unusableInput(
                    "not one of \(summary.read) rows could be tokenised (see \(rejectsPath)); check the schema matches the extract")
            }
            summary.contentDigest = try writer.finish()
        } catch {
            writer.abandon()
            try? references.close()
            try? FileManager.default.removeItem(atPath: referencesPath)
            throw error
        }
        return summary
    }

    private static func nextRow(_ reader: inout CSVReader) throws(TokenisationError) -> CSVRow? {
        do { return try reader.next() } catch { throw .unusableInput(error.description) }
    }


    /// Today's date in UTC, as a ``CalendarDate``.
    public static func today() -> CalendarDate {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}

extension TokeniseSummary {
    /// The summary as JSON, for scripts.
    public func json() throws -> String {
        let object: [String: Any] = [
            "read": read, "tokenised": tokenised, "tokenisedWithout": tokenisedWithout, "rejected": rejected, "batch": batchPath, "rejects": rejectsPath,
            "references": referencesPath, "contentDigest": contentDigest, "rejectionReasons": reasons,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }
}
