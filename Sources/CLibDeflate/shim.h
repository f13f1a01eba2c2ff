// The only door to libdeflate: whole-buffer DEFLATE decompression of an .xlsx's members.
#include <libdeflate.h>
