#include "importers/visits/user_agent_classifier.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace sunshine {
namespace {

class UserAgentClassifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = UserAgentClassifier::Load(Path(std::string(kUapCoreRegexes)));
    if (loaded.ok()) {
      classifier_ = std::move(*loaded).release();
    }
  }
  static void TearDownTestSuite() {
    delete classifier_;
    classifier_ = nullptr;
  }
  void SetUp() override {
    if (classifier_ == nullptr) {
      GTEST_SKIP() << "uap-core regexes not installed";
    }
  }
  static UserAgentClassifier* classifier_;
};

UserAgentClassifier* UserAgentClassifierTest::classifier_ = nullptr;

TEST_F(UserAgentClassifierTest, CompilesNearlyAllPatterns) {
  EXPECT_GT(classifier_->pattern_count(), 1000);
  EXPECT_LT(classifier_->skipped_patterns(), 20);
}

// The classifier reads regexes.yaml with libyaml's event parser; yaml-cpp, reading the
// whole document, must find the same number of patterns.
TEST_F(UserAgentClassifierTest, ReadsEveryPatternOfTheFile) {
  YAML::Node root = YAML::LoadFile(std::string(kUapCoreRegexes));
  std::size_t entries = 0;
  for (const char* list : {"user_agent_parsers", "os_parsers", "device_parsers"}) {
    entries += root[list].size();
  }
  EXPECT_EQ(
      static_cast<std::size_t>(classifier_->pattern_count() + classifier_->skipped_patterns()),
      entries);
}

TEST_F(UserAgentClassifierTest, ClassifiesCommonAgents) {
  const UserAgentClass& chrome = classifier_->Classify(
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/32.0.1700.77 Safari/537.36");
  EXPECT_EQ(chrome.browser, "Chrome");
  EXPECT_EQ(chrome.browser_major, "32");
  EXPECT_EQ(chrome.BrowserVersion(), "Chrome 32");
  EXPECT_EQ(chrome.os, "Mac OS X");
  EXPECT_EQ(chrome.device_class, "desktop");
  EXPECT_FALSE(chrome.bot);

  UserAgentClass phone = classifier_->ClassifyUncached(
      "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/119.0.0.0 Mobile Safari/537.36");
  EXPECT_EQ(phone.browser, "Chrome Mobile");
  EXPECT_EQ(phone.os, "Android");
  EXPECT_EQ(phone.device_class, "mobile");

  UserAgentClass tablet = classifier_->ClassifyUncached(
      "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/16.6 Mobile/15E148 Safari/604.1");
  EXPECT_EQ(tablet.os, "iOS");
  EXPECT_EQ(tablet.device_class, "tablet");
}

TEST_F(UserAgentClassifierTest, RecognisesBots) {
  UserAgentClass bot = classifier_->ClassifyUncached(
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
  EXPECT_TRUE(bot.bot);
  EXPECT_EQ(bot.device_class, "bot");
  EXPECT_EQ(bot.browser, "Googlebot");
  UserAgentClass bing = classifier_->ClassifyUncached(
      "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)");
  EXPECT_TRUE(bing.bot);
}

TEST_F(UserAgentClassifierTest, EmptyAgentIsUnknownAndCacheCountsDistinctStrings) {
  UserAgentClass empty = classifier_->ClassifyUncached("");
  EXPECT_EQ(empty.browser, "Other");
  EXPECT_EQ(empty.device_class, "unknown");
  std::size_t before = classifier_->cache_size();
  classifier_->Classify("curl/8.0");
  classifier_->Classify("curl/8.0");
  EXPECT_EQ(classifier_->cache_size(), before + 1);
}

// Pattern by pattern (with the required-literal skip) and through the compiled RE2::Sets
// must classify identically: checked on uap-core's own test strings.
TEST(UserAgentClassifierModesTest, PatternByPatternAndSetsAgreeOnUapCoreTestStrings) {
  auto by_pattern = UserAgentClassifier::Load(Path(std::string(kUapCoreRegexes)));
  auto by_sets = UserAgentClassifier::Load(Path(std::string(kUapCoreRegexes)));
  if (!by_pattern.ok() || !by_sets.ok()) {
    GTEST_SKIP() << "uap-core regexes not installed";
  }
  (*by_pattern)->set_pattern_by_pattern_limit(1 << 30);
  (*by_sets)->set_pattern_by_pattern_limit(0);
  std::vector<std::string> agents;
  for (const char* file : {"test_ua.yaml", "test_os.yaml", "test_device.yaml"}) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(std::string("/usr/share/uap-core/tests/") + file);
    } catch (const YAML::Exception&) {
      continue;
    }
    std::size_t n = 0;
    for (const YAML::Node& test : root["test_cases"]) {
      // Every fourth device string keeps the test quick; all browser and OS strings.
      if (std::string(file) == "test_device.yaml" && n++ % 4 != 0) {
        continue;
      }
      if (test["user_agent_string"] && test["user_agent_string"].IsScalar()) {
        agents.push_back(test["user_agent_string"].as<std::string>());
      }
    }
  }
  if (agents.empty()) {
    GTEST_SKIP() << "uap-core test strings not installed";
  }
  int differ = 0;
  for (const std::string& agent : agents) {
    UserAgentClass a = (*by_pattern)->ClassifyUncached(agent);
    UserAgentClass b = (*by_sets)->ClassifyUncached(agent);
    bool same = a.browser == b.browser && a.browser_major == b.browser_major && a.os == b.os &&
                a.device == b.device && a.device_class == b.device_class && a.bot == b.bot;
    if (!same && ++differ <= 5) {
      ADD_FAILURE() << agent << ": " << a.browser << "/" << a.browser_major << "/" << a.os << "/"
                    << a.device << " vs " << b.browser << "/" << b.browser_major << "/" << b.os
                    << "/" << b.device;
    }
  }
  EXPECT_EQ(differ, 0) << "of " << agents.size();
  EXPECT_GT(agents.size(), 5000u);
}

