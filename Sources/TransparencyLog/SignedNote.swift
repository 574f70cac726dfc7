/// One signature line of a signed note: `— <key name> <base64(key id || signature)>`.
public struct NoteSignature: Sendable, Hashable {
    /// The name of the key that made it.
    public let keyName: String
    /// The 32-bit key id (the first four bytes of the base64 payload, big-endian).
    public let keyID: UInt32
    /// The signature bytes after the key id (64 for Ed25519; other types may differ).
    public let signature: [UInt8]

    /// The line as it appears in a note, with its final newline.
    public var line: String {
        let id: [UInt8] = [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xff), UInt8(keyID >> 8 & 0xff), UInt8(keyID & 0xff)]
        return "\(SignedNote.signaturePrefix)\(keyName) \(Base64.encode(id + signature))\n"
    }
}

/// A c2sp.org/signed-note: text ending in a newline, a blank line, and one or more signature lines.
///
/// Rules followed (c2sp.org/signed-note, and golang.org/x/mod/sumdb/note where the spec leaves a
/// choice): the note must be UTF-8 with no control character but newline; the text is everything up
/// to and including the newline before the *last* blank line; each signature line is U+2014 EM DASH,
/// a space, a key name, a space and canonical base64 of at least 5 bytes; at most
/// ``maximumSignatures`` lines. mashlink is stricter than Go in two places: base64 must be canonical
/// (padded, no stray bits), and every signature by a known key is verified, not only the first.
public struct SignedNote: Sendable, Hashable {
    /// The most signature lines a note may carry (golang.org/x/mod/sumdb/note's limit; the spec
    /// requires at least 16 to be accepted).
    public static let maximumSignatures = 100
    /// What every signature line starts with: U+2014 EM DASH and a space.
    public static let signaturePrefix = "\u{2014} "

    /// The signed text, ending in a newline.
    public let text: String
    /// The signatures, in note order.
    public let signatures: [NoteSignature]

    /// Signs `text` (which must end in a newline and hold no control character but newline) with
    /// each of `signers`.
    public init(signing text: String, with signers: [NoteSigner]) throws(LogError) {
        try Self.checkText(text)
        guard !signers.isEmpty else { throw .malformedNote("a note needs at least one signer") }
        self.init(validText: text, signers: signers)
    }

    /// Signs text already known to be valid note text.
    init(validText text: String, signers: [NoteSigner]) {
        self.text = text
        signatures = signers.map { $0.signature(for: text) }
    }

    /// Parses the UTF-8 bytes of a signed note. Nothing is verified: call ``verify(with:)``.
    public init(parsing bytes: some Collection<UInt8>) throws(LogError) {
        let bytes = Array(bytes)
        guard NoteText.isValidUTF8(bytes) else { throw .malformedNote("it is not valid UTF-8") }
        guard NoteText.hasOnlyAllowedControls(bytes) else {
            throw .malformedNote("it contains a control character other than newline (a tab or carriage return?)")
        }
        guard let split = Self.lastBlankLine(in: bytes) else {
            throw .malformedNote("there is no blank line between the text and the signatures")
        }
        let signatureBlock = bytes[(split + 2)...]
        guard signatureBlock.last == 0x0a else { throw .malformedNote("it does not end with a signature line and a newline") }
        var parsed: [NoteSignature] = []
        for line in signatureBlock.dropLast().split(separator: 0x0a, omittingEmptySubsequences: false) {
            guard parsed.count < Self.maximumSignatures else { throw .tooManySignatures(limit: Self.maximumSignatures) }
            parsed.append(try Self.parseSignatureLine(line))
        }
        text = String(decoding: bytes[...split], as: UTF8.self)
        signatures = parsed
    }

    /// Parses a signed note. Nothing is verified: call ``verify(with:)``.
    public init(parsing note: String) throws(LogError) {
        try self.init(parsing: Array(note.utf8))
    }

    /// The note as sent: text, blank line, signature lines.
    public var encoded: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// Verifies the note against trusted `verifiers` and returns those whose signature it carries.
    ///
    /// Signatures whose key name and key id do not both match a verifier are ignored (so witness
    /// cosignatures and rotated keys do no harm). Every signature that does match must verify, or the
    /// whole note is refused; and at least one must, or it is refused as unsigned.
    @discardableResult
    public func verify(with verifiers: [NoteVerifier]) throws(LogError) -> [NoteVerifier] {
        var signedBy: [NoteVerifier] = []
        for signature in signatures {
            let matching = verifiers.filter { $0.keyID == signature.keyID && NoteText.sameBytes($0.name, signature.keyName) }
            guard let verifier = matching.first else { continue }
            guard Set(matching).count == 1 else {
                throw .malformedVerifierKey("two different trusted keys share the name \(verifier.name) and key id \(KeyIDFormat.hex(verifier.keyID))")
            }
            guard verifier.isValid(signature.signature, for: text) else {
                throw .invalidSignature(keyName: signature.keyName, keyID: signature.keyID)
            }
            if !signedBy.contains(verifier) { signedBy.append(verifier) }
        }
        guard !signedBy.isEmpty else { throw .noKnownSignature }
        return signedBy
    }

    // MARK: - Internals

    /// Throws unless `text` can be a note's text.
    static func checkText(_ text: String) throws(LogError) {
        guard text.utf8.last == 0x0a else { throw .malformedNote("the text must end with a newline") }
        guard NoteText.hasOnlyAllowedControls(text.utf8) else {
            throw .malformedNote("the text contains a control character other than newline")
        }
    }

    /// The index of the first newline of the last "\n\n" in `bytes`.
    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0a && bytes[i + 1] == 0x0a { return i }
            i -= 1
        }
        return nil
    }

    private static func parseSignatureLine(_ line: ArraySlice<UInt8>) throws(LogError) -> NoteSignature {
        let prefix = Array(signaturePrefix.utf8)
        guard line.starts(with: prefix) else {
            throw .malformedNote("a signature line does not start with an em dash (U+2014) and a space")
        }
        let rest = line.dropFirst(prefix.count)
        guard let space = rest.firstIndex(of: 0x20) else { throw .malformedNote("a signature line has no space after the key name") }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        guard NoteText.isValidKeyName(name) else { throw .malformedNote("a signature line has an invalid key name '\(name)'") }
        let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
        guard let payload = Base64.decode(encoded), payload.count >= 5 else {
            throw .malformedNote("the signature by \(name) is not canonical base64 of a key id and a signature")
        }
        let keyID = payload.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        return NoteSignature(keyName: name, keyID: keyID, signature: Array(payload.dropFirst(4)))
    }
}
