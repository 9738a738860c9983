#include "importers/mail/text_convert.h"

#include <gmime/gmime.h>
#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "importers/mail/gmime_init.h"

namespace sunshine::mail {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool IsAsciiOrUtf8Name(std::string_view charset) {
  std::string lower(charset);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.empty() || lower == "us-ascii" || lower == "ascii" || lower == "utf-8" ||
         lower == "utf8" || lower == "ansi_x3.4-1968" || lower == "7bit" || lower == "8bit" ||
         lower == "x-unknown" || lower == "unknown";
}

// Runs iconv over all of `bytes`, replacing undecodable bytes by U+FFFD.
std::string Iconv(iconv_t cd, std::string_view bytes, bool* lossy) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char buffer[16384];
  while (true) {
    char* out_ptr = buffer;
    std::size_t out_left = sizeof(buffer);
    std::size_t rc = in_left > 0 ? iconv(cd, &in, &in_left, &out_ptr, &out_left)
                                 : iconv(cd, nullptr, nullptr, &out_ptr, &out_left);
    out.append(buffer, static_cast<std::size_t>(out_ptr - buffer));
    if (rc != static_cast<std::size_t>(-1)) {
      if (in_left == 0) {
        // Flush any shift state (ISO-2022-JP) once.
        char* flush_ptr = buffer;
        std::size_t flush_left = sizeof(buffer);
        iconv(cd, nullptr, nullptr, &flush_ptr, &flush_left);
        out.append(buffer, static_cast<std::size_t>(flush_ptr - buffer));
        break;
      }
      continue;
    }
    if (errno == E2BIG) {
      continue;
    }
    // EILSEQ or EINVAL (truncated sequence at the end): skip one byte, mark it.
    *lossy = true;
    out += kReplacement;
    if (in_left == 0) {
      break;
    }
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  return out;
}

std::string FromWindows1252(std::string_view bytes, bool* lossy) {
  iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return MakeValidUtf8(bytes, lossy);
  }
  std::string out = Iconv(cd, bytes, lossy);
  iconv_close(cd);
  return out;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  return g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr) &&
         text.find('\0') == std::string_view::npos;
}

std::string MakeValidUtf8(std::string_view text, bool* changed) {
  std::string out;
  out.reserve(text.size());
  const char* p = text.data();
  const char* end = p + text.size();
  bool replaced = false;
  while (p < end) {
    const char* valid_end = nullptr;
    g_utf8_validate(p, end - p, &valid_end);
    // g_utf8_validate stops at NUL too; copy the valid run without it.
    out.append(p, static_cast<std::size_t>(valid_end - p));
    p = valid_end;
    if (p < end) {
      if (*p == '\0') {
        replaced = true;
        ++p;
        continue;
      }
      out += kReplacement;
      replaced = true;
      ++p;
    }
  }
  if (changed != nullptr && replaced) {
    *changed = true;
  }
  return out;
}

namespace {

ConvertedText ToUtf8Unchecked(std::string_view bytes, std::string_view charset) {
  EnsureGMimeInitialized();
  ConvertedText result;
  if (IsAsciiOrUtf8Name(charset)) {
    bool changed = false;
    if (IsValidUtf8(bytes)) {
      result.text.assign(bytes);
      return result;
    }
    std::string lower(charset);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "utf-8" || lower == "utf8") {
      result.text = MakeValidUtf8(bytes, &changed);
      result.lossy = changed;
      return result;
    }
    std::string cleaned = MakeValidUtf8(bytes, &changed);
    if (cleaned.size() + std::count(bytes.begin(), bytes.end(), '\0') == bytes.size() &&
        IsValidUtf8(cleaned)) {
      result.text = std::move(cleaned);  // only NULs were wrong
      return result;
    }
    // Undeclared 8-bit text: Windows mail clients wrote windows-1252 more than anything else.
    result.unknown = true;
    result.text = FromWindows1252(bytes, &result.lossy);
    return result;
  }
  std::string name(charset);
  iconv_t cd = g_mime_iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    result.unknown = true;
    result.text = IsValidUtf8(bytes) ? std::string(bytes) : FromWindows1252(bytes, &result.lossy);
    return result;
  }
  result.text = Iconv(cd, bytes, &result.lossy);
  g_mime_iconv_close(cd);
  bool changed = false;
  result.text = MakeValidUtf8(result.text, &changed);
  result.lossy = result.lossy || changed;
  return result;
}

}  // namespace