TEST(UserAgentClassifierModesTest, RequiredLiteralSkipKeepsOptionalAndCaseInsensitiveParts) {
  auto tiny = UserAgentClassifier::FromYamlText(
      "user_agent_parsers:\n"
      "  - regex: 'ab?c(de)?f{0,2}gh'\n    family_replacement: 'one'\n"
      "  - regex: 'Zz(?:x|y)+Qq\\.w'\n    regex_flag: 'i'\n    family_replacement: 'two'\n"
      "  - regex: '[a-c]+\\d{2,}Tail$'\n    family_replacement: 'three'\n"
      "os_parsers: []\ndevice_parsers: []\n");
  ASSERT_TRUE(tiny.ok()) << tiny.status().ToString();
  for (std::int64_t limit : {std::int64_t{1} << 30, std::int64_t{0}}) {
    (*tiny)->set_pattern_by_pattern_limit(limit);
    EXPECT_EQ((*tiny)->ClassifyUncached("xx acgh").browser, "one");
    EXPECT_EQ((*tiny)->ClassifyUncached("abcdeffgh").browser, "one");
    EXPECT_EQ((*tiny)->ClassifyUncached("zZXyXqQ.W").browser, "two");
    EXPECT_EQ((*tiny)->ClassifyUncached("zz qq.w").browser, "Other");
    EXPECT_EQ((*tiny)->ClassifyUncached("cab123Tail").browser, "three");
    EXPECT_EQ((*tiny)->ClassifyUncached("cab123tail").browser, "Other");
  }
}

TEST(UserAgentClassifierYamlTest, ReportsBadYaml) {
  auto loaded = UserAgentClassifier::FromYamlText("user_agent_parsers: [ {regex: 'a'");
  EXPECT_FALSE(loaded.ok());
  auto missing = UserAgentClassifier::Load(Path("/nonexistent/regexes.yaml"));
  EXPECT_FALSE(missing.ok());
  auto tiny = UserAgentClassifier::FromYamlText(
      "user_agent_parsers:\n  - regex: '(Foo)/(\\d+)'\n  - regex: 'Bar/(\\d+)'\n"
      "    family_replacement: 'Bar $1'\nos_parsers: []\ndevice_parsers: []\n");
  ASSERT_TRUE(tiny.ok()) << tiny.status().ToString();
  EXPECT_EQ((*tiny)->ClassifyUncached("x Foo/7").browser, "Foo");
  EXPECT_EQ((*tiny)->ClassifyUncached("x Foo/7").browser_major, "7");
  EXPECT_EQ((*tiny)->ClassifyUncached("Bar/9").browser, "Bar 9");
  EXPECT_EQ((*tiny)->ClassifyUncached("nothing").browser, "Other");
}

}  // namespace
}  // namespace sunshine
