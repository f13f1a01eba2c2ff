#include "CPangoCairo.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

static BulletinPangoCairo functions;
static const BulletinPangoCairo *opened;
static const char *failure;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/// Looks `name` up in `library` (and the libraries it needs) into `*slot`; 0 when missing.
static int find(void *library, const char *name, void *slot) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL) {
        failure = strdup(dlerror());
        return 0;
    }
    *(void **)slot = symbol;
    return 1;
}

#define FIND(name) find(library, #name, &functions.name)

static void open_libraries(void) {
    // libpangocairo needs pango, cairo, GObject and GLib: dlsym on it finds all of them.
    void *library = dlopen("libpangocairo-1.0.so.0", RTLD_LAZY | RTLD_LOCAL);
    if (library == NULL) {
        failure = strdup(dlerror());
        return;
    }
    int found = FIND(cairo_pdf_surface_create_for_stream) && FIND(cairo_pdf_surface_set_metadata) && FIND(cairo_create)
        && FIND(cairo_destroy) && FIND(cairo_surface_destroy) && FIND(cairo_surface_finish) && FIND(cairo_status)
        && FIND(cairo_surface_status) && FIND(cairo_status_to_string) && FIND(cairo_set_source_rgb) && FIND(cairo_set_line_width)
        && FIND(cairo_move_to) && FIND(cairo_line_to) && FIND(cairo_rectangle) && FIND(cairo_stroke) && FIND(cairo_fill)
        && FIND(cairo_show_page) && FIND(pango_cairo_font_map_new) && FIND(pango_font_map_create_context)
        && FIND(pango_cairo_update_context) && FIND(pango_cairo_context_set_resolution) && FIND(pango_context_set_round_glyph_positions)
        && FIND(pango_cairo_show_layout)
        && FIND(pango_layout_new) && FIND(pango_layout_get_context) && FIND(pango_layout_set_wrap)
        && FIND(pango_layout_set_font_description) && FIND(pango_layout_set_width) && FIND(pango_layout_set_alignment)
        && FIND(pango_layout_set_text) && FIND(pango_layout_get_size) && FIND(pango_font_description_from_string)
        && FIND(pango_font_description_free) && FIND(pango_language_from_string) && FIND(pango_font_map_load_fontset)
        && FIND(pango_fontset_get_font) && FIND(pango_font_has_char) && FIND(g_object_unref);
    if (found) opened = &functions;   // the library stays open for the process's life
}

const BulletinPangoCairo *bulletin_pango_cairo(void) {
    pthread_once(&once, open_libraries);
    return opened;
}

const char *bulletin_pango_cairo_error(void) {
    pthread_once(&once, open_libraries);
    return failure;
}

// zlib's deflateInit_, as zlib.h declares it (the header is not needed for one call).
struct z_stream_s;
extern int deflateInit2_(struct z_stream_s *strm, int level, int method, int windowBits, int memLevel, int strategy,
                         const char *version, int stream_size);

/// cairo compresses every stream of a PDF (page contents, font subsets) through zlib's `deflateInit_`
/// at zlib's default level 6, and its API has no setting for it; the process defines `deflateInit_`
/// itself (the executable exports it, so the libraries opened above find it before zlib's own) and
/// asks for level 1. Nothing else here calls `deflateInit_`: ZIPFoundation uses `deflateInit2_`.
int deflateInit_(struct z_stream_s *strm, int level, const char *version, int stream_size) {
    (void)level;
    return deflateInit2_(strm, 1, 8 /* Z_DEFLATED */, 15 /* MAX_WBITS */, 8 /* default memLevel */,
                         0 /* Z_DEFAULT_STRATEGY */, version, stream_size);
}
