#include "importers/visits/access_log_parser.h"

#include <gtest/gtest.h>

#include "importers/visits/host_names.h"

namespace sunshine {
namespace {

constexpr std::string_view kCombined =
    R"(83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/x.png HTTP/1.1" 200 )"
    R"(203023 "http://semicomplete.com/presentations/" "Mozilla/5.0 (Macintosh) Chrome/32.0")";

TEST(AccessLogParserTest, ParsesCombinedFormat) {
  ParsedAccessLine line;
  ASSERT_TRUE(ParseAccessLine(kCombined, line).ok());
  EXPECT_EQ(line.remote_host, "83.149.9.216");
  EXPECT_EQ(line.vhost, "");
  EXPECT_EQ(line.remote_user, "");
  EXPECT_EQ(line.time_utc, 1431857103);  // 2015-05-17T10:05:03Z
  EXPECT_EQ(line.method, "GET");
  EXPECT_EQ(line.target, "/presentations/x.png");
  EXPECT_EQ(line.protocol, "HTTP/1.1");
  EXPECT_EQ(line.status, 200);
  EXPECT_EQ(line.bytes, 203023);
  EXPECT_TRUE(line.has_referrer_and_agent);
  EXPECT_EQ(line.referrer, "http://semicomplete.com/presentations/");
  EXPECT_EQ(line.user_agent, "Mozilla/5.0 (Macintosh) Chrome/32.0");
}

TEST(AccessLogParserTest, ParsesCommonFormatWithUserAndDashBytes) {
  ParsedAccessLine line;
  ASSERT_TRUE(
      ParseAccessLine(
          R"(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 304 -)", line)
          .ok());
  EXPECT_EQ(line.remote_user, "frank");
  EXPECT_EQ(line.time_utc, 971211336);  // 2000-10-10T20:55:36Z
  EXPECT_EQ(line.utc_offset_seconds, -7 * 3600);
  EXPECT_EQ(line.bytes, 0);
  EXPECT_FALSE(line.has_referrer_and_agent);
  EXPECT_EQ(line.user_agent, "");
}

TEST(AccessLogParserTest, ParsesVhostPrefixedVariant) {
  ParsedAccessLine line;
  ASSERT_TRUE(ParseAccessLine(R"(www.example.gov:443 192.0.2.7 - - [01/Jan/2026:00:00:00 +0000] )"
                              R"("GET / HTTP/2.0" 200 5 "-" "curl/8.0")",
                              line)
                  .ok());
  EXPECT_EQ(line.vhost, "www.example.gov:443");
  EXPECT_EQ(line.remote_host, "192.0.2.7");
  EXPECT_EQ(line.user_agent, "curl/8.0");
  EXPECT_EQ(line.referrer, "");
}

TEST(AccessLogParserTest, ParsesIpv6Hosts) {
  ParsedAccessLine line;
  ASSERT_TRUE(ParseAccessLine(R"(2001:db8::ff00:42:8329 - - [01/Jan/2026:00:00:00 +0000] )"
                              R"("GET / HTTP/1.1" 200 5 "-" "x")",
                              line)
                  .ok());
  EXPECT_EQ(line.remote_host, "2001:db8::ff00:42:8329");
  EXPECT_TRUE(IsIpLiteral(line.remote_host));
  EXPECT_TRUE(IsIpLiteral("::ffff:192.0.2.1"));
  EXPECT_TRUE(IsIpLiteral("192.0.2.1"));
  EXPECT_FALSE(IsIpLiteral("host-1.example.net"));
}

TEST(AccessLogParserTest, UnescapesQuotedFields) {
  ParsedAccessLine line;
  ASSERT_TRUE(ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] )"
                              R"("GET /a\"b HTTP/1.1" 200 5 "-" "say \"hi\" \\ \x41\x42")",
                              line)
                  .ok());
  EXPECT_EQ(line.request, "GET /a\"b HTTP/1.1");
  EXPECT_EQ(line.target, "/a\"b");
  EXPECT_EQ(line.user_agent, "say \"hi\" \\ AB");
}

TEST(AccessLogParserTest, KeepsJunkRequestLinesAsRequestsWithoutMethod) {
  ParsedAccessLine line;
  ASSERT_TRUE(ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] )"
                              R"("\x16\x03\x01\x02" 400 226 "-" "-")",
                              line)
                  .ok());
  EXPECT_EQ(line.status, 400);
  EXPECT_EQ(line.method, "");
  ASSERT_TRUE(
      ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "-" 408 0 "-" "-")", line)
          .ok());
  EXPECT_EQ(line.method, "");
}

TEST(AccessLogParserTest, IgnoresTrailingFieldsAndCarriageReturn) {
  ParsedAccessLine line;
  ASSERT_TRUE(ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] )"
                              R"("GET / HTTP/1.1" 200 5 "-" "x" "203.0.113.9" 0.002)"
                              "\r",
                              line)
                  .ok());
  EXPECT_EQ(line.user_agent, "x");
}

TEST(AccessLogParserTest, AcceptsLowerCaseMonthAndLeapSecond) {
  ParsedAccessLine line;
  ASSERT_TRUE(
      ParseAccessLine(R"(192.0.2.1 - - [31/dec/2016:23:59:60 +0000] "GET / HTTP/1.1" 200 5)", line)
          .ok());
  EXPECT_EQ(line.time_utc, 1483228799);
}

