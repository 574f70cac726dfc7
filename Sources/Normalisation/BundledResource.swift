import Foundation

/// Reads this module's own bundled text files (the only I/O the module does).
enum BundledResource {
    /// The UTF-8 text of `Resources/<name>`.
    static func text(named name: String) throws(ResourceError) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources")
            ?? Bundle.module.url(forResource: name, withExtension: nil) else {
            throw .missing(resource: name)
        }
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            throw .missing(resource: name)
        }
        return text
    }

    /// Loads a standard table, stopping the process with a clear message if the bundle is broken.
    ///
    /// Used only for the `standard` tables: a missing or corrupt bundled file is a build defect that no caller can
    /// recover from, and silently matching with an empty table would be worse than stopping.
    static func loadOrStop<T>(_ name: String, _ parse: (String) throws(ResourceError) -> T) -> T {
        do {
            return try parse(text(named: name))
        } catch {
            fatalError(error.description)
        }
    }

    /// The non-empty, non-comment lines of `text`, with their 1-based line numbers.
    static func dataLines(_ text: String) -> [(number: Int, content: String)] {
        var result: [(Int, String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            result.append((index + 1, line))
        }
        return result
    }
}
