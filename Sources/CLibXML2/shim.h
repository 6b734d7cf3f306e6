// libxml2's encoding.h includes the system ICU's headers when libxml2 was built with ICU
// (Debian's is); a Swift module that also sees Foundation's own ICU copy then fails with
// "'UErrorCode' has different definitions in different modules". Winnow uses no libxml2 API
// that touches ICU (only a field of xmlCharEncodingHandler, which it never reads, depends on
// it), so the headers are read as if libxml2 had been built without ICU.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
