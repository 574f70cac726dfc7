import Foundation
public import LinkCrypto
public import Normalisation

/// Tokenises one referral subject into a signed query: the same layout as a batch (header, one
/// record, signed trailer) with format `mashlink-query` and no payload, so the hub can match it
/// against the index with exactly the encodings the batches use.
public enum QueryTokeniser {
    /// Encodes `subject` (identifier kinds and their values as typed by the practitioner) into a
    /// signed query at `path`. The schema supplies encoding parameters only; its columns are ignored.
    /// Throws, with the reason, if the subject cannot be tokenised (for example an impossible date).
    @discardableResult
    public static func write(
        subject: [FieldKind: String], to path: String, agency: String, schema: LinkageSchema, linkageKey: LinkageKey,
        signingKey: Ed25519.PrivateKey, date: CalendarDate
    ) throws(TokenisationError) -> EncodedRecord {
        let queryID = UUID().uuidString.lowercased()
        var values = subject.filter { $0.key != .recordID && !$0.value.isEmpty }
        values[.recordID] = queryID
        let kinds = values.keys.sorted { $0.rawValue < $1.rawValue }
        let header = kinds.map(\.rawValue)
        var querySchema = LinkageSchema(columns: kinds.map { ColumnRole(column: $0.rawValue, field: $0) })
        querySchema.bloom = schema.bloom
        querySchema.hardening = schema.hardening
        let encoder = try RecordEncoder(schema: querySchema, header: header, key: linkageKey, sealer: nil, batchDate: date)
        let record: EncodedRecord
        switch encoder.encode(kinds.map { values[$0]! }) {
        case .success(let r): record = r
        case .failure(let rejection): throw .unusableInput("the referral subject cannot be tokenised: \(rejection.reason)")
        }
        let batchHeader = BatchHeader(
            batchID: queryID, agency: agency, createdAt: Timestamps.now(), batchDate: date.iso8601,
            linkageKeyID: linkageKey.keyID, signingKeyID: signingKey.publicKey.keyID, hubReleaseKeyID: "",
            schema: querySchema, format: BatchHeader.queryFormatName)
        let writer = try BatchWriter(path: path, header: batchHeader, signingKey: signingKey)
        do throws(TokenisationError) {
            try writer.write(record)
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
        return record
    }
}
