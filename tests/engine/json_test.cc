#include "engine/core/json.h"

#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <random>
#include <sstream>

namespace sunshine {
namespace {

// ToJson writes compact JSON itself for speed; it must stay byte-identical to Poco's
// Stringifier, which earlier audit events and reports were written with.
std::string PocoCompact(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

TEST(JsonTest, EveryByteIsEscapedAsPocoDoes) {
  for (int b = 0; b < 256; ++b) {
    std::string text = "a";
    text += static_cast<char>(b);
    text += "z";
    JsonObject object = NewJsonObject();
    object->set(text, text);
    EXPECT_EQ(ToJson(object), PocoCompact(object)) << "byte " << b;
    EXPECT_EQ(JsonQuote(text), PocoCompact(text)) << "byte " << b;
  }
}

TEST(JsonTest, NestedValuesMatchPocoInInsertionOrder) {
  JsonObject object = NewJsonObject();
  object->set("zeta", 1);
  object->set("alpha", std::string("x\"y\\z\n"));
  object->set("count", static_cast<std::int64_t>(-9007199254740993LL));
  object->set("ratio", 0.1);
  object->set("big", 1e20);
  object->set("whole", 3.0);
  object->set("yes", true);
  object->set("no", false);
  object->set("nothing", Poco::Dynamic::Var());
  object->set("unsigned", static_cast<unsigned>(7));
  JsonArray array = NewJsonArray();
  array->add(1);
  array->add(std::string("caf\xc3\xa9"));
  array->add(NewJsonObject());
  array->add(NewJsonArray());
  object->set("list", array);
  JsonObject inner = NewJsonObject();
  inner->set("b", std::string("\x01\x7f\xff"));
  object->set("inner", inner);
  EXPECT_EQ(ToJson(object), PocoCompact(object));
  EXPECT_EQ(ToJson(array), PocoCompact(array));
  EXPECT_EQ(ToJson(object).substr(0, 9), "{\"zeta\":1");
}

TEST(JsonTest, RandomStringsMatchPoco) {
  std::mt19937 random(20261129);
  for (int i = 0; i < 2000; ++i) {
    std::string text(random() % 40, '\0');
    for (char& c : text) {
      c = static_cast<char>(random() % 256);
    }
    JsonArray array = NewJsonArray();
    array->add(text);
    ASSERT_EQ(ToJson(array), PocoCompact(array)) << i;
  }
}

TEST(JsonTest, ParsesWhatItWrites) {
  JsonObject object = NewJsonObject();
  object->set("subject", std::string("Re: \"parking\"\tfee\\"));
  auto parsed = ParseJsonObject(ToJson(object));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)->getValue<std::string>("subject"), "Re: \"parking\"\tfee\\");
}

}  // namespace
}  // namespace sunshine
