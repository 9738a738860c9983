// libFuzzer target: the MIME entry point. Any bytes must parse or fail with a Status, never
// crash, and everything a parsed message yields must be valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "importers/mail/mime_parse.h"
#include "importers/mail/text_convert.h"

namespace {

void Check(const std::string& text) {
  if (!sunshine::mail::IsValidUtf8(text)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = sunshine::mail::ParseMail(input);
  if (!parsed.ok()) {
    return 0;
  }
  Check(parsed->subject);
  Check(parsed->body);
  Check(parsed->message_id);
  Check(parsed->date_header);
  for (const auto* list : {&parsed->from, &parsed->to, &parsed->cc, &parsed->bcc}) {
    for (const auto& address : *list) {
      Check(address.name);
      Check(address.address);
    }
  }
  for (const auto& attachment : parsed->attachments) {
    Check(attachment.filename);
    if (attachment.filename.empty() || attachment.filename.find('/') != std::string::npos) {
      std::abort();
    }
    if (attachment.text) {
      Check(*attachment.text);
    }
  }
  (void)sunshine::mail::ParseMailDate(input.substr(0, 200));
  return 0;
}
