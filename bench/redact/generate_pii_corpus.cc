// Writes e-mail-like text with planted personal data, deterministically (fixed seed), and a
// truth file listing each planted span ("start<TAB>end<TAB>type", byte offsets).
//   generate_pii_corpus OUT.txt TRUTH.tsv MEGABYTES [SEED]
// Distractors that must NOT be found are planted too: order numbers, amounts, dates, times,
// ZIP+4 codes, version numbers, Luhn-failing card-like numbers and invalid SSNs.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

const std::vector<std::string> kWords = {
    "the",     "meeting",  "report",   "attached", "please",   "review",     "schedule",
    "budget",  "office",   "records",  "request",  "we",       "will",       "need",
    "to",      "discuss",  "before",   "friday",   "and",      "the",        "committee",
    "should",  "approve",  "final",    "version",  "of",       "contract",   "with",
    "vendor",  "by",       "end",      "month",    "also",     "let",        "me",
    "know",    "if",       "you",      "have",     "any",      "questions",  "about",
    "invoice", "payment",  "terms",    "our",      "team",     "is",         "working",
    "on",      "new",      "process",  "for",      "filing",   "annual",     "registration",
    "forms",   "deadline", "was",      "moved",    "next",     "week",       "because",
    "system",  "upgrade",  "thanks",   "for",      "your",     "help",       "regards",
    "gas",     "prices",   "market",   "trading",  "desk",     "sold",       "bought",
    "volume",  "percent",  "increase", "quarter",  "forecast", "data",       "file",
    "copy",    "original", "sent",     "received", "call",     "conference", "room",
    "floor",   "building", "project",  "update",   "status",   "pending",    "approved",
    "denied",  "notice",   "public",   "hearing",  "agenda"};
const std::vector<std::string> kFirst = {"Maria",   "James",    "Linda",   "Robert",    "Patricia",
                                         "Michael", "Jennifer", "William", "Elizabeth", "David",
                                         "Susan",   "Richard",  "Jessica", "Thomas",    "Sarah",
                                         "Charles", "Karen",    "Daniel",  "Nancy",     "Matthew"};
const std::vector<std::string> kLast = {"Okafor",    "Lindqvist", "Brennan",   "Castellano",
                                        "Whitfield", "Nakamura",  "Delacroix", "Fitzgerald",
                                        "Haraldsen", "Montoya",   "Abernathy", "Kowalczyk",
                                        "Oyelaran",  "Pemberton", "Sandoval",  "Thibodeaux"};
const std::vector<std::string> kStreets = {"Elm",     "Maple",     "Capitol", "High",
                                           "Madison", "Jefferson", "Walnut",  "Cedar"};
const std::vector<std::string> kStreetTypes = {"Street", "Ave", "Road", "Drive", "Lane", "Blvd"};

std::mt19937_64 rng;
std::uint64_t Rand(std::uint64_t n) { return rng() % n; }
std::string Digits(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s.push_back(static_cast<char>('0' + Rand(10)));
  }
  return s;
}

