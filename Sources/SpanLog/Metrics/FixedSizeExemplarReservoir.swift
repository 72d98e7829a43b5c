/// OpenTelemetry's `SimpleFixedSizeExemplarReservoir`: keeps at most `size` exemplars, chosen
/// uniformly among the values offered since the last collection (reservoir sampling). Used for
/// counters; the spec's default size is 1. Its storage is allocated once; offering allocates
/// nothing.
///
/// ```swift
/// var reservoir = FixedSizeExemplarReservoir(size: 1)
/// reservoir.offer(MetricExemplar(value: .integer(1), time: now, traceID: ids.traceID, spanID: ids.spanID))
/// let exemplars = reservoir.take()   // and the sampling starts over
/// ```
struct FixedSizeExemplarReservoir: Sendable {
    private var slots: [MetricExemplar?]
    private var seen: UInt64 = 0

    /// A reservoir of `size` slots (at least one).
    init(size: Int = 1) {
        self.slots = Array(repeating: nil, count: max(1, size))
    }

    /// Offers one exemplar: the first `size` fill the slots, then the n-th replaces a random
    /// slot with probability size/n.
    mutating func offer(_ exemplar: MetricExemplar) {
        let size = UInt64(self.slots.count)
        let slot = self.seen < size ? self.seen : IDGenerator.next() % (self.seen + 1)
        self.seen += 1
        if slot < size { self.slots[Int(slot)] = exemplar }
    }

    /// The exemplars kept since the last call, emptying the reservoir.
    mutating func take() -> [MetricExemplar] {
        guard self.seen > 0 else { return [] }
        let kept = self.slots.compactMap { $0 }
        for index in self.slots.indices { self.slots[index] = nil }
        self.seen = 0
        return kept
    }
}
