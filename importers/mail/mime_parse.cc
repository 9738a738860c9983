#include "importers/mail/mime_parse.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <memory>

#include "importers/mail/gmime_init.h"
#include "importers/mail/text_convert.h"

namespace sunshine::mail {

namespace {

// Owns one GObject reference.
template <typename T>
struct GObjectDeleter {
  void operator()(T* object) const {
    if (object != nullptr) {
      g_object_unref(object);
    }
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectDeleter<T>>;

struct GFreeDeleter {
  void operator()(char* text) const { g_free(text); }
};
using GString_ = std::unique_ptr<char, GFreeDeleter>;

GMimeParserOptions* ParserOptions() {
  static GMimeParserOptions* options = [] {
    EnsureGMimeInitialized();
    GMimeParserOptions* created = g_mime_parser_options_new();
    g_mime_parser_options_set_address_compliance_mode(created, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(created, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_rfc2047_compliance_mode(created, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(created, TRUE);
    // Raw 8-bit header text: UTF-8 (RFC 6532) first, else what Windows clients wrote.
    static const char* kFallback[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(created, kFallback);
    return created;
  }();
  return options;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Trim(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) {
    return "";
  }
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(start, end - start + 1));
}

void AddFlag(std::vector<std::string>& flags, const std::string& flag) {
  if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
    flags.push_back(flag);
  }
}

// Every header-derived string passes here: GMime decodes RFC 2047 and raw 8-bit text
// with the fallback charsets, but a broken encoded word can still leave invalid bytes.
std::string CleanHeader(const char* value, std::vector<std::string>& flags) {
  if (value == nullptr) {
    return "";
  }
  bool changed = false;
  std::string text = MakeValidUtf8(value, &changed);
  if (changed) {
    AddFlag(flags, "headers-invalid-utf8");
  }
  for (char& c : text) {
    if (c == '\r' || c == '\n' || c == '\t') {
      c = ' ';
    }
  }
  return Trim(text);
}

void CollectAddresses(InternetAddressList* list, std::vector<MailAddress>& out,
                      std::vector<std::string>& flags, int depth = 0) {
  if (list == nullptr || depth > 4) {
    return;
  }
  int count = internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(address)) {
      CollectAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out,
                       flags, depth + 1);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) {
      continue;
    }
    MailAddress parsed;
    parsed.name = CleanHeader(internet_address_get_name(address), flags);
    parsed.address =
        CleanHeader(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)), flags);
    if (!parsed.address.empty() || !parsed.name.empty()) {
      out.push_back(std::move(parsed));
    }
  }
}

std::string ReadStream(GMimeStream* stream) {
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
  if (array == nullptr || array->len == 0) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

// The part's content with its transfer encoding (base64, QP, uuencode...) undone.
std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) {
    return "";
  }
  GPtr<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, stream.get());
  return ReadStream(stream.get());
}

std::string MediaType(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) {
    return "application/octet-stream";
  }
  const char* media = g_mime_content_type_get_media_type(type);
  const char* sub = g_mime_content_type_get_media_subtype(type);
  return Lower(std::string(media != nullptr ? media : "application") + "/" +
               (sub != nullptr ? sub : "octet-stream"));
}

std::string ExtensionFor(const std::string& media_type) {
  if (media_type == "text/plain") return ".txt";
  if (media_type == "text/html") return ".html";
  if (media_type == "message/rfc822" || media_type == "message/global") return ".eml";
  if (media_type == "application/pdf") return ".pdf";
  if (media_type == "text/calendar") return ".ics";
  if (media_type.rfind("image/", 0) == 0) return "." + media_type.substr(6);
  if (media_type.rfind("text/", 0) == 0 || media_type.rfind("message/", 0) == 0) return ".txt";
  return ".bin";
}

bool IsTextLike(const std::string& media_type) {
  return media_type.rfind("text/", 0) == 0 || media_type == "message/delivery-status" ||
         media_type == "message/disposition-notification" ||
         media_type == "message/feedback-report" || media_type == "application/json" ||
         media_type == "application/xml" || media_type == "message/global-headers" ||
         media_type == "message/global-delivery-status";
}

struct UuBlock {
  std::string filename;
  std::string bytes;
};

