#include "engine/redact/validators.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace sunshine::pii {

std::string DigitsOf(std::string_view text) {
  std::string digits;
  digits.reserve(text.size());
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    }
  }
  return digits;
}

namespace {

int Num(std::string_view digits, std::size_t pos, std::size_t len) {
  int value = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    value = value * 10 + (digits[i] - '0');
  }
  return value;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool IsValidSsn(std::string_view digits) {
  if (digits.size() != 9 || !AllDigits(digits)) {
    return false;
  }
  int area = Num(digits, 0, 3);
  int group = Num(digits, 3, 2);
  int serial = Num(digits, 5, 4);
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
    return false;
  }
  // Advertising and well-known sample numbers (SSA): 078-05-1120 and 219-09-9999.
  return digits != "078051120" && digits != "219099999";
}

bool IsValidItin(std::string_view digits) {
  if (digits.size() != 9 || !AllDigits(digits) || digits[0] != '9') {
    return false;
  }
  int middle = Num(digits, 3, 2);
  return (middle >= 50 && middle <= 65) || (middle >= 70 && middle <= 88) ||
         (middle >= 90 && middle <= 92) || (middle >= 94 && middle <= 99);
}

bool LuhnValid(std::string_view digits) {
  if (digits.size() < 2 || !AllDigits(digits)) {
    return false;
  }
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::string_view CardIssuer(std::string_view digits) {
  if (!AllDigits(digits)) {
    return "";
  }
  const std::size_t n = digits.size();
  auto prefix = [&](std::size_t len) { return n >= len ? Num(digits, 0, len) : -1; };
  if (digits[0] == '4' && (n == 13 || n == 16 || n == 19)) {
    return "visa";
  }
  int p2 = prefix(2);
  int p3 = prefix(3);
  int p4 = prefix(4);
  int p6 = prefix(6);
  if (n == 16 && ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))) {
    return "mastercard";
  }
  if (n == 15 && (p2 == 34 || p2 == 37)) {
    return "amex";
  }
  if ((n >= 16 && n <= 19) &&
      (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925))) {
    return "discover";
  }
  if ((n >= 16 && n <= 19) && p4 >= 3528 && p4 <= 3589) {
    return "jcb";
  }
  if ((n == 14 || n == 16) && ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39)) {
    return "diners";
  }
  if ((n >= 16 && n <= 19) && p2 == 62) {
    return "unionpay";
  }
  if ((n >= 12 && n <= 19) && (p2 == 50 || (p2 >= 56 && p2 <= 69))) {
    return "maestro";
  }
  return "";
}

bool IsValidAbaRouting(std::string_view digits) {
  if (digits.size() != 9 || !AllDigits(digits)) {
    return false;
  }
  int p = Num(digits, 0, 2);
  if (!((p <= 12) || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80)) {
    return false;
  }
  auto d = [&](int i) { return digits[static_cast<std::size_t>(i)] - '0'; };
  int sum = 3 * (d(0) + d(3) + d(6)) + 7 * (d(1) + d(4) + d(7)) + (d(2) + d(5) + d(8));
  return sum % 10 == 0 && digits != "000000000";
}

namespace {

// IBAN lengths by country (ISO 13616 registry, SWIFT release of 2023).
int IbanLength(char a, char b) {
  struct Entry {
    char code[3];
    int length;
  };
  static constexpr std::array<Entry, 89> kLengths = {{
      {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
      {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
      {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
      {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
      {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
      {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30},
      {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21},
      {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
      {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
      {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33},
      {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
      {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29},
      {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30}, {"MG", 27},
  }};
  for (const Entry& entry : kLengths) {
    if (entry.code[0] == a && entry.code[1] == b) {
      return entry.length;
    }
  }
  return 0;
}

}  // namespace

bool IsValidIban(std::string_view text) {
  std::string iban;
  for (char c : text) {
    if (c == ' ' || c == '-') {
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      return false;
    }
    iban.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (iban.size() < 15 || iban.size() > 34 || !std::isalpha(static_cast<unsigned char>(iban[0])) ||
      !std::isalpha(static_cast<unsigned char>(iban[1])) ||
      !std::isdigit(static_cast<unsigned char>(iban[2])) ||
      !std::isdigit(static_cast<unsigned char>(iban[3]))) {
    return false;
  }
  int expected = IbanLength(iban[0], iban[1]);
  if (expected == 0 || static_cast<int>(iban.size()) != expected) {
    return false;
  }
  std::string rotated = iban.substr(4) + iban.substr(0, 4);
  int remainder = 0;
  for (char c : rotated) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      int value = c - 'A' + 10;
      remainder = (remainder * 100 + value) % 97;
    }
  }
  return remainder == 1;
}

bool IsValidIpv4(std::string_view text) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= text.size()) {
    std::size_t j = i;
    int value = 0;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9' && j - i < 3) {
      value = value * 10 + (text[j] - '0');
      ++j;
    }
    if (j == i || value > 255 || (j - i > 1 && text[i] == '0')) {
      return false;
    }
    ++parts;
    if (j == text.size()) {
      break;
    }
    if (text[j] != '.') {
      return false;
    }
    i = j + 1;
  }
  return parts == 4;
}

bool IsValidIpv6(std::string_view text) {
  if (text.size() < 3 || text.size() > 45) {
    return false;
  }
  std::size_t colons = static_cast<std::size_t>(std::count(text.begin(), text.end(), ':'));
  bool compressed = text.find("::") != std::string_view::npos;
  if (colons < 3 && !(compressed && colons >= 2 && text.size() >= 4)) {
    return false;
  }
  std::string copy(text);
  unsigned char buffer[16];
  return inet_pton(AF_INET6, copy.c_str(), buffer) == 1;
}

}  // namespace sunshine::pii
