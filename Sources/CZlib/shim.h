#ifndef SPANLOG_CZLIB_SHIM_H
#define SPANLOG_CZLIB_SHIM_H

#include <zlib.h>

// deflateInit2 is a macro in zlib.h; Swift cannot call macros, so wrap it.
static inline int spanlog_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

static inline int spanlog_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

#endif
