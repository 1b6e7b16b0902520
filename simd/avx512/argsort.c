/* AVX-512 argsort: the vector traits for sort_tmpl.h (16 x uint32, 8 x
 * uint64 in zmm registers) and the cut-overs measured on Zen 4. */
#include <immintrin.h>

#include "kernels.h"

/* Lanes i and i ^ m exchanged: in-lane shuffles where m allows (cheaper than
 * the full permute), a permute with index iota ^ m otherwise. */
static inline __m512i avx512_perm32(__m512i v, int m)
{
    switch (m) {
    case 1: return _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0xB1);
    case 2: return _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0x4E);
    case 3: return _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0x1B);
    case 4: return _mm512_shuffle_i32x4(v, v, 0xB1);
    case 8: return _mm512_shuffle_i32x4(v, v, 0x4E);
    default: {
        __m512i iota = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        return _mm512_permutexvar_epi32(_mm512_xor_si512(iota, _mm512_set1_epi32(m)), v);
    }
    }
}

static inline __m512i avx512_perm64(__m512i v, int m)
{
    switch (m) {
    case 1: return _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0x4E);
    case 2: return _mm512_shuffle_i64x2(v, v, 0xB1);
    case 3: return _mm512_permutex_epi64(v, 0x1B);
    case 4: return _mm512_shuffle_i64x2(v, v, 0x4E);
    default: {
        __m512i iota = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
        return _mm512_permutexvar_epi64(_mm512_xor_si512(iota, _mm512_set1_epi64(m)), v);
    }
    }
}

/* Lanes that take the maximum: those with m's highest bit set. */
static inline __mmask16 avx512_hi_lanes(int m)
{
    return m >= 8 ? 0xFF00 : m >= 4 ? 0xF0F0 : m >= 2 ? 0xCCCC : 0xAAAA;
}

/* ------------------------------------------------------------ uint32 lanes */
#define SV __m512i
#define ST uint32_t
#define SW 16
#define SN(x) s32_##x
#define SV_BIAS 0u
#define SV_RUN_REGS 16
static inline __m512i s32_load(const uint32_t *p) { return _mm512_loadu_si512(p); }
static inline void s32_store(uint32_t *p, __m512i v) { _mm512_storeu_si512(p, v); }
static inline __m512i s32_rev(__m512i v) { return avx512_perm32(v, 15); }
static inline void s32_minmax(__m512i *a, __m512i *b)
{
    __m512i lo = _mm512_min_epu32(*a, *b);
    *b = _mm512_max_epu32(*a, *b);
    *a = lo;
}
/* Masked max over the minimum: 3 instructions a step instead of 4. */
static inline __m512i s32_cx(__m512i v, int m)
{
    __m512i p = avx512_perm32(v, m);
    return _mm512_mask_max_epu32(_mm512_min_epu32(v, p), avx512_hi_lanes(m), v, p);
}
/* One step of a transpose by block swaps: lanes l & d of a traded for lanes
 * l ^ d of b, one in-lane or 128-bit-block shuffle per register (masked
 * shuffles merge the kept lanes in the same instruction). */
static inline void s32_swap_blocks(__m512i *pa, __m512i *pb, int d)
{
    __m512i a = *pa, b = *pb;
    switch (d) {
    case 8:
        *pa = _mm512_shuffle_i32x4(a, b, 0x44);
        *pb = _mm512_shuffle_i32x4(a, b, 0xEE);
        break;
    case 4:
        *pa = _mm512_mask_shuffle_i32x4(a, 0xF0F0, b, b, 0xB1);
        *pb = _mm512_mask_shuffle_i32x4(b, 0x0F0F, a, a, 0xB1);
        break;
    case 2:
        *pa = _mm512_mask_shuffle_epi32(a, 0xCCCC, b, (_MM_PERM_ENUM)0x4E);
        *pb = _mm512_mask_shuffle_epi32(b, 0x3333, a, (_MM_PERM_ENUM)0x4E);
        break;
    default:
        *pa = _mm512_mask_shuffle_epi32(a, 0xAAAA, b, (_MM_PERM_ENUM)0xB1);
        *pb = _mm512_mask_shuffle_epi32(b, 0x5555, a, (_MM_PERM_ENUM)0xB1);
        break;
    }
}
/* After the paired merge's block swaps, lo holds lanes 0, 2, .., 14 of a
 * then of b and hi lanes 1, 3, .., 15: a and b back in order, one
 * two-source permute each. */
static inline void s32_interleave(__m512i *plo, __m512i *phi)
{
    __m512i lo = *plo, hi = *phi;
    *plo = _mm512_permutex2var_epi32(
        lo, _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0), hi);
    *phi = _mm512_permutex2var_epi32(
        lo, _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8), hi);
}
#define SV_SWAP_BLOCKS
#include "common/sort_tmpl.h"

