/* The vector layer for AVX-512 (F, BW, VL, DQ): 512-bit vectors of 16 uint32
 * lanes. The kernels in simd/common/ (the _tmpl.h files) are written over these names;
 * every helper is static inline so no AVX-512 copy can leak to other code. */
#ifndef SM_VEC_AVX512_H
#define SM_VEC_AVX512_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SMV_ISA avx512
#define SMV_W 16     /* uint32 lanes */
#define SMV_BYTES 64 /* bytes per vector */

typedef __m512i smv;

static inline smv smv_load(const void *p) { return _mm512_loadu_si512(p); }
static inline void smv_store(void *p, smv v) { _mm512_storeu_si512(p, v); }
/* Non-temporal store; p must be aligned to SMV_BYTES. */
static inline void smv_stream(void *p, smv v) { _mm512_stream_si512((__m512i *)p, v); }
static inline void smv_sfence(void) { _mm_sfence(); }
static inline smv smv_set1(uint32_t x) { return _mm512_set1_epi32((int)x); }
static inline smv smv_set1_64(uint64_t x) { return _mm512_set1_epi64((long long)x); }
static inline smv smv_add32(smv a, smv b) { return _mm512_add_epi32(a, b); }
static inline smv smv_and(smv a, smv b) { return _mm512_and_si512(a, b); }
static inline smv smv_xor(smv a, smv b) { return _mm512_xor_si512(a, b); }
/* One vpternlogd for three-input logic: a ^ b ^ c, a ^ (b & c), and the
 * bit select (a & m) | (b & ~m). */
static inline smv smv_xor3(smv a, smv b, smv c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }
/* a with its high 32-bit halves xored by b's and c's: one merge-masked
 * vpternlogd. */
static inline smv smv_xor3_hi32(smv a, smv b, smv c)
{
    return _mm512_mask_ternarylogic_epi32(a, 0xAAAA, b, c, 0x96);
}
static inline smv smv_xor_and(smv a, smv b, smv c) { return _mm512_ternarylogic_epi32(a, b, c, 0x78); }
static inline smv smv_bitsel(smv m, smv a, smv b) { return _mm512_ternarylogic_epi32(m, a, b, 0xCA); }
#define smv_srli32(a, n) _mm512_srli_epi32((a), (n))
#define smv_slli32(a, n) _mm512_slli_epi32((a), (n))
#define smv_srai32(a, n) _mm512_srai_epi32((a), (n))
#define smv_srli64(a, n) _mm512_srli_epi64((a), (n))
/* Low 32 bits of each 64-bit lane times b's: full 64-bit products. */
static inline smv smv_mul_epu32(smv a, smv b) { return _mm512_mul_epu32(a, b); }
/* Swaps the two 32-bit halves of each 64-bit lane. */
static inline smv smv_swap32(smv a) { return _mm512_shuffle_epi32(a, _MM_PERM_CDAB); }
static inline smv smv_unpacklo64(smv a, smv b) { return _mm512_unpacklo_epi64(a, b); }
static inline smv smv_unpackhi64(smv a, smv b) { return _mm512_unpackhi_epi64(a, b); }

/* x (each lane < 2^24) as float times 2^-24, stored: exact in float. */
static inline void smv_store_u24f(float *p, smv x)
{
    _mm512_storeu_ps(p, _mm512_mul_ps(_mm512_cvtepi32_ps(x), _mm512_set1_ps(1.0f / 16777216.0f)));
}

/* All ones where a >= b (unsigned), else zero. */
static inline smv smv_ge_u32(smv a, smv b) { return _mm512_movm_epi32(_mm512_cmpge_epu32_mask(a, b)); }

/* Low byte of each lane, 16 bytes. */
static inline void smv_store_u8(uint8_t *p, smv x) { _mm_storeu_si128((__m128i *)p, _mm512_cvtepi32_epi8(x)); }

/* Zero-extends the 16 lanes to int64, 128 bytes. */
static inline void smv_store_widen(int64_t *p, smv x)
{
    _mm512_storeu_si512(p, _mm512_cvtepu32_epi64(_mm512_castsi512_si256(x)));
    _mm512_storeu_si512(p + 8, _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(x, 1)));
}

/* Copies n < 64 bytes: one masked load and store (byte masks, AVX512BW);
 * masked lanes never fault, so no byte past n is touched. */
static inline void smv_copy_small(void *d, const void *s, size_t n)
{
    __mmask64 m = (1ull << n) - 1;
    _mm512_mask_storeu_epi8(d, m, _mm512_maskz_loadu_epi8(m, s));
}

static inline void smv_prefetch(const void *p) { _mm_prefetch((const char *)p, _MM_HINT_T0); }

#endif