// Old mail carries files as "begin 644 name ... end" blocks inside the plain text (no MIME).
// Extracts them (GMime's uudecoder) and returns the text without the blocks.
std::string ExtractUuencoded(const std::string& text, std::vector<UuBlock>& blocks) {
  if (text.find("begin ") == std::string::npos) {
    return text;
  }
  std::string remaining;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::size_t line_end = eol == std::string::npos ? text.size() : eol;
    std::string_view line(text.data() + pos, line_end - pos);
    std::size_t next = eol == std::string::npos ? text.size() : eol + 1;
    bool begin = line.size() > 10 && line.substr(0, 6) == "begin " && line[6] >= '0' &&
                 line[6] <= '7' && line[7] >= '0' && line[7] <= '7' && line[8] >= '0' &&
                 line[8] <= '7';
    if (begin) {
      std::size_t name_at = line.find(' ', 6);
      std::size_t end_at = text.find("\nend", next - 1);
      if (name_at != std::string_view::npos && end_at != std::string::npos) {
        std::size_t body_end = end_at + 1;
        std::string encoded = text.substr(next, body_end - next);
        std::string decoded(encoded.size(), '\0');
        int state = 0;
        guint32 save = 0;
        std::size_t n = g_mime_encoding_uudecode_step(
            reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size(),
            reinterpret_cast<unsigned char*>(decoded.data()), &state, &save);
        decoded.resize(std::min(n, decoded.size()));
        std::string name = Trim(line.substr(name_at + 1));
        blocks.push_back({name, std::move(decoded)});
        std::size_t after = text.find('\n', end_at + 1);
        pos = after == std::string::npos ? text.size() : after + 1;
        continue;
      }
    }
    remaining.append(text, pos, next - pos);
    pos = next;
  }
  return remaining;
}

class Walker {
 public:
  Walker(ParsedMail& mail, const ParseOptions& options) : mail_(mail), options_(options) {}

  void Visit(GMimeObject* object, int depth) {
    if (object == nullptr) {
      return;
    }
    if (depth > options_.max_depth) {
      AddFlag(mail_.flags, "mime-too-deep");
      return;
    }
    if (GMIME_IS_MULTIPART(object)) {
      VisitMultipart(GMIME_MULTIPART(object), depth);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      AddAttachedMessage(GMIME_MESSAGE_PART(object), depth);
    } else if (GMIME_IS_PART(object)) {
      VisitPart(GMIME_PART(object));
    } else {
      // message/partial and anything GMime models otherwise: keep the bytes as written.
      GPtr<GMimeStream> stream(g_mime_stream_mem_new());
      g_mime_object_write_content_to_stream(object, nullptr, stream.get());
      AddAttachment(nullptr, MediaType(object), ReadStream(stream.get()), std::nullopt);
    }
  }

  void Finish() {
    if (!plain_.empty()) {
      mail_.body = plain_;
      mail_.body_source = "text/plain";
      for (auto& [name, html] : html_parts_) {
        AddAttachment(name.empty() ? nullptr : name.c_str(), "text/html", html.first, html.second);
      }
    } else if (!html_parts_.empty()) {
      mail_.body = html_parts_.front().second.second;
      mail_.body_source = "text/html";
      for (std::size_t i = 1; i < html_parts_.size(); ++i) {
        auto& [name, html] = html_parts_[i];
        AddAttachment(name.empty() ? nullptr : name.c_str(), "text/html", html.first, html.second);
      }
    }
    html_parts_.clear();
  }

 private:
  bool IsInlineText(GMimeObject* object, const std::string& media_type) {
    if (media_type != "text/plain" && media_type != "text/html") {
      return false;
    }
    const char* disposition = g_mime_object_get_disposition(object);
    if (disposition != nullptr && g_ascii_strcasecmp(disposition, "attachment") == 0) {
      return false;
    }
    if (disposition == nullptr && GMIME_IS_PART(object) &&
        g_mime_part_get_filename(GMIME_PART(object)) != nullptr) {
      return false;
    }
    return true;
  }

