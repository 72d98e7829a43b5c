import Tracing

extension SpanPipeline {
    /// Applies the span limits (counting what they drop) and the redaction rules to a finished
    /// span's record, before anything sees it: the log files and the exporters get the same.
    func applyLimitsAndRedaction(to record: inout SpanRecord) {
        var dropped = self.limits.apply(to: &record.attributes)
        self.redaction?.redact(&record.attributes)
        if !record.events.isEmpty {
            for index in record.events.indices where !record.events[index].attributes.isEmpty {
                dropped += self.limits.apply(to: &record.events[index].attributes)
                self.redaction?.redact(&record.events[index].attributes)
            }
        }
        if !record.links.isEmpty {
            for index in record.links.indices where !record.links[index].attributes.isEmpty {
                dropped += self.limits.apply(to: &record.links[index].attributes)
                self.redaction?.redact(&record.links[index].attributes)
            }
        }
        if let redaction = self.redaction, redaction.redactsErrorMessage, let status = record.status, status.message != nil {
            record.status = SpanStatus(code: status.code, message: RedactedError.replacementText)
        }
        record.droppedAttributeCount = dropped
    }
}

extension RedactionFilter {
    /// Replaces the values of sensitive keys with `"[REDACTED]"`; `exception.message` too when
    /// the rules name `error.message`.
    func redact(_ attributes: inout SpanAttributes) {
        var sensitive: [String]?
        attributes.forEach { key, _ in
            if self.isSensitive(key) || (self.redactsErrorMessage && key == "exception.message") {
                sensitive = (sensitive ?? []) + [key]
            }
        }
        guard let sensitive else { return }
        for key in sensitive { attributes[key] = RedactedError.replacementText }
    }
}