/* ------------------------------------------------------------ uint64 lanes */
#define SV __m512i
#define ST uint64_t
#define SW 8
#define SN(x) s64_##x
#define SV_BIAS 0u
#define SV_RUN_REGS 16
static inline __m512i s64_load(const uint64_t *p) { return _mm512_loadu_si512(p); }
static inline void s64_store(uint64_t *p, __m512i v) { _mm512_storeu_si512(p, v); }
static inline __m512i s64_rev(__m512i v) { return avx512_perm64(v, 7); }
static inline void s64_minmax(__m512i *a, __m512i *b)
{
    __m512i lo = _mm512_min_epu64(*a, *b);
    *b = _mm512_max_epu64(*a, *b);
    *a = lo;
}
static inline __m512i s64_cx(__m512i v, int m)
{
    __m512i p = avx512_perm64(v, m);
    return _mm512_mask_max_epu64(_mm512_min_epu64(v, p), (__mmask8)avx512_hi_lanes(m), v, p);
}
/* A block swap at 64-bit lane distance d moves the same bits as one at
 * 32-bit lane distance 2d. */
static inline void s64_swap_blocks(__m512i *pa, __m512i *pb, int d) { s32_swap_blocks(pa, pb, 2 * d); }
static inline void s64_interleave(__m512i *plo, __m512i *phi)
{
    __m512i lo = *plo, hi = *phi;
    *plo = _mm512_permutex2var_epi64(lo, _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), hi);
    *phi = _mm512_permutex2var_epi64(lo, _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4), hi);
}
#define SV_SWAP_BLOCKS
#include "common/sort_tmpl.h"

/* ----------------------------------------------------------------- argsort */
/* Packed noise (key << 8 & ~imask | i) of keys[i0 .. i0 + cnt), all ones
 * above. */
static inline __m512i avx512_pack_noise_tail(const float *keys, size_t i0, size_t cnt, uint32_t imask)
{
    __mmask16 m = (__mmask16)((1u << cnt) - 1);
    __m512 f = _mm512_maskz_loadu_ps(m, keys + i0);
    __m512i k = _mm512_cvttps_epi32(_mm512_mul_ps(f, _mm512_set1_ps(16777216.0f)));
    __m512i i = _mm512_add_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                 _mm512_set1_epi32((int)i0));
    k = _mm512_andnot_si512(_mm512_set1_epi32((int)imask), _mm512_slli_epi32(k, 8));
    k = _mm512_or_si512(k, i);
    return _mm512_mask_mov_epi32(_mm512_set1_epi32(-1), m, k);
}
#define SA_W32 16
#define SA_W64 8
#define SA_PACK_NOISE_TAIL avx512_pack_noise_tail

/* Cut-overs, from `build/tests/time_argsort paths` (ns/row, medians of 41
 * interleaved rounds, one thread; Zen 5, family 26 model 2, once runs were
 * merged by bitonic networks over memory):
 *   noise  L=576: packed 545, buckets +0/+1/+2 1463/1441/1630, radix8 1978;
 *          L=4096: packed 5914, buckets +0 8099; L=6144: 10784 / 12468;
 *          L=8192: 16426 / 16080 (+1: 17668); L=12288: 38416 / 25109;
 *          L=16384: buckets +0 31939, +1 35171, radix12 46062 (the packed
 *          path's repairs grow as l^2: ~490 runs a row at 16384);
 *          L=32768: radix12 87864, radix8 93760; once the buckets ran
 *          past 16384 (three runs a few minutes apart, the host's load
 *          moving all of them): L=32768: buckets +0 61082 / 71235 / 78864,
 *          +1 78399 / 75946, radix12 90045 / 79334 / 95171; L=65536: +0
 *          115967 / 143763 / 167582, +1 155910 / 187086, radix12 171178 /
 *          160778 / 231955; L=131072: +0 294016 / 353368, +1 395178, radix12
 *          336125 / 527330 (4096 12-bit digits scatter to more lines than
 *          L1 holds; 512 buckets of ~256 keys sort in it).
 *   floats L=100: uint64 network 135, packed 137; L=196: packed 257, uint64
 *          313; L=576: packed 704, uint64 merges 1074, radix8 3278; once
 *          the packed keys were offset from the row's smallest (keys
 *          uniform in [0, 1) / the benchmark suite's keys): L=1568: packed
 *          2753 / 2186, merges 4369 / 3666; L=2048: 3637 / 2868 against
 *          5761 / 4804; L=3072: 6701 / 4901 against 10517 / 8232; L=4096:
 *          9776 / 7083 against 14860 / 12015, radix11 23181 / 15280;
 *          L=6144: merges 25608 / 20378, radix11 32862 / 21404; L=8192:
 *          35171 / 27655 against 42416 / 27097. */
#define SA(x) sm__avx512_##x
#define SA_S64_BIAS 0u
#define SA_NOISE_U32_MAX 8191
#define SA_NOISE_BUCKET_EXTRA 0
#define SA_NOISE_WIDE_MIN 131073
#define SA_F32_NET_MAX 128
#define SA_F32_SMALL_MAX 4096
#define SA_F32_MERGE_MAX 6144
#include "common/argsort_tmpl.h"
