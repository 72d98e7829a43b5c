#define _GNU_SOURCE
#include <string.h>
#include "CSpanLogFormat.h"

const void *spanlog_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}

const void *spanlog_memrchr(const void *buffer, int byte, size_t length) {
    return memrchr(buffer, byte, length);
}
