// Check-digit and range validators for the structured PII detectors. Pure functions over the
// candidate's characters; separators (space, dash, dot) are ignored where the format allows.
#pragma once

#include <string>
#include <string_view>

namespace sunshine::pii {

// Digits of `text` in order, everything else dropped.
std::string DigitsOf(std::string_view text);

// SSA randomization rules (ssa.gov/employer/randomizationfaqs.html): area not 000, 666 or
// 900-999; group not 00; serial not 0000. `digits` must be 9 digits.
bool IsValidSsn(std::string_view digits);
// IRS ITIN: 9NN-NN-NNNN with the 4th-5th digits in 50-65, 70-88, 90-92 or 94-99.
bool IsValidItin(std::string_view digits);

bool LuhnValid(std::string_view digits);
// Card brand by issuer identification number and length, or "" if no known issuer uses
// that prefix with that length (Visa, Mastercard incl. 2221-2720, Amex, Discover, JCB,
// Diners Club, UnionPay, Maestro).
std::string_view CardIssuer(std::string_view digits);

// ABA routing number checksum: 3*(d1+d4+d7) + 7*(d2+d5+d8) + (d3+d6+d9) = 0 mod 10, and a
// valid Federal Reserve prefix (00-12, 21-32, 61-72, 80).
bool IsValidAbaRouting(std::string_view digits);

// IBAN: country code with its registered length, then ISO 7064 mod-97 = 1. `text` may hold
// spaces and lower-case letters.
bool IsValidIban(std::string_view text);

bool IsValidIpv4(std::string_view text);
// inet_pton-valid and written with at least three groups or "::" (so "12:53:39" is not one).
bool IsValidIpv6(std::string_view text);

}  // namespace sunshine::pii
