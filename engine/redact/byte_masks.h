// Byte classes of 16 bytes at once (SSE2), shared by the scanner's hand matchers and passes:
// each finds its candidate bytes 16 at a time rather than with a branch per byte, which
// mispredicts at every word or digit edge.
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>

#include <cstddef>

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

// Stores the 16 bytes of v at `out` (16 bytes, aligned) with ASCII capitals folded to small
// letters (`upper`: BytesInRange(v, 'A', 'Z')) and the bytes from `length` on set to zero: the
// zero-padded key the gazetteer's look-ups take from the 16-byte word paths.
inline void StoreFoldedKey(char* out, __m128i v, __m128i upper, std::size_t length) {
  __m128i in_key =
      _mm_cmplt_epi8(_mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                     _mm_set1_epi8(static_cast<char>(length)));
  __m128i folded = _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
  _mm_store_si128(reinterpret_cast<__m128i*>(out), _mm_and_si128(in_key, folded));
}

}  // namespace sunshine::pii

#endif
