#ifndef SPANLOG_TRACE_INDEX_H
#define SPANLOG_TRACE_INDEX_H

#include <stddef.h>
#include <stdint.h>

// The per-record work of SpanLog's trace index (docs/format.md, "Trace index files"), in C so
// that the file sink can afford it for every record: a vectorised search for "trace_id" keys,
// a branch-free hash of the ids, and the earliest/latest fixed-width timestamp of the lines.

/// The two 64-bit hashes of a trace id (Bloom filter probe i is first + i * second).
typedef struct {
    uint64_t first;
    uint64_t second;
} spanlog_trace_hash;

/// The hash of the 32 hex digits at digits[0..<32] (either case). Other bytes hash to
/// something too, which can only add a false positive.
spanlog_trace_hash spanlog_trace_hash_digits(const uint8_t *digits);

/// What one call of spanlog_digest_lines found.
typedef struct {
    /// Lines seen (the last one may lack its newline).
    uint64_t records;
    /// 1 when some line does not open with {"timestamp":"YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ".
    int time_unknown;
    /// 1 when earliest/latest hold a timestamp.
    int has_time;
    /// The lexicographically (= chronologically) smallest and largest timestamps.
    uint8_t earliest[30];
    uint8_t latest[30];
} spanlog_digest;

/// Scans whole lines: counts them, tracks their timestamps, and writes the hash of every
/// `"trace_id": "<32 chars>"` into out (at most length / 10 + 1 entries; immediate repeats of
/// the same id are written once). Returns how many hashes were written.
size_t spanlog_digest_lines(const uint8_t *lines, size_t length, spanlog_digest *digest, spanlog_trace_hash *out);

#endif
