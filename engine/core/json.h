// JSON through Poco::JSON, with key order preserved so output is stable and diffable.
// Used for audit details, every --json output and report files.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace sunshine {

using JsonObject = Poco::JSON::Object::Ptr;
using JsonArray = Poco::JSON::Array::Ptr;

JsonObject NewJsonObject();  // preserves insertion order
JsonArray NewJsonArray();
std::string ToJson(const JsonObject& object, int indent = 0);  // 0: compact, one line
std::string ToJson(const JsonArray& array, int indent = 0);
// Parses text that must be a JSON object; InvalidInput with the parser's message otherwise.
Result<JsonObject> ParseJsonObject(std::string_view text);
// A JSON string literal (quotes included) for hand-assembled lines.
std::string JsonQuote(std::string_view text);

}  // namespace sunshine
