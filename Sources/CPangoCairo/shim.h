// The only door to cairo and pango (the PDF bulletin).
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <pango/pangocairo.h>
