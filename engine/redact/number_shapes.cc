#include "engine/redact/number_shapes.h"

#include <algorithm>

namespace sunshine::pii {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// Hand-written matchers for the fixed digit shapes. Number windows are small and many, and
// for these shapes the fixed cost of an RE2 call was most of the work. Each returns the same
// leftmost(-first) match as the RE2 pattern it replaces would in text[from, to), with the
// bytes around as context for \b, as RE2::Match(text, from, to) does.

// \b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b|\b\d{3}\.\d{2}\.\d{4}\b|\b\d{9}\b
bool FindSsnShape(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  auto digits = [&](std::size_t at, std::size_t count) {
    for (std::size_t k = at; k < at + count; ++k) {
      if (!IsDigit(text[k])) {
        return false;
      }
    }
    return true;
  };
  for (std::size_t s = from; s + 9 <= to; ++s) {
    if (!IsDigit(text[s]) || !Re2BoundaryBefore(text, s) || !digits(s + 1, 2)) {
      continue;
    }
    char separator = text[s + 3];
    if (separator == '-' || separator == ' ' || separator == '.') {
      if (s + 11 <= to && digits(s + 4, 2) && text[s + 6] == separator && digits(s + 7, 4) &&
          Re2BoundaryAfter(text, s + 11)) {
        *match = {s, s + 11};
        return true;
      }
    } else if (digits(s + 3, 6) && Re2BoundaryAfter(text, s + 9)) {
      *match = {s, s + 9};
      return true;
    }
  }
  return false;
}

// \b\d(?:[ \-]?\d){min-1,max-1}\b (digit runs) and \b(?:\d[ \-]?){min-1,max-1}\d\b (cards):
// both are min to max digits, each after at most one space or dash; greedy, so the most
// digits that end on a word boundary.
bool FindDigitGroups(std::string_view text, std::size_t from, std::size_t to,
                     std::size_t min_digits, std::size_t max_digits, TextRange* match) {
  constexpr std::size_t kMaxDigits = 24;
  std::size_t ends[kMaxDigits];
  max_digits = std::min(max_digits, kMaxDigits);
  for (std::size_t s = from; s < to; ++s) {
    if (!IsDigit(text[s]) || !Re2BoundaryBefore(text, s)) {
      continue;
    }
    std::size_t count = 0;
    std::size_t p = s;
    while (true) {
      ends[count++] = p + 1;
      if (count == max_digits) {
        break;
      }
      std::size_t next = p + 1;
      if (next < to && (text[next] == ' ' || text[next] == '-')) {
        ++next;
      }
      if (next >= to || !IsDigit(text[next])) {
        break;
      }
      p = next;
    }
    for (std::size_t n = count; n >= min_digits && n > 0; --n) {
      if (Re2BoundaryAfter(text, ends[n - 1])) {
        *match = {s, ends[n - 1]};
        return true;
      }
    }
    // No later start inside this run can follow a word boundary except after a separator:
    // the loop visits those.
  }
  return false;
}

namespace {

// What the two phone matchers share: the window, RE2's \b, and the extension tail.
class PhoneCursor {
 public:
  static constexpr std::size_t kNone = std::string_view::npos;

 protected:
  PhoneCursor(std::string_view text, std::size_t to) : text_(text), to_(to) {}

  bool At(std::size_t p, char c) const { return p < to_ && text_[p] == c; }
  std::size_t Run(std::size_t p, std::size_t max) const {  // digits at p, at most max
    std::size_t n = 0;
    while (n < max && p + n < to_ && IsDigit(text_[p + n])) {
      ++n;
    }
    return n;
  }
  bool Separator(std::size_t p) const {
    return p < to_ && (text_[p] == ' ' || text_[p] == '.' || text_[p] == '-');
  }
  // RE2's \b at p, with the whole text as context (p may be at or after to_).
  bool Boundary(std::size_t p) const {
    bool before = p > 0 && IsRe2WordChar(text_[p - 1]);
    bool after = p < text_.size() && IsRe2WordChar(text_[p]);
    return before != after;
  }

