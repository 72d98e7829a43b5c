/// A parsed JSON value, as the reader sees a record's fields.
///
/// Numbers keep their text exactly as written, so an integer like a `duration_ns` or a
/// 20-digit id is never rounded; ``JSONValue/int64`` and ``JSONValue/double`` convert on demand.
///
/// ```swift
/// let value = try JSONParser.parse(#"{"level":"info","n":3}"#)
/// value["level"]?.string   // "info"
/// value["n"]?.int64        // 3
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number's text as it appeared in the input.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, if this is a string.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object, if this is an object.
    public var object: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The number as an integer, if this is a number that fits.
    public var int64: Int64? {
        if case .number(let text) = self { return Int64(text) ?? Double(text).flatMap { Int64(exactly: $0) } }
        return nil
    }

    /// The number as a double, if this is a number.
    public var double: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The member named `key`, if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        self.object?[key]
    }

    /// The value as a user would type it on a command line: strings unquoted, numbers and
    /// booleans as written, `null`, and compact JSON for arrays and objects.
    public var plainText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let value): return value
        case .array, .object: return JSONWriter.string(self)
        }
    }
}

/// A JSON object: its members in the order they appeared (duplicates kept; lookups find the
/// first).
///
/// ```swift
/// let object = try JSONParser.parse(#"{"a":1,"b":"x"}"#).object!
/// object.keys        // ["a", "b"]
/// object["b"]        // .string("x")
/// ```
public struct JSONObject: Sendable, Hashable {
    /// One member of an object.
    ///
    /// ```swift
    /// let member = JSONObject.Member(key: "user", value: .string("42"))
    /// ```
    public struct Member: Sendable, Hashable {
        /// The member's name.
        public var key: String
        /// The member's value.
        public var value: JSONValue

        /// Creates a member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members in input order.
    public var members: [Member]

    /// Creates an object from its members.
    public init(_ members: [Member] = []) {
        self.members = members
    }

    /// The names of the members, in input order.
    public var keys: [String] { self.members.map(\.key) }

    /// The value of the first member named `key`.
    public subscript(key: String) -> JSONValue? {
        for member in self.members where member.key == key {
            return member.value
        }
        return nil
    }
}
