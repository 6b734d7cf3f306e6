// PCRE2 needs its code unit width chosen before the header; Winnow works on UTF-8 bytes.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
