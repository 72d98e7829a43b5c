import SpanLogReader
import Testing

@Suite("JSON parser and writer")
struct JSONTests {
    @Test("parses every JSON type; numbers keep their text")
    func parse() throws {
        let value = try JSONParser.parse(#" {"s":"a\"b\\c\u00e9\ud83d\ude00\n","n":-12.5e3,"big":12345678901234567890,"t":true,"f":false,"z":null,"a":[1,[],{}],"o":{"k":"v"}} "#)
        #expect(value["s"]?.string == "a\"b\\cé😀\n")
        #expect(value["n"] == .number("-12.5e3"))
        #expect(value["n"]?.double == -12500)
        #expect(value["big"] == .number("12345678901234567890"))
        #expect(value["t"] == .bool(true))
        #expect(value["z"] == .null)
        #expect(value["a"]?.array?.count == 3)
        #expect(value["o"]?["k"]?.string == "v")
    }

    @Test("rejects what is not JSON", arguments: [
        "", "{", "{\"a\"}", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "\"\u{01}\"", "\"\\x\"", "tru", "{} x", "[\"unterminated]",
    ])
    func reject(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test("the writer round-trips and escapes what HTML and line readers must not see raw")
    func write() throws {
        let original = try JSONParser.parse(#"{"a":"</script><b>&\u2028","n":1.50,"l":[true,null]}"#)
        let text = JSONWriter.string(original)
        #expect(!text.contains("<"))
        #expect(!text.contains(">"))
        #expect(!text.contains("&"))
        #expect(!text.contains("\u{2028}"))
        #expect(try JSONParser.parse(text) == original)
    }

    @Test("RFC 3339 round trip, offsets and bad input")
    func time() {
        let time = RecordTime(rfc3339: "2026-11-25T15:04:05.123456789Z")
        #expect(time?.rfc3339 == "2026-11-25T15:04:05.123456789Z")
        #expect(RecordTime(rfc3339: "1970-01-01T00:00:00Z")?.nanosecondsSinceEpoch == 0)
        #expect(RecordTime(rfc3339: "2000-02-29T23:59:59.5-01:00")?.rfc3339 == "2000-03-01T00:59:59.500000000Z")
        #expect(RecordTime(rfc3339: "2026-13-01T00:00:00Z") == nil)
        #expect(RecordTime(rfc3339: "2026-11-25T15:04:05") == nil)
        #expect(DurationText.format(nanoseconds: 125_000_000) == "125ms")
        #expect(DurationText.format(nanoseconds: 4_560_000) == "4.56ms")
        #expect(DurationText.format(nanoseconds: 850) == "850ns")
        #expect(DurationText.format(nanoseconds: 185_000_000_000) == "3m05s")
    }
}
