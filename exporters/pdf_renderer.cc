#include "exporters/pdf_renderer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cstdio>
#include <memory>

namespace sunshine {

namespace {

constexpr double kPageWidth = 612;  // US Letter, points
constexpr double kPageHeight = 792;
constexpr double kMargin = 54;
constexpr double kFooterHeight = 28;

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Valid UTF-8 without control characters other than newline and tab: pango's markup parser
// rejects both.
std::string Clean(std::string_view text) {
  gchar* valid = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string out;
  for (const char* p = valid; *p != '\0'; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      out += ' ';
    } else if (c == '\r') {
      continue;
    } else {
      out += *p;
    }
  }
  g_free(valid);
  return out;
}

std::string Escape(std::string_view text) {
  gchar* escaped = g_markup_escape_text(text.data(), static_cast<gssize>(text.size()));
  std::string out(escaped);
  g_free(escaped);
  return out;
}

// Escaped text with every marker replaced by a white-on-black span carrying its label.
std::string Markup(const std::string& text, const std::vector<std::string>& markers) {
  std::string escaped = Escape(Clean(text));
  for (const std::string& marker : markers) {
    std::string needle = Escape(Clean(marker));
    if (needle.empty()) {
      continue;
    }
    std::string box =
        "<span background=\"#000000\" foreground=\"#ffffff\">\xC2\xA0" + needle + "\xC2\xA0</span>";
    std::size_t at = 0;
    while ((at = escaped.find(needle, at)) != std::string::npos) {
      escaped.replace(at, needle.size(), box);
      at += box.size();
    }
  }
  return escaped;
}

struct LinePlacement {
  PangoLayoutLine* line;
  double top;  // logical top within the whole layout, points
  double height;
  double baseline;  // within the whole layout
};

}  // namespace

std::string ProductionNumber(std::string_view prefix, std::int64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(number));
  return std::string(prefix) + "-" + digits;
}

Result<RenderedPdf> RenderPdf(const PdfDocumentSpec& spec) {
  RenderedPdf result;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(AppendToString, &result.bytes, kPageWidth, kPageHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return Status::Internal("cairo cannot create a PDF surface");
  }
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, spec.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Sunshine");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, spec.created.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, spec.created.c_str());
  cairo_t* cr = cairo_create(surface);

  std::string markup;
  for (const PdfSection& section : spec.sections) {
    if (!markup.empty()) {
      markup += "\n\n";
    }
    if (!section.heading.empty()) {
      markup += "<b>" + Markup(section.heading, spec.redaction_markers) + "</b>\n";
    }
    std::string body = Markup(section.text, spec.redaction_markers);
    markup += section.monospace
                  ? "<span font_family=\"DejaVu Sans Mono\" size=\"small\">" + body + "</span>"
                  : body;
  }
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_from_string("DejaVu Sans 10");
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
  pango_layout_set_width(layout, static_cast<int>((kPageWidth - 2 * kMargin) * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  GError* error = nullptr;
  PangoAttrList* attrs = nullptr;
  char* plain = nullptr;
  if (!pango_parse_markup(markup.c_str(), -1, 0, &attrs, &plain, nullptr, &error)) {
    std::string message = error != nullptr ? error->message : "unknown";
    g_clear_error(&error);
    g_object_unref(layout);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return Status::Internal("pango markup: " + message);
  }
  pango_layout_set_text(layout, plain, -1);
  pango_layout_set_attributes(layout, attrs);
  pango_attr_list_unref(attrs);
  g_free(plain);

  // Place lines on pages.
  std::vector<LinePlacement> lines;
  PangoLayoutIter* iter = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(iter, nullptr, &logical);
    lines.push_back({pango_layout_iter_get_line_readonly(iter),
                     static_cast<double>(logical.y) / PANGO_SCALE,
                     static_cast<double>(logical.height) / PANGO_SCALE,
                     static_cast<double>(pango_layout_iter_get_baseline(iter)) / PANGO_SCALE});
  } while (pango_layout_iter_next_line(iter));
  pango_layout_iter_free(iter);

  const double body_height = kPageHeight - 2 * kMargin - kFooterHeight;
  std::vector<std::size_t> page_starts = {0};
  double page_offset = lines.empty() ? 0 : lines[0].top;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].top + lines[i].height - page_offset > body_height && i != page_starts.back()) {
      page_starts.push_back(i);
      page_offset = lines[i].top;
    }
  }
  result.pages = static_cast<int>(page_starts.size());
  const char* plain_text = pango_layout_get_text(layout);
  std::string_view laid_out(plain_text);
  for (const std::string& marker : spec.redaction_markers) {
    std::string needle = Clean(marker);
    if (needle.empty()) {
      continue;
    }
    for (std::size_t at = laid_out.find(needle); at != std::string_view::npos;
         at = laid_out.find(needle, at + needle.size())) {
      PangoRectangle pos;
      pango_layout_index_to_pos(layout, static_cast<int>(at), &pos);
      double y = static_cast<double>(pos.y) / PANGO_SCALE;
      int page = 0;
      for (std::size_t p = 0; p < page_starts.size(); ++p) {
        if (!lines.empty() && lines[page_starts[p]].top <= y) {
          page = static_cast<int>(p);
        }
      }
      result.marker_pages.emplace_back(marker, page);
    }
  }

  PangoLayout* footer = pango_cairo_create_layout(cr);
  PangoFontDescription* footer_font = pango_font_description_from_string("DejaVu Sans 8");
  pango_layout_set_font_description(footer, footer_font);
  pango_font_description_free(footer_font);
  for (std::size_t page = 0; page < page_starts.size(); ++page) {
    std::size_t begin = page_starts[page];
    std::size_t end = page + 1 < page_starts.size() ? page_starts[page + 1] : lines.size();
    double offset = lines.empty() ? 0 : lines[begin].top;
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (std::size_t i = begin; i < end; ++i) {
      cairo_move_to(cr, kMargin, kMargin + lines[i].baseline - offset);
      pango_cairo_show_layout_line(cr, lines[i].line);
    }
    std::string left = Clean(spec.footer) + (spec.footer.empty() ? "" : "  \xC2\xB7  ") + "page " +
                       std::to_string(page + 1) + " of " + std::to_string(page_starts.size());
    pango_layout_set_text(footer, left.c_str(), -1);
    cairo_move_to(cr, kMargin, kPageHeight - kMargin);
    pango_cairo_show_layout(cr, footer);
    if (spec.production_prefix) {
      std::string number = ProductionNumber(
          *spec.production_prefix, spec.first_production + static_cast<std::int64_t>(page));
      std::string bold = "<b>" + Escape(number) + "</b>";
      pango_layout_set_markup(footer, bold.c_str(), -1);
      int width = 0;
      int height = 0;
      pango_layout_get_pixel_size(footer, &width, &height);
      cairo_move_to(cr, kPageWidth - kMargin - width, kPageHeight - kMargin);
      pango_cairo_show_layout(cr, footer);
      pango_layout_set_attributes(footer, nullptr);
    }
    cairo_show_page(cr);
  }
  g_object_unref(footer);
  g_object_unref(layout);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("cairo: ") + cairo_status_to_string(status));
  }
  return result;
}

}  // namespace sunshine