  // (?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?\b; the international shape has no
  // "extension" word.
  std::size_t Tail(std::size_t p, bool extension_word) const {
    for (int space = At(p, ' ') ? 1 : 0; space >= 0; --space) {
      std::size_t q = p + static_cast<std::size_t>(space);
      std::size_t words[3];
      int word_count = 0;
      if (At(q, 'x')) {
        words[word_count++] = q + 1;
      } else if (At(q, 'e') && At(q + 1, 'x') && At(q + 2, 't')) {
        if (At(q + 3, '.')) {
          words[word_count++] = q + 4;
        }
        words[word_count++] = q + 3;
        if (extension_word && At(q + 3, 'e') && At(q + 4, 'n') && At(q + 5, 's') &&
            At(q + 6, 'i') && At(q + 7, 'o') && At(q + 8, 'n')) {
          words[word_count++] = q + 9;
        }
      }
      for (int w = 0; w < word_count; ++w) {
        for (int space2 = At(words[w], ' ') ? 1 : 0; space2 >= 0; --space2) {
          std::size_t d = words[w] + static_cast<std::size_t>(space2);
          for (std::size_t n = Run(d, 6); n >= 1; --n) {
            if (Boundary(d + n)) {
              return d + n;
            }
          }
        }
      }
    }
    return Boundary(p) ? p : kNone;
  }

  std::string_view text_;
  std::size_t to_;
};

// The international phone shape, patterns.intl:
//   (?:\+|\b00|\B\(|\b)\(?\d{1,5}\)?(?:[ .\-]{1,2}\(?\d{1,8}\)?){1,6}
//   (?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?\b
// It runs in most number windows, and an RE2 call per window cost more than the matching.
// This is a backtracking matcher for exactly that pattern that tries the alternatives in
// RE2's (Perl's) priority order, so it returns RE2's leftmost-first match.
class IntlPhoneMatcher : public PhoneCursor {
 public:
  IntlPhoneMatcher(std::string_view text, std::size_t to) : PhoneCursor(text, to) {}

  // The end of the match starting at `s`, or npos.
  std::size_t MatchAt(std::size_t s) const {
    if (s >= to_) {
      return kNone;
    }
    std::size_t end = kNone;
    char c = text_[s];
    if (c == '+' && (end = Body(s + 1)) != kNone) {
      return end;
    }
    bool boundary = Boundary(s);
    if (boundary && c == '0' && s + 2 <= to_ && text_[s + 1] == '0' &&
        (end = Body(s + 2)) != kNone) {
      return end;
    }
    if (!boundary && c == '(' && (end = Body(s + 1)) != kNone) {
      return end;
    }
    if (boundary) {
      return Body(s);
    }
    return kNone;
  }

 private:
  // \(?\d{1,5}\)? then the groups.
  std::size_t Body(std::size_t p) const {
    for (int open = At(p, '(') ? 1 : 0; open >= 0; --open) {
      std::size_t q = p + static_cast<std::size_t>(open);
      for (std::size_t n = Run(q, 5); n >= 1; --n) {
        std::size_t r = q + n;
        for (int close = At(r, ')') ? 1 : 0; close >= 0; --close) {
          std::size_t end = Groups(r + static_cast<std::size_t>(close), 0);
          if (end != kNone) {
            return end;
          }
        }
      }
    }
    return kNone;
  }

  // (?:[ .\-]{1,2}\(?\d{1,8}\)?){1,6} after `done` repetitions, then the tail.
  std::size_t Groups(std::size_t p, int done) const {
    if (done < 6) {
      int separators = Separator(p) ? (Separator(p + 1) ? 2 : 1) : 0;
      for (int k = separators; k >= 1; --k) {
        std::size_t q0 = p + static_cast<std::size_t>(k);
        for (int open = At(q0, '(') ? 1 : 0; open >= 0; --open) {
          std::size_t q = q0 + static_cast<std::size_t>(open);
          for (std::size_t n = Run(q, 8); n >= 1; --n) {
            std::size_t r = q + n;
            for (int close = At(r, ')') ? 1 : 0; close >= 0; --close) {
              std::size_t end = Groups(r + static_cast<std::size_t>(close), done + 1);
              if (end != kNone) {
                return end;
              }
            }
          }
        }
      }
    }
    if (done == 0) {
      return kNone;
    }
    return Tail(p, /*extension_word=*/false);
  }
};

// The NANP phone shape, patterns.nanp:
//   (?:\+?1[ .\-]?)?(?:\(\d{3}\)[ ]?|\b\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}
//   (?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?\b
// Matched by hand for the same reason and in the same way as IntlPhoneMatcher.
class NanpPhoneMatcher : public PhoneCursor {
 public:
  NanpPhoneMatcher(std::string_view text, std::size_t to) : PhoneCursor(text, to) {}