ConvertedText ToUtf8(std::string_view bytes, std::string_view charset) {
  ConvertedText result = ToUtf8Unchecked(bytes, charset);
  // Every path ends here: NULs and anything iconv let through never reach the store.
  if (!IsValidUtf8(result.text)) {
    bool changed = false;
    result.text = MakeValidUtf8(result.text, &changed);
    result.lossy = result.lossy || changed;
  }
  return result;
}

namespace {

bool IsBlock(const char* name) {
  static constexpr const char* kBlocks[] = {
      "p",       "div",     "br",       "tr",     "li",     "h1", "h2",         "h3",
      "h4",      "h5",      "h6",       "table",  "ul",     "ol", "blockquote", "pre",
      "hr",      "section", "article",  "header", "footer", "dl", "dt",         "dd",
      "address", "form",    "fieldset", "center", "title"};
  for (const char* block : kBlocks) {
    if (std::strcmp(name, block) == 0) {
      return true;
    }
  }
  return false;
}

void AppendCollapsed(std::string& out, const char* text, bool preformatted) {
  for (const char* p = text; *p != '\0'; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (!preformatted && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')) {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') {
        out += ' ';
      }
      continue;
    }
    out += static_cast<char>(c);
  }
}

void NewLine(std::string& out) {
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  if (!out.empty() && out.back() != '\n') {
    out += '\n';
  }
}

void Walk(xmlNode* node, std::string& out, bool preformatted, int depth) {
  // Deeply nested markup is usually hostile; text below this depth is still reached through
  // siblings but recursion stays bounded.
  if (depth > 200) {
    return;
  }
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content != nullptr) {
        AppendCollapsed(out, reinterpret_cast<const char*>(n->content), preformatted);
      }
      continue;
    }
    if (n->type != XML_ELEMENT_NODE) {
      continue;
    }
    const char* name = reinterpret_cast<const char*>(n->name);
    if (std::strcmp(name, "script") == 0 || std::strcmp(name, "style") == 0 ||
        std::strcmp(name, "head") == 0 || std::strcmp(name, "noscript") == 0) {
      continue;
    }
    bool block = IsBlock(name);
    if (block) {
      NewLine(out);
    }
    if (std::strcmp(name, "li") == 0) {
      out += "- ";
    }
    if (std::strcmp(name, "td") == 0 || std::strcmp(name, "th") == 0) {
      if (!out.empty() && out.back() != '\n') {
        out += '\t';
      }
    }
    Walk(n->children, out, preformatted || std::strcmp(name, "pre") == 0, depth + 1);
    if (block) {
      NewLine(out);
    }
  }
}

void IgnoreErrors(void*, const char*, ...) {}

}  // namespace

std::string HtmlToText(std::string_view html) {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, IgnoreErrors);
  });
  if (html.empty()) {
    return "";
  }
  htmlDocPtr doc = htmlReadMemory(
      html.data(), static_cast<int>(std::min<std::size_t>(html.size(), 1U << 30)), nullptr, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
          HTML_PARSE_NOBLANKS | HTML_PARSE_NOIMPLIED);
  if (doc == nullptr) {
    return MakeValidUtf8(html);
  }
  std::string out;
  Walk(xmlDocGetRootElement(doc) != nullptr ? doc->children : nullptr, out, false, 0);
  xmlFreeDoc(doc);
  // Trim trailing whitespace and collapse runs of blank lines.
  std::string cleaned;
  cleaned.reserve(out.size());
  int newlines = 0;
  for (char c : out) {
    if (c == '\n') {
      if (++newlines > 2) {
        continue;
      }
    } else {
      newlines = 0;
    }
    cleaned += c;
  }
  while (!cleaned.empty() && (cleaned.back() == '\n' || cleaned.back() == ' ')) {
    cleaned.pop_back();
  }
  std::size_t start = cleaned.find_first_not_of("\n ");
  return MakeValidUtf8(start == std::string::npos ? "" : cleaned.substr(start));
}

}  // namespace sunshine::mail
