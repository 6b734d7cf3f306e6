// libFuzzer's driver, for a program that has its own main(): compiler-rt's
// libclang_rt.fuzzer, which `swiftc -sanitize=fuzzer` links, defines it. Nothing links it
// in an ordinary build, where nothing calls it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