  void VisitMultipart(GMimeMultipart* multipart, int depth) {
    GMimeObject* object = GMIME_OBJECT(multipart);
    GMimeContentType* type = g_mime_object_get_content_type(object);
    const char* sub = type != nullptr ? g_mime_content_type_get_media_subtype(type) : nullptr;
    std::string subtype = Lower(sub != nullptr ? sub : "mixed");
    int count = g_mime_multipart_get_count(multipart);
    if (subtype == "alternative") {
      // Prefer text/plain, else HTML, else a nested multipart (related HTML with images).
      int chosen = -1;
      for (const char* wanted : {"text/plain", "text/html", "multipart/"}) {
        for (int i = 0; i < count && chosen < 0; ++i) {
          GMimeObject* child = g_mime_multipart_get_part(multipart, i);
          std::string media = MediaType(child);
          if (std::string(wanted) == "multipart/" ? GMIME_IS_MULTIPART(child)
                                                  : media == wanted && IsInlineText(child, media)) {
            chosen = i;
          }
        }
        if (chosen >= 0) {
          break;
        }
      }
      for (int i = 0; i < count; ++i) {
        GMimeObject* child = g_mime_multipart_get_part(multipart, i);
        std::string media = MediaType(child);
        if (i == chosen) {
          Visit(child, depth + 1);
        } else if (!(media == "text/plain" || media == "text/html" || GMIME_IS_MULTIPART(child))) {
          Visit(child, depth + 1);  // e.g. text/calendar: a real attachment
        }
      }
      return;
    }
    if (subtype == "encrypted") {
      for (int i = 0; i < count; ++i) {
        GMimeObject* child = g_mime_multipart_get_part(multipart, i);
        if (GMIME_IS_PART(child)) {
          GMimePart* part = GMIME_PART(child);
          AddAttachment(g_mime_part_get_filename(part), MediaType(child), DecodedContent(part),
                        std::nullopt);
        } else {
          Visit(child, depth + 1);
        }
      }
      AddFlag(mail_.flags, "encrypted");
      return;
    }
    // mixed, related, report, signed (content then signature), digest, unknown subtypes.
    for (int i = 0; i < count; ++i) {
      Visit(g_mime_multipart_get_part(multipart, i), depth + 1);
    }
  }

  ConvertedText PartText(GMimePart* part, const std::string& bytes) {
    const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    ConvertedText converted = ToUtf8(bytes, charset != nullptr ? charset : "");
    if (converted.unknown) {
      AddFlag(mail_.flags, "charset-unknown");
    }
    if (converted.lossy) {
      AddFlag(mail_.flags, "charset-lossy");
    }
    return converted;
  }

  void VisitPart(GMimePart* part) {
    GMimeObject* object = GMIME_OBJECT(part);
    std::string media = MediaType(object);
    std::string bytes = DecodedContent(part);
    if (IsInlineText(object, media)) {
      std::string text = PartText(part, bytes).text;
      if (media == "text/plain") {
        std::vector<UuBlock> blocks;
        text = ExtractUuencoded(text, blocks);
        for (UuBlock& block : blocks) {
          AddAttachment(block.filename.c_str(), "application/octet-stream", std::move(block.bytes),
                        std::nullopt);
          AddFlag(mail_.flags, "uuencoded-attachment");
        }
        if (!plain_.empty() && !text.empty()) {
          plain_ += "\n\n";
        }
        plain_ += text;
      } else {
        const char* name = g_mime_part_get_filename(part);
        html_parts_.push_back({name != nullptr ? name : "", {bytes, HtmlToText(text)}});
      }
      return;
    }
    std::optional<std::string> text;
    if (IsTextLike(media)) {
      std::string converted = PartText(part, bytes).text;
      text = media == "text/html" ? HtmlToText(converted) : std::move(converted);
    }
    AddAttachment(g_mime_part_get_filename(part), media, std::move(bytes), std::move(text));
  }

  void AddAttachedMessage(GMimeMessagePart* message_part, int depth);

  void AddAttachment(const char* raw_name, const std::string& media, std::string bytes,
                     std::optional<std::string> text, bool attached_message = false) {
    ++ordinal_;
    std::string fallback = "part-" + std::to_string(ordinal_) + ExtensionFor(media);
    std::string name;
    if (raw_name != nullptr) {
      name = CleanHeader(raw_name, mail_.flags);
    }
    MailAttachment attachment;
    attachment.filename = SanitizeFilename(name, fallback);
    attachment.media_type = media;
    attachment.bytes = std::move(bytes);
    attachment.text = std::move(text);
    attachment.attached_message = attached_message;
    mail_.attachments.push_back(std::move(attachment));
  }

  ParsedMail& mail_;
  const ParseOptions& options_;
  std::string plain_;
  // (file name, (raw bytes, text)) of inline HTML parts, in order.
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> html_parts_;
  int ordinal_ = 0;
};

std::optional<std::int64_t> DateOf(GDateTime* date) {
  if (date == nullptr) {
    return std::nullopt;
  }
  std::int64_t epoch = g_date_time_to_unix(date);
  // GMime yields year 1 or the epoch itself for some garbage; outside 1900-2100 a date is
  // not believable (RFC 5322's own examples are from 1969).
  if (epoch == 0 || epoch < -2208988800LL || epoch > 4102444800LL) {
    return std::nullopt;
  }
  return epoch;
}

