// Header only: libclang_rt.fuzzer defines LLVMFuzzerRunDriver.
#include "CLibFuzzer.h"
