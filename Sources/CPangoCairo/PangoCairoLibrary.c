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
        && FIND(pango_cairo_update_context) && FIND(pango_cairo_context_set_resolution) && FIND(pango_cairo_show_layout)
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
