#ifndef SPANLOG_CLIBFUZZER_H
#define SPANLOG_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver for a program that has its own main (LLVM's LibFuzzer.html, "Using
/// libFuzzer as a library"): parses the libFuzzer flags in argv and fuzzes `callback`.
/// Linked only in the `-sanitize=fuzzer` build.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
