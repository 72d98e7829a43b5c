#include <string.h>
#include "CSpanLogTraceIndex.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline uint64_t load_le64(const uint8_t *bytes) {
    uint64_t word;
    memcpy(&word, bytes, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    return word;
}

// SplitMix64's finaliser.
static inline uint64_t mix(uint64_t z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Eight hex digits to their values, one per byte: the low nibble, plus 9 for letters (bit 6).
static inline uint64_t nibbles(const uint8_t *digits) {
    uint64_t word = load_le64(digits);
    return (word & 0x0F0F0F0F0F0F0F0FULL) + ((word >> 6) & 0x0101010101010101ULL) * 9;
}

spanlog_trace_hash spanlog_trace_hash_digits(const uint8_t *digits) {
    // Two lossless 64-bit packings of the 32 nibbles, then mixed.
    uint64_t a = nibbles(digits) | (nibbles(digits + 8) << 4);
    uint64_t b = nibbles(digits + 16) | (nibbles(digits + 24) << 4);
    spanlog_trace_hash hash;
    hash.first = mix(a ^ ((b << 32) | (b >> 32)));
    hash.second = mix((b + 0x9E3779B97F4A7C15ULL) ^ a) | 1;
    return hash;
}

static const uint8_t key[] = "\"trace_id\"";  // 10 bytes
static const uint8_t timestamp_prefix[] = "{\"timestamp\":\"";  // 14 bytes

// The next "trace_id" key in [from, end): candidates are positions with a quote and another
// quote 9 bytes later (rare in JSON), checked in full.
static const uint8_t *find_key(const uint8_t *from, const uint8_t *end) {
    const uint8_t *position = from;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    while (end - position >= 16 + 9) {
        __m128i head = _mm_loadu_si128((const __m128i *)position);
        __m128i tail = _mm_loadu_si128((const __m128i *)(position + 9));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(head, quote), _mm_cmpeq_epi8(tail, quote)));
        while (mask != 0) {
            const uint8_t *candidate = position + __builtin_ctz(mask);
            if (memcmp(candidate + 1, key + 1, 8) == 0) return candidate;
            mask &= mask - 1;
        }
        position += 16;
    }
#endif
    for (; end - position >= 10; position++) {
        if (position[0] == '"' && position[9] == '"' && memcmp(position + 1, key + 1, 8) == 0) return position;
    }
    return NULL;
}

static inline int is_space(uint8_t byte) { return byte == ' ' || byte == '\t'; }

static inline uint64_t load_be64(const uint8_t *bytes) {
    return __builtin_bswap64(load_le64(bytes));
}

// Compares two 30-byte stamps as byte strings, a word at a time (big-endian words compare like
// their bytes).
static inline int compare_stamps(const uint8_t *left, const uint8_t *right) {
    static const int offsets[4] = {0, 8, 16, 22};
    for (int index = 0; index < 4; index++) {
        uint64_t a = load_be64(left + offsets[index]);
        uint64_t b = load_be64(right + offsets[index]);
        if (a != b) return a < b ? -1 : 1;
    }
    return 0;
}

// Whether the line opens with {"timestamp":" (14 bytes: two overlapping 8-byte loads).
static inline int has_timestamp_prefix(const uint8_t *line) {
    return load_le64(line) == load_le64(timestamp_prefix) && load_le64(line + 6) == load_le64(timestamp_prefix + 6);
}

static void note_time(const uint8_t *line, size_t count, spanlog_digest *digest) {
    if (count == 0) return;
    const uint8_t *stamp = line + 14;
    // The separators of YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ and the closing quote. A stamp with
    // other bytes where the digits go cannot be read by spanlog either, so no query can select
    // it by time; if it ends up as earliest or latest, the range is not readable and unknown.
    if (count < 14 + 30 + 1 || !has_timestamp_prefix(line) || stamp[30] != '"' || stamp[4] != '-'
        || stamp[7] != '-' || stamp[10] != 'T' || stamp[13] != ':' || stamp[16] != ':' || stamp[19] != '.'
        || stamp[29] != 'Z') {
        digest->time_unknown = 1;
        return;
    }
    if (!digest->has_time) {
        memcpy(digest->earliest, stamp, 30);
        memcpy(digest->latest, stamp, 30);
        digest->has_time = 1;
        return;
    }
    // Records arrive nearly in order: most are the new latest.
    if (compare_stamps(stamp, digest->latest) > 0) {
        memcpy(digest->latest, stamp, 30);
    } else if (compare_stamps(stamp, digest->earliest) < 0) {
        memcpy(digest->earliest, stamp, 30);
    }
}

size_t spanlog_digest_lines(const uint8_t *lines, size_t length, spanlog_digest *digest, spanlog_trace_hash *out) {
    const uint8_t *end = lines + length;
    const uint8_t *line = lines;
    while (line < end) {
        const uint8_t *newline = memchr(line, '\n', (size_t)(end - line));
        const uint8_t *line_end = newline != NULL ? newline : end;
        digest->records += 1;
        note_time(line, (size_t)(line_end - line), digest);
        line = line_end + 1;
    }
    size_t written = 0;
    const uint8_t *position = lines;
    while ((position = find_key(position, end)) != NULL) {
        const uint8_t *value = position + 10;
        position = value;
        while (value < end && is_space(*value)) value++;
        if (value >= end || *value != ':') continue;
        value++;
        while (value < end && is_space(*value)) value++;
        if (end - value < 34 || value[0] != '"' || value[33] != '"') continue;
        spanlog_trace_hash hash = spanlog_trace_hash_digits(value + 1);
        if (written > 0 && out[written - 1].first == hash.first && out[written - 1].second == hash.second) continue;
        out[written++] = hash;
    }
    return written;
}
