/// A record's Bloom filters: one stored slot for each of ``names``, and a dictionary only for
/// filters under other names (a newer format's).
///
/// Four filters in a dictionary cost a hash table on top of their four arrays, several hundred bytes
/// a record that the hub pays a million times while linking; here they cost their arrays, and
/// reading one back is a copy of its reference, not a lookup.
public struct FilterSet: Sendable, Hashable {
    /// The filter names with a fixed place, in place order.
    public static let names = ["given", "surname", "address", "record"]
    private static let placeOfName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    private var given: BloomFilter?, surname: BloomFilter?, address: BloomFilter?, record: BloomFilter?
    private var unplaced: [String: BloomFilter] = [:]

    /// The place of `name` in ``names``, if it has one.
    public static func place(of name: String) -> Int? { placeOfName[name] }

    /// A set of `filters`.
    public init(_ filters: [String: BloomFilter]) {
        (given, surname, address, record) = (filters["given"], filters["surname"], filters["address"], filters["record"])
        for (name, f) in filters where Self.placeOfName[name] == nil { unplaced[name] = f }
    }

    /// The filters as a dictionary by name (what ``EncodedRecord/filters`` shows).
    public var dictionary: [String: BloomFilter] {
        var out = unplaced
        for (place, name) in Self.names.enumerated() { if let f = filter(atPlace: place) { out[name] = f } }
        return out
    }

    /// The filter at `place` (an index into ``names``), if present.
    @inline(__always)
    public func filter(atPlace place: Int) -> BloomFilter? {
        switch place {
        case 0: given
        case 1: surname
        case 2: address
        case 3: record
        default: nil
        }
    }

    /// The filter named `name`, if present.
    public func filter(named name: String) -> BloomFilter? {
        guard let place = Self.placeOfName[name] else { return unplaced[name] }
        return filter(atPlace: place)
    }
}
