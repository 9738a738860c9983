// Text normalisation for mail: every string Sunshine stores is valid UTF-8. Charset
// conversion goes through iconv (via GMime's charset-name mapping); HTML becomes readable
// text through libxml2's forgiving HTML parser.
#pragma once

#include <string>
#include <string_view>

namespace sunshine::mail {

struct ConvertedText {
  std::string text;      // valid UTF-8
  bool unknown = false;  // the declared charset is unknown: decoded as windows-1252
  bool lossy = false;    // some bytes were invalid in the charset: replaced by U+FFFD
};

// Converts `bytes` declared as `charset` ("" when undeclared) to UTF-8. Undeclared or
// US-ASCII text that is not valid UTF-8 is read as windows-1252 and reported `unknown`.
ConvertedText ToUtf8(std::string_view bytes, std::string_view charset);

// Replaces invalid UTF-8 sequences by U+FFFD and drops NUL characters. Returns true
// through `changed` if anything was replaced.
std::string MakeValidUtf8(std::string_view text, bool* changed = nullptr);
bool IsValidUtf8(std::string_view text);

// Readable plain text from HTML (UTF-8 in, UTF-8 out): scripts, styles and the head are
// dropped, block elements become line breaks, entities are decoded, whitespace collapsed.
std::string HtmlToText(std::string_view html);

}  // namespace sunshine::mail
