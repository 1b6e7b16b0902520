/* The vector layer for AVX2 (+FMA, BMI2): 256-bit vectors of 8 uint32 lanes.
 * Same names as simd/avx512/vec.h; see there. */
#ifndef SM_VEC_AVX2_H
#define SM_VEC_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SMV_ISA avx2
#define SMV_W 8
#define SMV_BYTES 32

typedef __m256i smv;

static inline smv smv_load(const void *p) { return _mm256_loadu_si256((const __m256i *)p); }
static inline void smv_store(void *p, smv v) { _mm256_storeu_si256((__m256i *)p, v); }
static inline void smv_stream(void *p, smv v) { _mm256_stream_si256((__m256i *)p, v); }
static inline void smv_sfence(void) { _mm_sfence(); }
static inline smv smv_set1(uint32_t x) { return _mm256_set1_epi32((int)x); }
static inline smv smv_set1_64(uint64_t x) { return _mm256_set1_epi64x((long long)x); }
static inline smv smv_add32(smv a, smv b) { return _mm256_add_epi32(a, b); }
static inline smv smv_and(smv a, smv b) { return _mm256_and_si256(a, b); }
static inline smv smv_xor(smv a, smv b) { return _mm256_xor_si256(a, b); }
static inline smv smv_xor3(smv a, smv b, smv c) { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
/* a with its high 32-bit halves xored by b's and c's. */
static inline smv smv_xor3_hi32(smv a, smv b, smv c)
{
    return _mm256_blend_epi32(a, smv_xor3(a, b, c), 0xAA);
}
static inline smv smv_xor_and(smv a, smv b, smv c) { return _mm256_xor_si256(a, _mm256_and_si256(b, c)); }
static inline smv smv_bitsel(smv m, smv a, smv b)
{
    return _mm256_or_si256(_mm256_and_si256(m, a), _mm256_andnot_si256(m, b));
}
#define smv_srli32(a, n) _mm256_srli_epi32((a), (n))
#define smv_slli32(a, n) _mm256_slli_epi32((a), (n))
#define smv_srai32(a, n) _mm256_srai_epi32((a), (n))
#define smv_srli64(a, n) _mm256_srli_epi64((a), (n))
static inline smv smv_mul_epu32(smv a, smv b) { return _mm256_mul_epu32(a, b); }
static inline smv smv_swap32(smv a) { return _mm256_shuffle_epi32(a, 0xB1); }
static inline smv smv_unpacklo64(smv a, smv b) { return _mm256_unpacklo_epi64(a, b); }
static inline smv smv_unpackhi64(smv a, smv b) { return _mm256_unpackhi_epi64(a, b); }

static inline void smv_store_u24f(float *p, smv x)
{
    _mm256_storeu_ps(p, _mm256_mul_ps(_mm256_cvtepi32_ps(x), _mm256_set1_ps(1.0f / 16777216.0f)));
}

/* a >= b unsigned <=> max(a, b) == a. */
static inline smv smv_ge_u32(smv a, smv b) { return _mm256_cmpeq_epi32(_mm256_max_epu32(a, b), a); }

/* Low byte of each lane, 8 bytes: gather the low bytes within each 128-bit
 * half, then bring the two 4-byte groups together. */
static inline void smv_store_u8(uint8_t *p, smv x)
{
    const __m256i pick = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                          0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    __m256i b = _mm256_shuffle_epi8(x, pick);
    __m128i lo = _mm256_castsi256_si128(b), hi = _mm256_extracti128_si256(b, 1);
    _mm_storel_epi64((__m128i *)p, _mm_unpacklo_epi32(lo, hi));
}

static inline void smv_store_widen(int64_t *p, smv x)
{
    _mm256_storeu_si256((__m256i *)p, _mm256_cvtepu32_epi64(_mm256_castsi256_si128(x)));
    _mm256_storeu_si256((__m256i *)(p + 4), _mm256_cvtepu32_epi64(_mm256_extracti128_si256(x, 1)));
}

/* Copies n < 32 bytes with two overlapping moves of the largest size that
 * fits (16, 8, 4, 2 or 1 bytes): no byte past n is touched. AVX2's
 * vpmaskmov stores are slow on AMD, so no masks here. */
static inline void smv_copy_small(void *d, const void *s, size_t n)
{
    char *dc = d;
    const char *sc = s;
    if (n >= 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)sc), b = _mm_loadu_si128((const __m128i *)(sc + n - 16));
        _mm_storeu_si128((__m128i *)dc, a);
        _mm_storeu_si128((__m128i *)(dc + n - 16), b);
    } else if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, sc, 8), memcpy(&b, sc + n - 8, 8);
        memcpy(dc, &a, 8), memcpy(dc + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, sc, 4), memcpy(&b, sc + n - 4, 4);
        memcpy(dc, &a, 4), memcpy(dc + n - 4, &b, 4);
    } else if (n >= 2) {
        uint16_t a, b;
        memcpy(&a, sc, 2), memcpy(&b, sc + n - 2, 2);
        memcpy(dc, &a, 2), memcpy(dc + n - 2, &b, 2);
    } else if (n) {
        *dc = *sc;
    }
}

static inline void smv_prefetch(const void *p) { _mm_prefetch((const char *)p, _MM_HINT_T0); }

#endif
