#include "engine/redact/validators.h"

#include <gtest/gtest.h>

namespace sunshine::pii {
namespace {

TEST(ValidatorsTest, SsnFollowsSsaRules) {
  EXPECT_TRUE(IsValidSsn("536323065"));
  EXPECT_TRUE(IsValidSsn("012527174"));
  EXPECT_FALSE(IsValidSsn("000123456"));  // area 000
  EXPECT_FALSE(IsValidSsn("666123456"));  // area 666
  EXPECT_FALSE(IsValidSsn("912345678"));  // area 900-999
  EXPECT_FALSE(IsValidSsn("123004567"));  // group 00
  EXPECT_FALSE(IsValidSsn("123450000"));  // serial 0000
  EXPECT_FALSE(IsValidSsn("078051120"));  // the Woolworth wallet sample
  EXPECT_FALSE(IsValidSsn("12345678"));
}

TEST(ValidatorsTest, ItinRanges) {
  EXPECT_TRUE(IsValidItin("912701234"));
  EXPECT_TRUE(IsValidItin("900501234"));
  EXPECT_FALSE(IsValidItin("900931234"));  // 93 is an ATIN
  EXPECT_FALSE(IsValidItin("812701234"));
}

TEST(ValidatorsTest, LuhnAndIssuers) {
  EXPECT_TRUE(LuhnValid("4929578569339117"));
  EXPECT_FALSE(LuhnValid("4929578569339118"));
  EXPECT_EQ(CardIssuer("4929578569339117"), "visa");
  EXPECT_EQ(CardIssuer("5210402405591275"), "mastercard");
  EXPECT_EQ(CardIssuer("2221000000000009"), "mastercard");
  EXPECT_EQ(CardIssuer("378282246310005"), "amex");
  EXPECT_EQ(CardIssuer("6011111111111117"), "discover");
  EXPECT_EQ(CardIssuer("1234567812345670"), "");  // passes Luhn, no issuer
  EXPECT_TRUE(LuhnValid("1234567812345670"));
}

TEST(ValidatorsTest, AbaRouting) {
  EXPECT_TRUE(IsValidAbaRouting("011000015"));   // Federal Reserve Bank of Boston
  EXPECT_TRUE(IsValidAbaRouting("081000210"));   // St. Louis Fed
  EXPECT_FALSE(IsValidAbaRouting("081000211"));  // checksum
  EXPECT_FALSE(IsValidAbaRouting("991000210"));  // prefix
}

TEST(ValidatorsTest, Iban) {
  EXPECT_TRUE(IsValidIban("GB82WEST12345698765432"));
  EXPECT_TRUE(IsValidIban("GB82 WEST 1234 5698 7654 32"));
  EXPECT_TRUE(IsValidIban("de89370400440532013000"));
  EXPECT_FALSE(IsValidIban("GB82WEST12345698765433"));  // mod 97
  EXPECT_FALSE(IsValidIban("GB82WEST1234569876543"));   // GB length is 22
  EXPECT_FALSE(IsValidIban("XX82WEST12345698765432"));  // no such country
}

TEST(ValidatorsTest, IpAddresses) {
  EXPECT_TRUE(IsValidIpv4("207.155.150.156"));
  EXPECT_FALSE(IsValidIpv4("256.1.1.1"));
  EXPECT_FALSE(IsValidIpv4("1.2.3"));
  EXPECT_FALSE(IsValidIpv4("01.2.3.4"));
  EXPECT_TRUE(IsValidIpv6("d80:e4b5:79da:6cf6:71f3:51f7:9161:c319"));
  EXPECT_TRUE(IsValidIpv6("2001:db8::1"));
  EXPECT_FALSE(IsValidIpv6("12:53:39"));  // a time
  EXPECT_FALSE(IsValidIpv6("g80:e4b5:79da:6cf6:71f3:51f7:9161:c319"));
}

}  // namespace
}  // namespace sunshine::pii
