// The MIME entry point: one message's bytes in, the fields Sunshine stores out. A pure
// function over bytes (GMime 3.2 underneath), unit-tested on strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace sunshine::mail {

struct MailAddress {
  std::string name;     // display name, decoded (RFC 2047), may be empty
  std::string address;  // addr-spec, e.g. "clerk@example.gov"
};

struct MailAttachment {
  std::string filename;             // sanitised (SanitizeFilename)
  std::string media_type;           // "application/pdf"
  std::string bytes;                // decoded content (transfer encoding undone)
  std::optional<std::string> text;  // UTF-8 text for text-like parts and attached messages
  bool attached_message = false;    // a message/rfc822 kept whole
};

struct ParsedMail {
  std::string message_id;  // without angle brackets; "" if absent
  std::string subject;
  std::string date_header;           // as written (unfolded)
  std::optional<std::int64_t> date;  // epoch seconds UTC, when it parsed
  std::vector<MailAddress> from, to, cc, bcc, reply_to;
  std::string in_reply_to;
  std::vector<std::string> references;
  std::string body;         // text/plain preferred, else HTML as text
  std::string body_source;  // "text/plain", "text/html", "" (none)
  std::vector<MailAttachment> attachments;
  // "date-missing", "date-unparseable", "charset-unknown", "charset-lossy",
  // "headers-invalid-utf8", "uuencoded-attachment"
  std::vector<std::string> flags;
  int header_count = 0;
};

struct ParseOptions {
  // Limit for nested message/rfc822 and multipart depth (hostile input).
  int max_depth = 32;
};

// InvalidInput when the bytes are not a mail message at all (no header block with any of
// From, To, Subject, Date or Message-ID). Never fails for merely broken MIME: GMime
// recovers and the parts it cannot make sense of are kept as attachments.
Result<ParsedMail> ParseMail(std::string_view bytes, const ParseOptions& options = {});

// A date header in the common broken forms: RFC 5322, missing weekday, two-digit years,
// named or missing zones, dots in times, ISO 8601. nullopt if nothing sensible.
std::optional<std::int64_t> ParseMailDate(std::string_view text);
// The date of an mbox "From addr Tue Mar  4 11:12:13 2003" line (asctime, UTC).
std::optional<std::int64_t> ParseMboxFromDate(std::string_view from_line);

// A file name safe on every filesystem: base name only, no control or reserved characters,
// no leading dots, at most 200 bytes of UTF-8; `fallback` if nothing is left.
std::string SanitizeFilename(std::string_view name, std::string_view fallback);

// "<a@b>" -> "a@b"; whitespace and comments trimmed. The mail dedup key.
std::string NormalizeMessageId(std::string_view text);

}  // namespace sunshine::mail
