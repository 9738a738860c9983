// The name gazetteer (data/names/*.txt, see data/names/README.md), embedded into the binary at
// configure time by engine/redact/CMakeLists.txt so that detection needs no data files.
#pragma once

#include <string_view>

namespace sunshine::pii {

std::string_view EmbeddedGivenNames();      // "name<TAB>births" lines, lower case
std::string_view EmbeddedSurnames();        // "name[<TAB>w]" lines, ASCII folded to lower case
std::string_view EmbeddedAmbiguousNames();  // given names that are also English words
std::string_view EmbeddedPolicyText();      // data/redaction/policy.toml

}  // namespace sunshine::pii
