// Byte classes of 16 bytes at once (SSE2), shared by the scanner's hand matchers and passes:
// each finds its candidate bytes 16 at a time rather than with a branch per byte, which
// mispredicts at every word or digit edge.
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>

namespace sunshine::pii {

// 0xFF in each byte of v that is in [lo, hi] (unsigned; hi - lo < 127), else 0. SSE2 has only
// signed byte compares: v - lo - 128 is below hi - lo - 127 as a signed byte iff v is in range.
inline __m128i BytesInRange(__m128i v, unsigned char lo, unsigned char hi) {
  __m128i shifted = _mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(lo ^ 0x80)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(hi - lo - 127)));
}

// Bit k: byte k of v is in [lo, hi].
inline unsigned InRangeBits(__m128i v, unsigned char lo, unsigned char hi) {
  return static_cast<unsigned>(_mm_movemask_epi8(BytesInRange(v, lo, hi)));
}

}  // namespace sunshine::pii

#endif
