public import Disclosure
public import HubLinking
public import HubStore

/// Why the workflow refused or failed. Each case says what to do; none carries an identifier.
public enum WorkflowError: Error, Sendable, CustomStringConvertible {
    /// Login failed (wrong name or password, disabled, or locked); deliberately not saying which.
    case loginFailed
    /// Too many failed logins: the account is locked until this time.
    case locked(until: String)
    /// No valid session (missing, unknown, expired or revoked).
    case notAuthenticated
    /// The person's role may not do this.
    case forbidden(Role, Capability)
    /// The referral is not assigned to this practitioner.
    case notAssigned
    /// A form's CSRF token is missing or wrong.
    case badCSRF
    /// An agency request's signature, timestamp or nonce failed.
    case agencyRequestRefused(String)
    /// A password too short to accept.
    case weakPassword(minimum: Int)
    /// Unknown referral, user or record.
    case notFound(String)
    /// The referral is not in a state that allows this step.
    case invalidTransition(from: ReferralState, action: String, allowed: [ReferralState])
    /// The four-eyes rule: the confirmer proposed the threshold.
    case fourEyes
    /// The threshold does not fit the subject's age band and no reason was recorded.
    case ageBandMismatch(Threshold, String)
    /// A request was malformed.
    case badRequest(String)
    /// The release policy refused.
    case releaseRefused([String])
    case store(StoreError)
    case disclosure(DisclosureError)
    case linking(HubLinkingError)
    case crypto(String)

    public var description: String {
        switch self {
        case .loginFailed: "the user name or password is wrong, or the account is disabled"
        case .locked(let until): "too many failed logins: the account is locked until \(until); ask a colleague with the operator role if it should not be"
        case .notAuthenticated: "not logged in, or the session expired or was revoked: log in again"
        case .forbidden(let role, let c): "the \(role.rawValue) role may not \(c.rawValue)"
        case .notAssigned: "this referral is not assigned to you; a manager assigns referrals"
        case .badCSRF: "the form's security token is missing or out of date: reload the page and try again"
        case .agencyRequestRefused(let why): "the agency request was refused: \(why)"
        case .weakPassword(let n): "the password is too short: use at least \(n) characters (a passphrase of several words is easiest)"
        case .notFound(let what): "\(what) was not found"
        case .invalidTransition(let from, let action, let allowed):
            "a referral that is \(from.rawValue) cannot be \(action); it must be \(allowed.map(\.rawValue).joined(separator: " or "))"
        case .fourEyes: "you proposed this threshold, so another manager must confirm or reject it (four-eyes)"
        case .ageBandMismatch(let t, let band):
            "\(t.policy.title) does not fit a subject whose age band is \(band): record a reason to confirm it anyway"
        case .badRequest(let why): "the request is not valid: \(why)"
        case .releaseRefused(let reasons): "nothing was released: \(reasons.joined(separator: "; "))"
        case .store(let e): e.description
        case .disclosure(let e): e.description
        case .linking(let e): e.description
        case .crypto(let why): "a cryptographic operation failed: \(why)"
        }
    }
}
