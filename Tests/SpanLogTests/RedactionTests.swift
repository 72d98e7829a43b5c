import Logging
import SpanLog
import Testing

@Suite("RedactionFilter")
struct RedactionTests {
    @Test("default keys are redacted case-insensitively, at any depth, and nothing else is")
    func defaultKeys() throws {
        let (logger, sink) = makeLogger()
        logger.info(
            "login",
            metadata: [
                "Authorization": "Bearer abc",
                "PASSWORD": "hunter2",
                "user": "42",
                "authorization_hint": "keep",
                "request": .dictionary([
                    "headers": .dictionary(["Cookie": "s=1", "accept": "json"]),
                    "items": .array([.dictionary(["api_key": "k", "id": "7"]), "plain"]),
                ]),
            ]
        )
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["Authorization"] as? String == "[REDACTED]")
        #expect(object["PASSWORD"] as? String == "[REDACTED]")
        #expect(object["user"] as? String == "42")
        #expect(object["authorization_hint"] as? String == "keep")
        let request = try #require(object["request"] as? [String: Any])
        let headers = try #require(request["headers"] as? [String: Any])
        #expect(headers["Cookie"] as? String == "[REDACTED]")
        #expect(headers["accept"] as? String == "json")
        let items = try #require(request["items"] as? [Any])
        let first = try #require(items[0] as? [String: Any])
        #expect(first["api_key"] as? String == "[REDACTED]")
        #expect(first["id"] as? String == "7")
        #expect(items[1] as? String == "plain")
        #expect(!sink.lines[0].contains("hunter2") && !sink.lines[0].contains("Bearer abc"))
    }

    @Test("the key list is configurable")
    func configurable() throws {
        let (logger, sink) = makeLogger(filters: [RedactionFilter(keys: ["SSN"])])
        logger.info("x", metadata: ["ssn": "123-45", "password": "visible-now"])
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["ssn"] as? String == "[REDACTED]")
        #expect(object["password"] as? String == "visible-now")
        #expect(RedactionFilter(keys: ["SSN"]).isSensitive("sSn"))
        #expect(!RedactionFilter(keys: ["SSN"]).isSensitive("ssn2"))
    }
}
