// The only door to libxml2. Debian's libxml2 is built with ICU, whose headers clash
// with Foundation's own ICU; xmlversion.h first, then switch ICU off before the rest.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/dict.h>
#include <libxml/uri.h>
