#include "engine/store/config.h"

#include <gtest/gtest.h>

namespace sunshine {
namespace {

TEST(ConfigTest, DefaultConfigurationParses) {
  auto config = Config::Parse(DefaultConfigText(), "sunshine.toml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(*config->Int("fixity.cycle_days", 0), 30);
}

TEST(ConfigTest, TypedGettersWithDefaults) {
  auto config = Config::Parse(
      "[a]\nname = \"x\"\ncount = 3\nflag = true\nlist = [\"p\", \"q\"]\nratio = 1.5\n", "c.toml");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(*config->String("a.name", ""), "x");
  EXPECT_EQ(*config->Int("a.count", 0), 3);
  EXPECT_TRUE(*config->Bool("a.flag", false));
  EXPECT_EQ(*config->StringList("a.list", {}), (std::vector<std::string>{"p", "q"}));
  EXPECT_DOUBLE_EQ(*config->Real("a.ratio", 0), 1.5);
  EXPECT_DOUBLE_EQ(*config->Real("a.count", 0), 3.0);
  EXPECT_EQ(*config->String("a.missing", "fallback"), "fallback");
  EXPECT_EQ(*config->StringList("a.name", {}), (std::vector<std::string>{"x"}));
  EXPECT_TRUE(config->Has("a.count"));
  EXPECT_FALSE(config->Has("b"));
}

TEST(ConfigTest, WrongTypeNamesFileLineAndKey) {
  auto config = Config::Parse("[a]\n\ncount = \"three\"\n", "office.toml");
  ASSERT_TRUE(config.ok());
  auto count = config->Int("a.count", 0);
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.status().message(), "office.toml:3: key 'a.count' must be an integer");
}

TEST(ConfigTest, SyntaxErrorNamesFileAndLine) {
  auto config = Config::Parse("[a]\nname = \n", "office.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(config.status().message().rfind("office.toml:2:", 0), 0u) << config.status().message();
}

TEST(ConfigTest, MissingFileIsNotFound) {
  auto config = Config::Load("/nonexistent/sunshine.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sunshine
