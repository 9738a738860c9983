#include "engine/core/json.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace sunshine {

JsonObject NewJsonObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

JsonArray NewJsonArray() { return new Poco::JSON::Array(); }

std::string ToJson(const JsonObject& object, int indent) {
  std::ostringstream out;
  if (indent == 0) {
    Poco::JSON::Stringifier::condense(object, out);
  } else {
    Poco::JSON::Stringifier::stringify(object, out, static_cast<unsigned>(indent));
  }
  return out.str();
}

std::string ToJson(const JsonArray& array, int indent) {
  std::ostringstream out;
  if (indent == 0) {
    Poco::JSON::Stringifier::condense(array, out);
  } else {
    Poco::JSON::Stringifier::stringify(array, out, static_cast<unsigned>(indent));
  }
  return out.str();
}

Result<JsonObject> ParseJsonObject(std::string_view text) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var value = parser.parse(std::string(text));
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
      return Status::InvalidInput("JSON value is not an object");
    }
    return value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& error) {
    return Status::InvalidInput("invalid JSON: " + error.displayText());
  }
}

std::string JsonQuote(std::string_view text) {
  std::ostringstream out;
  Poco::JSON::Stringifier::formatString(std::string(text), out);
  return out.str();
}

}  // namespace sunshine