std::string HeaderText(GMimeObject* object, const char* name, std::vector<std::string>& flags) {
  return CleanHeader(g_mime_object_get_header(object, name), flags);
}

void FillFromMessage(GMimeMessage* message, ParsedMail& mail, const ParseOptions& options,
                     int depth) {
  GMimeObject* object = GMIME_OBJECT(message);
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  mail.header_count = headers != nullptr ? g_mime_header_list_get_count(headers) : 0;
  mail.message_id = NormalizeMessageId(HeaderText(object, "Message-ID", mail.flags));
  mail.subject = CleanHeader(g_mime_message_get_subject(message), mail.flags);
  mail.date_header = HeaderText(object, "Date", mail.flags);
  if (mail.date_header.empty()) {
    AddFlag(mail.flags, "date-missing");
  } else {
    // Not g_mime_message_get_date: it silently drops a time it cannot read ("17.12.13")
    // and ignores "GMT+0100"; ParseMailDate repairs those first.
    mail.date = ParseMailDate(mail.date_header);
    if (!mail.date) {
      AddFlag(mail.flags, "date-unparseable");
    }
  }
  CollectAddresses(g_mime_message_get_from(message), mail.from, mail.flags);
  CollectAddresses(g_mime_message_get_to(message), mail.to, mail.flags);
  CollectAddresses(g_mime_message_get_cc(message), mail.cc, mail.flags);
  CollectAddresses(g_mime_message_get_bcc(message), mail.bcc, mail.flags);
  CollectAddresses(g_mime_message_get_reply_to(message), mail.reply_to, mail.flags);
  mail.in_reply_to = NormalizeMessageId(HeaderText(object, "In-Reply-To", mail.flags));
  if (const char* references = g_mime_object_get_header(object, "References")) {
    GMimeReferences* parsed = g_mime_references_parse(ParserOptions(), references);
    if (parsed != nullptr) {
      int count = g_mime_references_length(parsed);
      for (int i = 0; i < count; ++i) {
        std::string id = CleanHeader(g_mime_references_get_message_id(parsed, i), mail.flags);
        if (!id.empty()) {
          mail.references.push_back(id);
        }
      }
      g_mime_references_free(parsed);
    }
  }
  Walker walker(mail, options);
  walker.Visit(g_mime_message_get_mime_part(message), depth);
  walker.Finish();
}

std::string JoinAddresses(const std::vector<MailAddress>& addresses) {
  std::string out;
  for (const MailAddress& a : addresses) {
    if (!out.empty()) {
      out += ", ";
    }
    out += a.name.empty() ? a.address : a.name + " <" + a.address + ">";
  }
  return out;
}

void Walker::AddAttachedMessage(GMimeMessagePart* message_part, int depth) {
  GMimeObject* object = GMIME_OBJECT(message_part);
  GMimeMessage* inner = g_mime_message_part_get_message(message_part);
  std::string media = MediaType(object);
  if (inner == nullptr) {
    AddAttachment(nullptr, media, "", std::nullopt, true);
    return;
  }
  GPtr<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, stream.get());
  std::string bytes = ReadStream(stream.get());

  ParsedMail parsed;
  if (depth + 1 <= options_.max_depth) {
    FillFromMessage(inner, parsed, options_, depth + 1);
  } else {
    AddFlag(mail_.flags, "mime-too-deep");
  }
  for (const std::string& flag : parsed.flags) {
    if (flag.rfind("charset-", 0) == 0 || flag == "headers-invalid-utf8") {
      AddFlag(mail_.flags, flag);
    }
  }
  // The attached message's text is indexed with the outer record.
  std::string text = "From: " + JoinAddresses(parsed.from) + "\nTo: " + JoinAddresses(parsed.to);
  if (!parsed.cc.empty()) {
    text += "\nCc: " + JoinAddresses(parsed.cc);
  }
  text += "\nDate: " + parsed.date_header + "\nSubject: " + parsed.subject + "\n\n" + parsed.body;
  for (const MailAttachment& attachment : parsed.attachments) {
    text += "\n\n[" + attachment.filename + "]";
    if (attachment.text) {
      text += "\n" + *attachment.text;
    }
  }
  const char* name = g_mime_object_get_content_disposition_parameter(object, "filename");
  std::string fallback_name;
  if (name == nullptr && !parsed.subject.empty()) {
    fallback_name = parsed.subject.substr(0, 120) + ".eml";
    name = fallback_name.c_str();
  }
  AddAttachment(name, media, std::move(bytes), MakeValidUtf8(text), true);
}

