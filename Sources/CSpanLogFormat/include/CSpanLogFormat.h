#ifndef SPANLOG_FORMAT_H
#define SPANLOG_FORMAT_H

#include <stddef.h>
#include "CSpanLogTraceIndex.h"

// glibc's memmem and memrchr are GNU extensions that Swift's Glibc module does not export;
// these wrappers make the SIMD implementations reachable from SpanLogReader's scanner.

/// First occurrence of needle in haystack, or NULL.
const void *spanlog_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// Last occurrence of byte in the first length bytes of buffer, or NULL.
const void *spanlog_memrchr(const void *buffer, int byte, size_t length);

#endif
