public import HubStore
public import TransparencyLog

/// Why the disclosure log or a release failed. Each case says what to do.
public enum DisclosureError: Error, Sendable, CustomStringConvertible {
    /// The store failed or refused; nothing was released.
    case store(StoreError)
    /// The log in the store does not match its own signed checkpoint.
    case logTampered(String)
    /// A log or proof operation failed.
    case log(LogError)
    /// Bytes that should be an entry are not one.
    case malformedEntry(String)
    /// The release policy refused.
    case refused([ReleaseRefusal])
    /// The release was logged but its payload could not be opened.
    case openFailed(release: String, why: String)
    /// No such logged release, or it is already completed or voided.
    case noPendingRelease(String)

    public var description: String {
        switch self {
        case .store(let e): e.description
        case .logTampered(let why):
            "the disclosure log in the database does not match its last signed checkpoint (\(why)): it was altered. Nothing will be appended or released; keep the database as it is and tell the data-protection officer"
        case .log(let e): e.description
        case .malformedEntry(let why): "a disclosure-log entry was refused: \(why)"
        case .refused(let reasons): "nothing was released: " + reasons.map(\.description).joined(separator: "; ")
        case .openFailed(let release, let why):
            "release \(release) is logged but its payload could not be opened (\(why)); complete it once the release key is available, or void it with a reason"
        case .noPendingRelease(let id): "release \(id) is not a logged release waiting to be completed or voided"
        }
    }
}