// Converts bare-CR line endings (old Mac mail) to LF for the parser; the stored original
// keeps its bytes.
bool HasOnlyBareCr(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 65536);
  return head.find('\n') == std::string_view::npos && head.find('\r') != std::string_view::npos;
}

}  // namespace

Result<ParsedMail> ParseMail(std::string_view bytes, const ParseOptions& options) {
  EnsureGMimeInitialized();
  std::string converted;
  if (HasOnlyBareCr(bytes)) {
    converted.assign(bytes);
    std::replace(converted.begin(), converted.end(), '\r', '\n');
    bytes = converted;
  }
  // Skip blank lines before the headers (some tools write them); reject empty input.
  std::size_t start = bytes.find_first_not_of("\r\n");
  if (start == std::string_view::npos) {
    return Status::InvalidInput("empty message");
  }
  std::string_view content = bytes.substr(start);
  // The first line must look like a header field ("Name: value" or an mbox "From " line).
  std::size_t eol = content.find('\n');
  std::string_view first = content.substr(0, eol == std::string_view::npos ? content.size() : eol);
  std::size_t colon = first.find(':');
  bool header_like = colon != std::string_view::npos && colon > 0;
  for (std::size_t i = 0; header_like && i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(first[i]);
    if (c <= 32 || c >= 127) {
      header_like = false;
    }
  }
  if (!header_like && first.substr(0, 5) != "From ") {
    return Status::InvalidInput("does not start with a mail header (first line: \"" +
                                MakeValidUtf8(first.substr(0, 60)) + "\")");
  }

  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(content.data(), content.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_respect_content_length(parser.get(), FALSE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), ParserOptions()));
  if (!message) {
    return Status::InvalidInput("GMime could not parse a message header block");
  }
  GMimeObject* object = GMIME_OBJECT(message.get());
  bool any = false;
  for (const char* name :
       {"From", "To", "Subject", "Date", "Message-ID", "Sender", "Cc", "Received", "Return-Path"}) {
    if (g_mime_object_get_header(object, name) != nullptr) {
      any = true;
      break;
    }
  }
  if (!any) {
    return Status::InvalidInput(
        "no From, To, Subject, Date, Message-ID or Received header: not a mail message");
  }
  ParsedMail mail;
  FillFromMessage(message.get(), mail, options, 0);
  return mail;
}

namespace {

std::optional<std::int64_t> ParseIsoDate(const std::string& value) {
  // "2003-03-04T11:12:13Z", "2003-03-04 11:12:13 -06:00".
  if (value.size() < 16 || !std::isdigit(static_cast<unsigned char>(value[0])) || value[4] != '-' ||
      value[7] != '-') {
    return std::nullopt;
  }
  std::string iso = value;
  if (iso[10] == ' ') {
    iso[10] = 'T';
  }
  iso.erase(std::remove(iso.begin(), iso.end(), ' '), iso.end());
  GTimeZone* utc = g_time_zone_new_utc();
  GDateTime* date = g_date_time_new_from_iso8601(iso.c_str(), utc);
  g_time_zone_unref(utc);
  std::optional<std::int64_t> result = DateOf(date);
  if (date != nullptr) {
    g_date_time_unref(date);
  }
  return result;
}

// "17.12.13" -> "17:12:13" (a time written with dots); dates like "04.03.2003" stay.
std::string RepairToken(const std::string& token) {
  bool time_like =
      (token.size() == 5 || token.size() == 8 || token.size() == 4 || token.size() == 7);
  int dots = 0;
  for (char c : token) {
    if (c == '.') {
      ++dots;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      time_like = false;
    }
  }
  if (!time_like || dots == 0 || dots > 2) {
    return token;
  }
  std::string out = token;
  std::replace(out.begin(), out.end(), '.', ':');
  return out;
}

std::string RepairDate(const std::string& value) {
  std::string spaced;
  for (char c : value) {
    spaced += (c == ',' || c == '(' || c == ')' || c == '\t') ? ' ' : c;
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < spaced.size()) {
    std::size_t end = spaced.find(' ', pos);
    if (end == std::string::npos) {
      end = spaced.size();
    }
    std::string token = spaced.substr(pos, end - pos);
    if (!token.empty()) {
      // "GMT+0100", "UTC-5": the offset is what counts.
      for (const char* zone : {"GMT", "UTC", "UT"}) {
        std::size_t length = std::strlen(zone);
        if (token.size() > length + 1 && token.compare(0, length, zone) == 0 &&
            (token[length] == '+' || token[length] == '-')) {
          token = token.substr(length);
          break;
        }
      }
      if (!out.empty()) {
        out += ' ';
      }
      out += RepairToken(token);
    }
    pos = end + 1;
  }
  return out;
}

std::optional<std::int64_t> AttemptGMimeDate(const std::string& candidate) {
  GDateTime* date = g_mime_utils_header_decode_date(candidate.c_str());
  std::optional<std::int64_t> result = DateOf(date);
  if (date != nullptr) {
    g_date_time_unref(date);
  }
  return result;
}

}  // namespace