std::string LuhnComplete(std::string partial) {  // appends the check digit
  int sum = 0;
  bool twice = true;
  for (auto it = partial.rbegin(); it != partial.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  partial.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return partial;
}

std::string Iban() {  // GB + check + 4 letters + 14 digits, valid mod 97
  std::string bank;
  for (int i = 0; i < 4; ++i) bank.push_back(static_cast<char>('A' + Rand(26)));
  std::string bban = bank + Digits(14);
  std::string rearranged = bban + "GB00";
  int remainder = 0;
  for (char c : rearranged) {
    if (c >= '0' && c <= '9') {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  }
  int check = 98 - remainder;
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%02d", check);
  return "GB" + std::string(buf) + bban;
}

struct Writer {
  std::ofstream text;
  std::ofstream truth;
  std::uint64_t offset = 0;
  void Put(const std::string& s) {
    text << s;
    offset += s.size();
  }
  void Pii(const std::string& s, const char* type) {
    truth << offset << '\t' << offset + s.size() << '\t' << type << '\n';
    Put(s);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: generate_pii_corpus OUT.txt TRUTH.tsv MEGABYTES [SEED]\n";
    return 2;
  }
  rng.seed(argc > 4 ? std::stoull(argv[4]) : 20261129);
  Writer w;
  w.text.open(argv[1], std::ios::binary);
  w.truth.open(argv[2], std::ios::binary);
  const std::uint64_t limit = std::stoull(argv[3]) << 20;
  std::uint64_t message = 0;
  while (w.offset < limit) {
    ++message;
    w.Put("From: ");
    w.Pii("clerk" + std::to_string(Rand(50)) + "@sos.mo.gov", "email");
    w.Put("\nTo: ");
    w.Pii("desk@sos.mo.gov", "email");
    w.Put("\n");
    w.Put("Subject: re: " + kWords[Rand(kWords.size())] + " " + kWords[Rand(kWords.size())] + " #" +
          Digits(6) + "\nDate: Tue, 14 Nov 2000 08:" + Digits(2) + ":00 -0800\n\n");
    int sentences = 8 + static_cast<int>(Rand(20));
    for (int s = 0; s < sentences; ++s) {
      int words = 6 + static_cast<int>(Rand(14));
      for (int i = 0; i < words; ++i) {
        std::string word = kWords[Rand(kWords.size())];
        if (i == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
        w.Put(word);
        w.Put(" ");
        std::uint64_t r = Rand(1000);
        // Planted personal data (about 1 in 250 words) ...
        if (r < 4) {
          std::string ssn;
          do {
            ssn = Digits(3);
          } while (ssn == "000" || ssn == "666" || ssn[0] == '9');
          std::string group = std::to_string(10 + Rand(89));
          std::string serial = std::to_string(1000 + Rand(8999));
          w.Put("SSN ");
          w.Pii(ssn + "-" + group + "-" + serial, "ssn");
          w.Put(" ");
        } else if (r < 8) {
          std::string card = LuhnComplete(std::string("4").append(Digits(14)));
          w.Put("card ");
          w.Pii(Rand(2) ? card
                        : card.substr(0, 4) + " " + card.substr(4, 4) + " " + card.substr(8, 4) +
                              " " + card.substr(12, 4),
                "card");
          w.Put(" ");
        } else if (r < 12) {
          w.Put("call ");
          w.Pii(std::string("(").append(std::to_string(200 + Rand(700))) + ") " +
                    std::to_string(200 + Rand(700)) + "-" + Digits(4),
                "phone");
          w.Put(" ");
        } else if (r < 16) {
          w.Pii(kFirst[Rand(kFirst.size())] + "." + kLast[Rand(kLast.size())] + "@example.com",
                "email");
          w.Put(" ");
        } else if (r < 18) {
          w.Put("from ");
          w.Pii(std::to_string(1 + Rand(223)) + "." + std::to_string(Rand(256)) + "." +
                    std::to_string(Rand(256)) + "." + std::to_string(1 + Rand(254)),
                "ip-address");
          w.Put(" ");
        } else if (r < 19) {
          w.Put("IBAN ");
          w.Pii(Iban(), "iban");
          w.Put(" ");
        } else if (r < 23) {
          w.Put("with ");
          w.Pii(kFirst[Rand(kFirst.size())] + " " + kLast[Rand(kLast.size())], "person");
          w.Put(" ");
        } else if (r < 25) {
          w.Pii(std::to_string(100 + Rand(9900)) + " " + kStreets[Rand(kStreets.size())] + " " +
                    kStreetTypes[Rand(kStreetTypes.size())],
                "street-address");
          w.Put(" ");
          // ... and distractors (about 1 in 60 words).
        } else if (r < 30) {
          w.Put("order " + Digits(9) + " ");
        } else if (r < 35) {
          w.Put(std::string("$").append(std::to_string(Rand(100000))) + "." + Digits(2) + " ");
        } else if (r < 38) {
          w.Put(std::to_string(1 + Rand(12)) + "/" + std::to_string(1 + Rand(28)) + "/20" +
                Digits(2) + " at " + std::to_string(1 + Rand(12)) + ":" + Digits(2) + " ");
        } else if (r < 40) {
          w.Put("MO 651" + Digits(2) + "-" + Digits(4) + " ");
        } else if (r < 42) {
          w.Put("version " + std::to_string(Rand(10)) + "." + std::to_string(Rand(10)) + "." +
                std::to_string(Rand(30)) + " ");
        } else if (r < 43) {
          std::string bad = LuhnComplete(std::string("4").append(Digits(14)));
          bad.back() = static_cast<char>('0' + ((bad.back() - '0' + 1) % 10));
          w.Put("ref " + bad + " ");
        } else if (r < 44) {
          w.Put("id 666-" + std::to_string(10 + Rand(89)) + "-" +
                std::to_string(1000 + Rand(8999)) + " ");
        }
      }
      w.Put(Rand(6) == 0 ? "\n\n" : ". ");
    }
    w.Put("\n\n");
  }
  std::cerr << "generate_pii_corpus: " << message << " messages, " << w.offset << " bytes\n";
  return 0;
}