  std::size_t MatchAt(std::size_t s) const {
    // (?:\+?1[ .\-]?)? : taking the prefix comes first.
    for (int plus = At(s, '+') ? 1 : 0; plus >= 0; --plus) {
      std::size_t q = s + static_cast<std::size_t>(plus);
      if (!At(q, '1')) {
        continue;
      }
      ++q;
      for (int separator = Separator(q) ? 1 : 0; separator >= 0; --separator) {
        std::size_t end = Main(q + static_cast<std::size_t>(separator));
        if (end != kNone) {
          return end;
        }
      }
    }
    return Main(s);
  }

 private:
  bool Digits(std::size_t p, std::size_t count) const {
    if (p + count > to_) {
      return false;
    }
    for (std::size_t k = p; k < p + count; ++k) {
      if (!IsDigit(text_[k])) {
        return false;
      }
    }
    return true;
  }

  // (?:\(\d{3}\)[ ]?|\b\d{3}[ .\-]?) then the rest.
  std::size_t Main(std::size_t p) const {
    if (At(p, '(') && Digits(p + 1, 3) && At(p + 4, ')')) {
      for (int space = At(p + 5, ' ') ? 1 : 0; space >= 0; --space) {
        std::size_t end = Rest(p + 5 + static_cast<std::size_t>(space));
        if (end != kNone) {
          return end;
        }
      }
    }
    if (Boundary(p) && Digits(p, 3)) {
      for (int separator = Separator(p + 3) ? 1 : 0; separator >= 0; --separator) {
        std::size_t end = Rest(p + 3 + static_cast<std::size_t>(separator));
        if (end != kNone) {
          return end;
        }
      }
    }
    return kNone;
  }

  // \d{3}[ .\-]?\d{4} then the extension and \b.
  std::size_t Rest(std::size_t p) const {
    if (!Digits(p, 3)) {
      return kNone;
    }
    for (int separator = Separator(p + 3) ? 1 : 0; separator >= 0; --separator) {
      std::size_t q = p + 3 + static_cast<std::size_t>(separator);
      if (Digits(q, 4)) {
        std::size_t end = Tail(q + 4, /*extension_word=*/true);
        if (end != kNone) {
          return end;
        }
      }
    }
    return kNone;
  }
};

}  // namespace

bool FindNanpPhone(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  NanpPhoneMatcher matcher(text, to);
  for (std::size_t s = from; s < to; ++s) {
    char c = text[s];
    // After a word character only the "1" of the optional prefix can begin a match.
    if (IsDigit(c) ? (c != '1' && !Re2BoundaryBefore(text, s)) : (c != '+' && c != '(')) {
      continue;
    }
    std::size_t end = matcher.MatchAt(s);
    if (end != NanpPhoneMatcher::kNone) {
      *match = {s, end};
      return true;
    }
  }
  return false;
}

bool FindIntlPhone(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  IntlPhoneMatcher matcher(text, to);
  for (std::size_t s = from; s < to; ++s) {
    char c = text[s];
    // A digit after a word character can begin no alternative of the pattern.
    if (IsDigit(c) ? !Re2BoundaryBefore(text, s) : (c != '+' && c != '(')) {
      continue;
    }
    std::size_t end = matcher.MatchAt(s);
    if (end != IntlPhoneMatcher::kNone) {
      *match = {s, end};
      return true;
    }
  }
  return false;
}

}  // namespace sunshine::pii
