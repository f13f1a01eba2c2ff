// The only door to cairo and pango (the PDF bulletin), opened with dlopen when first asked for: a
// process that draws no PDF (a parse worker, `check`, `sample`) never maps the 17 libraries they
// bring, and one that does maps them on the thread that first asks (3.8 ms of every start otherwise).
// The declarations are cairo's and pango's own (cairo 1.16, pango 1.50), written out here so that
// building needs no headers of theirs and linking none of their libraries.
#ifndef BULLETIN_CPANGOCAIRO_H
#define BULLETIN_CPANGOCAIRO_H

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _PangoFontMap PangoFontMap;
typedef struct _PangoContext PangoContext;
typedef struct _PangoLayout PangoLayout;
typedef struct _PangoFontDescription PangoFontDescription;
typedef struct _PangoLanguage PangoLanguage;
typedef struct _PangoFontset PangoFontset;
typedef struct _PangoFont PangoFont;

/// cairo_status_t, cairo_pdf_metadata_t, PangoAlignment and PangoWrapMode are C enums (int).
typedef int cairo_status_t;
typedef int cairo_pdf_metadata_t;
typedef int PangoAlignment;
typedef int PangoWrapMode;

static const cairo_status_t CAIRO_STATUS_SUCCESS = 0;
static const cairo_pdf_metadata_t CAIRO_PDF_METADATA_TITLE = 0;
static const cairo_pdf_metadata_t CAIRO_PDF_METADATA_CREATOR = 4;
static const cairo_pdf_metadata_t CAIRO_PDF_METADATA_CREATE_DATE = 5;
static const cairo_pdf_metadata_t CAIRO_PDF_METADATA_MOD_DATE = 6;
static const PangoAlignment PANGO_ALIGN_LEFT = 0;
static const PangoAlignment PANGO_ALIGN_CENTER = 1;
static const PangoAlignment PANGO_ALIGN_RIGHT = 2;
static const PangoWrapMode PANGO_WRAP_WORD_CHAR = 2;
static const int PANGO_SCALE = 1024;

typedef cairo_status_t (*cairo_write_func_t)(void *_Nullable closure, const unsigned char *_Nullable data, unsigned int length);

/// The functions of cairo, pango and GObject the PDF draws with, by their own names. What they return is
/// `_Nonnull` where they document it never NULL (cairo returns an object in an error state instead).
typedef struct {
    cairo_surface_t *_Nonnull (*_Nonnull cairo_pdf_surface_create_for_stream)(cairo_write_func_t _Nullable write_func, void *_Nullable closure,
                                                                               double width_in_points, double height_in_points);
    void (*_Nonnull cairo_pdf_surface_set_metadata)(cairo_surface_t *_Nullable surface, cairo_pdf_metadata_t metadata, const char *_Nullable utf8);
    cairo_t *_Nonnull (*_Nonnull cairo_create)(cairo_surface_t *_Nullable target);
    void (*_Nonnull cairo_destroy)(cairo_t *_Nullable cr);
    void (*_Nonnull cairo_surface_destroy)(cairo_surface_t *_Nullable surface);
    void (*_Nonnull cairo_surface_finish)(cairo_surface_t *_Nullable surface);
    cairo_status_t (*_Nonnull cairo_status)(cairo_t *_Nullable cr);
    cairo_status_t (*_Nonnull cairo_surface_status)(cairo_surface_t *_Nullable surface);
    const char *_Nonnull (*_Nonnull cairo_status_to_string)(cairo_status_t status);
    void (*_Nonnull cairo_set_source_rgb)(cairo_t *_Nullable cr, double red, double green, double blue);
    void (*_Nonnull cairo_set_line_width)(cairo_t *_Nullable cr, double width);
    void (*_Nonnull cairo_move_to)(cairo_t *_Nullable cr, double x, double y);
    void (*_Nonnull cairo_line_to)(cairo_t *_Nullable cr, double x, double y);
    void (*_Nonnull cairo_rectangle)(cairo_t *_Nullable cr, double x, double y, double width, double height);
    void (*_Nonnull cairo_stroke)(cairo_t *_Nullable cr);
    void (*_Nonnull cairo_fill)(cairo_t *_Nullable cr);
    void (*_Nonnull cairo_show_page)(cairo_t *_Nullable cr);

    PangoFontMap *_Nonnull (*_Nonnull pango_cairo_font_map_new)(void);
    PangoContext *_Nonnull (*_Nonnull pango_font_map_create_context)(PangoFontMap *_Nullable fontmap);
    void (*_Nonnull pango_cairo_update_context)(cairo_t *_Nullable cr, PangoContext *_Nullable context);
    void (*_Nonnull pango_cairo_context_set_resolution)(PangoContext *_Nullable context, double dpi);
    void (*_Nonnull pango_context_set_round_glyph_positions)(PangoContext *_Nullable context, int round_positions);
    void (*_Nonnull pango_cairo_show_layout)(cairo_t *_Nullable cr, PangoLayout *_Nullable layout);
    PangoLayout *_Nonnull (*_Nonnull pango_layout_new)(PangoContext *_Nullable context);
    PangoContext *_Nonnull (*_Nonnull pango_layout_get_context)(PangoLayout *_Nullable layout);
    void (*_Nonnull pango_layout_set_wrap)(PangoLayout *_Nullable layout, PangoWrapMode wrap);
    void (*_Nonnull pango_layout_set_font_description)(PangoLayout *_Nullable layout, const PangoFontDescription *_Nullable desc);
    void (*_Nonnull pango_layout_set_width)(PangoLayout *_Nullable layout, int width);
    void (*_Nonnull pango_layout_set_alignment)(PangoLayout *_Nullable layout, PangoAlignment alignment);
    void (*_Nonnull pango_layout_set_text)(PangoLayout *_Nullable layout, const char *_Nullable text, int length);
    void (*_Nonnull pango_layout_get_size)(PangoLayout *_Nullable layout, int *_Nullable width, int *_Nullable height);
    PangoFontDescription *_Nonnull (*_Nonnull pango_font_description_from_string)(const char *_Nullable str);
    void (*_Nonnull pango_font_description_free)(PangoFontDescription *_Nullable desc);
    PangoLanguage *_Nullable (*_Nonnull pango_language_from_string)(const char *_Nullable language);
    PangoFontset *_Nullable (*_Nonnull pango_font_map_load_fontset)(PangoFontMap *_Nullable fontmap, PangoContext *_Nullable context,
                                                                    const PangoFontDescription *_Nullable desc, PangoLanguage *_Nullable language);
    PangoFont *_Nullable (*_Nonnull pango_fontset_get_font)(PangoFontset *_Nullable fontset, unsigned int wc);
    int (*_Nonnull pango_font_has_char)(PangoFont *_Nullable font, unsigned int wc);
    void (*_Nonnull g_object_unref)(void *_Nullable object);
} BulletinPangoCairo;

/// The functions, once the libraries are opened (the first call opens them, once, whatever the thread);
/// NULL when a library or one of the functions cannot be found.
const BulletinPangoCairo *_Nullable bulletin_pango_cairo(void);

/// Why `bulletin_pango_cairo` answered NULL (dlerror's message), or NULL.
const char *_Nullable bulletin_pango_cairo_error(void);

#endif