// The control-byte check tests eight bytes at a time: every position of a word, and the
// bytes that must pass (tab, UTF-8 and Latin-1 bytes, '~') next to those that must not.
TEST(AccessLogParserTest, ControlBytesAnywhereAreBinaryJunkButTabAndHighBytesAreNot) {
  const std::string good =
      "192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET /caf\xc3\xa9~\t HTTP/1.1\" 200 5 "
      "\"-\" \"Mozilla/5.0 \xff\x80\x9f\xa0 (X11)\"";
  ParsedAccessLine parsed;
  ASSERT_TRUE(ParseAccessLine(good, parsed).ok());
  for (std::size_t at = 0; at < good.size(); ++at) {
    for (char bad : {'\x00', '\x01', '\x08', '\x0a', '\x1b', '\x1f', '\x7f'}) {
      std::string line = good;
      line[at] = bad;
      ParsedAccessLine out;
      Status status = ParseAccessLine(line, out);
      ASSERT_FALSE(status.ok()) << "byte " << static_cast<int>(bad) << " at " << at;
      EXPECT_NE(status.message().find("binary data"), std::string::npos) << at;
    }
  }
}

// The parser remembers the last valid date: a line repeating it must still have its time,
// offset and digits checked, and a new date must not reuse the remembered day.
TEST(AccessLogParserTest, RepeatedDateStillChecksTimeAndOffset) {
  ParsedAccessLine line;
  ASSERT_TRUE(
      ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5)", line)
          .ok());
  EXPECT_EQ(line.time_utc, 1767261600);  // 2026-01-01T10:00:00Z
  ASSERT_TRUE(
      ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:23:59:60 -0130] "GET / HTTP/1.1" 200 5)", line)
          .ok());
  EXPECT_EQ(line.time_utc, 1767311999 + 5400);
  EXPECT_EQ(line.utc_offset_seconds, -5400);
  Status status =
      ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:24:00:00 +0000] "GET / HTTP/1.1" 200 5)", line);
  EXPECT_NE(status.message().find("time out of range"), std::string::npos) << status.message();
  status =
      ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:10:00:00 +1500] "GET / HTTP/1.1" 200 5)", line);
  EXPECT_NE(status.message().find("UTC offset out of range"), std::string::npos);
  status =
      ParseAccessLine(R"(192.0.2.1 - - [01/Jan/2026:1x:00:00 +0000] "GET / HTTP/1.1" 200 5)", line);
  EXPECT_NE(status.message().find("non-digit"), std::string::npos);
  ASSERT_TRUE(
      ParseAccessLine(R"(192.0.2.1 - - [02/Jan/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5)", line)
          .ok());
  EXPECT_EQ(line.time_utc, 1767261600 + 86400);
  status =
      ParseAccessLine(R"(192.0.2.1 - - [29/Feb/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5)", line);
  EXPECT_NE(status.message().find("no such day"), std::string::npos);
}

struct BadCase {
  const char* line;
  const char* reason_part;
};

class AccessLogParserBadLineTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(AccessLogParserBadLineTest, RejectsWithReason) {
  ParsedAccessLine line;
  Status status = ParseAccessLine(GetParam().line, line);
  ASSERT_FALSE(status.ok()) << GetParam().line;
  EXPECT_NE(status.message().find(GetParam().reason_part), std::string::npos) << status.message();
  // Reasons reach the audit trail: they must never quote the line (and its address).
  EXPECT_EQ(status.message().find("192.0.2.1"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Lines, AccessLogParserBadLineTest,
    ::testing::Values(
        BadCase{
            R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0 (trunc)",
            "unterminated quoted user agent"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-")",
                "truncated: user agent missing"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1")",
                "truncated: status missing"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200)",
                "truncated: byte count missing"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:00:00)", "truncated: unterminated [date]"},
        BadCase{R"(192.0.2.1 - -)", "truncated: no [date]"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1)",
                "unterminated quoted request"},
        BadCase{R"(192.0.2.1 - - [30/Feb/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5)",
                "no such day"},
        BadCase{R"(192.0.2.1 - - [01/Mai/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5)",
                "unknown month"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:25:00:00 +0000] "GET / HTTP/1.1" 200 5)",
                "time out of range"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:00:00:00] "GET / HTTP/1.1" 200 5)", "bad date"},
        BadCase{R"(192.0.2.1 - - [2026-01-01T00:00:00Z] "GET / HTTP/1.1" 200 5)", "bad date"},
        BadCase{R"(192.0.2.1 - - [01/Jan/26:00:00:00 +0000] "GET / HTTP/1.1" 200 5)", "bad date"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 99 5)",
                "bad status"},
        BadCase{R"(192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5k)",
                "bad byte count"},
        BadCase{"192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET \x01\x02 HTTP/1.1\" 200 5",
                "binary data"},
        BadCase{"", "empty line"}));

TEST(HostNamesTest, ReferrerHostAndPagePath) {
  EXPECT_EQ(ReferrerHost("https://User@Www.Example.org:8443/a?b"), "www.example.org");
  EXPECT_EQ(ReferrerHost("-"), "");
  EXPECT_EQ(ReferrerHost("android-app://com.google"), "com.google");
  EXPECT_EQ(ReferrerHost("http://[2001:db8::1]:80/x"), "[2001:db8::1]");
  EXPECT_EQ(PagePath("/a/b.css?x=1#y"), "/a/b.css");
  EXPECT_EQ(PagePath("http://evil.example/p?q"), "/p");
}

TEST(HostNamesTest, VisitorDomainKeepsOnlyTldAndOrganisation) {
  VisitorDomain domain = VisitorDomainOf("crawl-66-249-66-1.googlebot.com");
  EXPECT_EQ(domain.tld, "com");
  EXPECT_EQ(domain.organisation, "googlebot.com");
  domain = VisitorDomainOf("host.Dept.Example.CO.UK");
  EXPECT_EQ(domain.tld, "uk");
  EXPECT_EQ(domain.organisation, "example.co.uk");
  EXPECT_EQ(VisitorDomainOf("192.0.2.1").tld, "");
}

}  // namespace
}  // namespace sunshine
