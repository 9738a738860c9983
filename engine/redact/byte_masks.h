// Byte classes of 16 bytes at once (SSE2; 32 with AVX2 for the passes over the whole text),
// shared by the scanner's hand matchers and passes: each finds its candidate bytes 16 or 32 at
// a time rather than with a branch per byte, which mispredicts at every word or digit edge.
#pragma once

namespace sunshine::pii {

// Which vector path a pass runs (below): the widest the CPU has, or one named by a test that
// compares the two.
enum class VectorPath { kBest, kSse2, kAvx2 };

}  // namespace sunshine::pii

#if defined(__SSE2__)
#include <emmintrin.h>
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

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

// The whole-text passes' vector code is written once, as templates over one of these two byte
// vector types, and instantiated for each: SSE2 (16 bytes, every x86-64 CPU) and AVX2 (32
// bytes, chosen at run time). On AVX2, FindTriggerShapes took 19% fewer instructions, the
// word pass's blocks 17% and ForEachWordStart's 50% fewer: 5.3% of the scan's in all, and
// about 3% of its CPU time on the bench corpus. Each AVX2 member carries target("avx2") itself,
// so this header compiles the same in every translation unit (no -mavx2 anywhere; one
// definition of each inline function). The AVX2 instantiations are compiled in a
// target("avx2") region (SUNSHINE_AVX2_BEGIN below) and called only when Avx2Supported().
struct Sse2Bytes {
  using Vec = __m128i;
  static constexpr std::size_t kWidth = 16;
  static Vec Load(const char* at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at)); }
  static Vec Splat(char c) { return _mm_set1_epi8(c); }
  static Vec Eq(Vec v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); }
  static Vec Or(Vec a, Vec b) { return _mm_or_si128(a, b); }
  static Vec And(Vec a, Vec b) { return _mm_and_si128(a, b); }
  static Vec Add(Vec a, Vec b) { return _mm_add_epi8(a, b); }
  static Vec Sub(Vec a, Vec b) { return _mm_sub_epi8(a, b); }
  static Vec MinUnsigned(Vec a, Vec b) { return _mm_min_epu8(a, b); }
  static Vec Less(Vec a, Vec b) { return _mm_cmplt_epi8(a, b); }  // signed
  static Vec Equal(Vec a, Vec b) { return _mm_cmpeq_epi8(a, b); }
  // `at` aligned to 16.
  static void Store(void* at, Vec v) { _mm_store_si128(reinterpret_cast<__m128i*>(at), v); }
  static Vec InRange(Vec v, unsigned char lo, unsigned char hi) { return BytesInRange(v, lo, hi); }
  // Bit k: byte k of v has its top bit set.
  static std::uint64_t Bits(Vec v) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v)));
  }
};

struct Avx2Bytes {
  using Vec = __m256i;
  static constexpr std::size_t kWidth = 32;
  [[gnu::target("avx2")]] static Vec Load(const char* at) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
  }
  [[gnu::target("avx2")]] static Vec Splat(char c) { return _mm256_set1_epi8(c); }
  [[gnu::target("avx2")]] static Vec Eq(Vec v, char c) {
    return _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c));
  }
  [[gnu::target("avx2")]] static Vec Or(Vec a, Vec b) { return _mm256_or_si256(a, b); }
  [[gnu::target("avx2")]] static Vec And(Vec a, Vec b) { return _mm256_and_si256(a, b); }
  [[gnu::target("avx2")]] static Vec Add(Vec a, Vec b) { return _mm256_add_epi8(a, b); }
  [[gnu::target("avx2")]] static Vec Sub(Vec a, Vec b) { return _mm256_sub_epi8(a, b); }
  [[gnu::target("avx2")]] static Vec MinUnsigned(Vec a, Vec b) { return _mm256_min_epu8(a, b); }
  [[gnu::target("avx2")]] static Vec Less(Vec a, Vec b) { return _mm256_cmpgt_epi8(b, a); }
  [[gnu::target("avx2")]] static Vec Equal(Vec a, Vec b) { return _mm256_cmpeq_epi8(a, b); }
  // `at` aligned to 32.
  [[gnu::target("avx2")]] static void Store(void* at, Vec v) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(at), v);
  }
  // As BytesInRange (AVX2 too has only signed byte compares, and only "greater").
  [[gnu::target("avx2")]] static Vec InRange(Vec v, unsigned char lo, unsigned char hi) {
    Vec shifted = _mm256_sub_epi8(v, _mm256_set1_epi8(static_cast<char>(lo ^ 0x80)));
    return _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(hi - lo - 127)), shifted);
  }
  [[gnu::target("avx2")]] static std::uint64_t Bits(Vec v) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm256_movemask_epi8(v)));
  }
};

// Whether this CPU (and OS) runs AVX2 code: libgcc's CPU model, read once. (Initialised here
// too: a first call from another translation unit's static constructor may come before
// libgcc's own.)
inline bool Avx2Supported() {
  static const bool kSupported = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return kSupported;
}

inline bool UseAvx2(VectorPath path) {
  return path == VectorPath::kAvx2 || (path == VectorPath::kBest && Avx2Supported());
}

}  // namespace sunshine::pii

// Functions defined between these two (the AVX2 instantiations' templates, each in its own
// namespace, in a .inc file included once per path) are compiled for AVX2, lambdas in them too.
#if defined(__clang__)
#define SUNSHINE_AVX2_BEGIN \
  _Pragma("clang attribute push(__attribute__((target(\"avx2\"))), apply_to = function)")
#define SUNSHINE_AVX2_END _Pragma("clang attribute pop")
#else
#define SUNSHINE_AVX2_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx2\")")
#define SUNSHINE_AVX2_END _Pragma("GCC pop_options")
#endif

#endif
