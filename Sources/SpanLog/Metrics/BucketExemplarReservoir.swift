/// OpenTelemetry's `AlignedHistogramBucketExemplarReservoir`: at most one exemplar per histogram
/// bucket, chosen uniformly among the values that fell into that bucket since the last
/// collection. Its storage (one slot and one count per bucket) is allocated with the series;
/// offering allocates nothing.
///
/// ```swift
/// var reservoir = BucketExemplarReservoir(bucketCount: bounds.count + 1)
/// reservoir.offer(exemplar, bucket: 3)
/// let exemplars = reservoir.take()   // in bucket order
/// ```
struct BucketExemplarReservoir: Sendable {
    private var slots: [MetricExemplar?]
    private var seen: [UInt32]
    private var offered = false

    /// A reservoir for `bucketCount` buckets.
    init(bucketCount: Int) {
        self.slots = Array(repeating: nil, count: bucketCount)
        self.seen = Array(repeating: 0, count: bucketCount)
    }

    /// Offers an exemplar for the value that fell into `bucket`: kept with probability 1/n, n
    /// being how many values that bucket has offered since the last collection.
    mutating func offer(_ exemplar: MetricExemplar, bucket: Int) {
        let count = self.seen[bucket] &+ 1
        self.seen[bucket] = count
        self.offered = true
        if count == 1 || IDGenerator.next() % UInt64(count) == 0 {
            self.slots[bucket] = exemplar
        }
    }

    /// The exemplars kept since the last call, in bucket order, emptying the reservoir.
    mutating func take() -> [MetricExemplar] {
        guard self.offered else { return [] }
        let kept = self.slots.compactMap { $0 }
        for index in self.slots.indices {
            self.slots[index] = nil
            self.seen[index] = 0
        }
        self.offered = false
        return kept
    }
}
