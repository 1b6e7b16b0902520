/* The vector layer for SSE4.1/4.2 (+POPCNT): 128-bit vectors of 4 uint32
 * lanes. Same names as simd/avx512/vec.h; see there. */
#ifndef SM_VEC_SSE4_H
#define SM_VEC_SSE4_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SMV_ISA sse4
#define SMV_W 4
#define SMV_BYTES 16

typedef __m128i smv;

static inline smv smv_load(const void *p) { return _mm_loadu_si128((const __m128i *)p); }
static inline void smv_store(void *p, smv v) { _mm_storeu_si128((__m128i *)p, v); }
static inline void smv_stream(void *p, smv v) { _mm_stream_si128((__m128i *)p, v); }
static inline void smv_sfence(void) { _mm_sfence(); }
static inline smv smv_set1(uint32_t x) { return _mm_set1_epi32((int)x); }
static inline smv smv_set1_64(uint64_t x) { return _mm_set1_epi64x((long long)x); }
static inline smv smv_add32(smv a, smv b) { return _mm_add_epi32(a, b); }
static inline smv smv_and(smv a, smv b) { return _mm_and_si128(a, b); }
static inline smv smv_xor(smv a, smv b) { return _mm_xor_si128(a, b); }
static inline smv smv_xor3(smv a, smv b, smv c) { return _mm_xor_si128(_mm_xor_si128(a, b), c); }
/* a with its high 32-bit halves xored by b's and c's. */
static inline smv smv_xor3_hi32(smv a, smv b, smv c)
{
    return _mm_blend_epi16(a, smv_xor3(a, b, c), 0xCC);
}
static inline smv smv_xor_and(smv a, smv b, smv c) { return _mm_xor_si128(a, _mm_and_si128(b, c)); }
static inline smv smv_bitsel(smv m, smv a, smv b) { return _mm_or_si128(_mm_and_si128(m, a), _mm_andnot_si128(m, b)); }
#define smv_srli32(a, n) _mm_srli_epi32((a), (n))
#define smv_slli32(a, n) _mm_slli_epi32((a), (n))
#define smv_srai32(a, n) _mm_srai_epi32((a), (n))
#define smv_srli64(a, n) _mm_srli_epi64((a), (n))
static inline smv smv_mul_epu32(smv a, smv b) { return _mm_mul_epu32(a, b); }
static inline smv smv_swap32(smv a) { return _mm_shuffle_epi32(a, 0xB1); }
static inline smv smv_unpacklo64(smv a, smv b) { return _mm_unpacklo_epi64(a, b); }
static inline smv smv_unpackhi64(smv a, smv b) { return _mm_unpackhi_epi64(a, b); }

static inline void smv_store_u24f(float *p, smv x)
{
    _mm_storeu_ps(p, _mm_mul_ps(_mm_cvtepi32_ps(x), _mm_set1_ps(1.0f / 16777216.0f)));
}

static inline smv smv_ge_u32(smv a, smv b) { return _mm_cmpeq_epi32(_mm_max_epu32(a, b), a); }

static inline void smv_store_u8(uint8_t *p, smv x)
{
    const __m128i pick = _mm_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    uint32_t v = (uint32_t)_mm_cvtsi128_si32(_mm_shuffle_epi8(x, pick));
    memcpy(p, &v, 4);
}

static inline void smv_store_widen(int64_t *p, smv x)
{
    _mm_storeu_si128((__m128i *)p, _mm_cvtepu32_epi64(x));
    _mm_storeu_si128((__m128i *)(p + 2), _mm_cvtepu32_epi64(_mm_unpackhi_epi64(x, x)));
}

/* Copies n < 16 bytes with two overlapping moves (8, 4, 2 or 1 bytes). */
static inline void smv_copy_small(void *d, const void *s, size_t n)
{
    char *dc = d;
    const char *sc = s;
    if (n >= 8) {
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
