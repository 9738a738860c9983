#include "importers/visits/user_agent_classifier.h"

#include <gtest/gtest.h>

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
