/// A bundled reference table could not be read.
///
/// This means the build is broken (a resource file is missing or was edited into an invalid form), not that
/// any input was bad. Messages name the resource and line number only.
public enum ResourceError: Error, Equatable, Sendable {
    /// The named resource file is not in the module bundle.
    case missing(resource: String)
    /// The named resource has a line that does not follow its documented format.
    case malformed(resource: String, line: Int, reason: String)
}

extension ResourceError: CustomStringConvertible {
    /// A message that says what is wrong and what to do.
    public var description: String {
        switch self {
        case let .missing(resource):
            return "bundled resource \(resource) is missing; rebuild the Normalisation module with its Resources folder"
        case let .malformed(resource, line, reason):
            return "bundled resource \(resource), line \(line): \(reason); fix the file (see Resources/README.md)"
        }
    }
}
