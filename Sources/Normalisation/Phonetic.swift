/// Phonetic codes for names, so that spellings that sound alike ("Smith", "Smyth", "Schmidt") can be compared.
///
/// Input is folded first (``TextFolding``): case, accents, apostrophes, spaces and punctuation do not matter,
/// and only the letters A–Z are coded (names in other scripts give empty codes).
public enum Phonetic {
    /// Lawrence Philips' Double Metaphone: a primary and an alternate code.
    ///
    /// - Parameter maxLength: truncate both codes to this many characters (Philips' original used 4); `nil` keeps them whole.
    public static func doubleMetaphone(_ name: String, maxLength: Int? = nil) -> DoubleMetaphoneCode {
        DoubleMetaphone.encode(name, maxLength: maxLength)
    }

    /// NYSIIS (New York State Identification and Intelligence System) code, untruncated.
    public static func nysiis(_ name: String) -> String {
        NYSIIS.encode(name)
    }
}