std::optional<std::int64_t> ParseMailDate(std::string_view text) {
  EnsureGMimeInitialized();
  std::string value = Trim(text);
  if (value.empty()) {
    return std::nullopt;
  }
  if (auto iso = ParseIsoDate(value)) {
    return iso;
  }
  std::string repaired = RepairDate(value);
  if (auto parsed = AttemptGMimeDate(repaired)) {
    return parsed;
  }
  // Drop trailing words one at a time (garbage after the zone).
  while (true) {
    std::size_t space = repaired.find_last_of(' ');
    if (space == std::string::npos || space < 8) {
      break;
    }
    repaired.resize(space);
    if (auto parsed = AttemptGMimeDate(repaired)) {
      return parsed;
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> ParseMboxFromDate(std::string_view from_line) {
  // "From sender@example.com Tue Mar  4 11:12:13 2003": the date follows the address.
  std::string line = Trim(from_line);
  if (line.rfind("From ", 0) != 0) {
    return std::nullopt;
  }
  std::size_t address_end = line.find(' ', 5);
  while (address_end != std::string::npos && address_end < line.size() &&
         line[address_end] == ' ') {
    ++address_end;
  }
  if (address_end == std::string::npos || address_end >= line.size()) {
    return std::nullopt;
  }
  std::string rest = line.substr(address_end);
  std::tm tm{};
  const char* end = strptime(rest.c_str(), "%a %b %d %H:%M:%S %Y", &tm);
  if (end == nullptr) {
    tm = {};
    end = strptime(rest.c_str(), "%a %b %d %H:%M %Y", &tm);
  }
  if (end == nullptr) {
    return ParseMailDate(rest);
  }
  std::int64_t epoch = timegm(&tm);
  if (epoch < 31536000) {
    return std::nullopt;
  }
  return epoch;
}

std::string SanitizeFilename(std::string_view name, std::string_view fallback) {
  std::string cleaned = MakeValidUtf8(name);
  // Base name only: a sender must not be able to name "../../etc/passwd" or "C:\x".
  std::size_t slash = cleaned.find_last_of("/\\");
  if (slash != std::string::npos) {
    cleaned = cleaned.substr(slash + 1);
  }
  std::string out;
  for (unsigned char c : cleaned) {
    if (c < 32 || c == 127) {
      continue;
    }
    if (std::strchr("<>:\"|?*", c) != nullptr) {
      out += '_';
    } else {
      out += static_cast<char>(c);
    }
  }
  std::size_t start = out.find_first_not_of(". ");
  out = start == std::string::npos ? "" : out.substr(start);
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) {
    out.pop_back();
  }
  if (out.size() > 200) {
    // Keep the extension; cut on a UTF-8 character boundary.
    std::size_t dot = out.find_last_of('.');
    std::string ext = dot != std::string::npos && out.size() - dot <= 16 ? out.substr(dot) : "";
    std::size_t cut = 200 - ext.size();
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out = out.substr(0, cut) + ext;
  }
  std::string upper = out;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string stem = upper.substr(0, upper.find('.'));
  for (const char* reserved : {"CON", "PRN", "AUX", "NUL", "COM1", "COM2", "LPT1", "LPT2"}) {
    if (stem == reserved) {
      out = "_" + out;
    }
  }
  return out.empty() ? std::string(fallback) : out;
}

std::string NormalizeMessageId(std::string_view text) {
  std::string value = Trim(text);
  std::size_t open = value.find('<');
  if (open != std::string::npos) {
    std::size_t close = value.find('>', open);
    value =
        value.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
  }
  value = Trim(value);
  std::string out;
  for (char c : value) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      out += c;
    }
  }
  return MakeValidUtf8(out);
}

}  // namespace sunshine::mail
