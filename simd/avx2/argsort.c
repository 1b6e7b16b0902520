/* AVX2 argsort: the vector traits for sort_tmpl.h (8 x uint32, 4 x uint64 in
 * ymm registers) and the cut-overs measured on Zen 4. AVX2 has no unsigned
 * 64-bit compare or min/max: uint64 values are kept with the top bit flipped
 * (SV_BIAS) so that the signed compare orders them. */
#include <immintrin.h>

#include "kernels.h"

static inline __m256i avx2_perm32(__m256i v, int m)
{
    switch (m) {
    case 1: return _mm256_shuffle_epi32(v, 0xB1);
    case 2: return _mm256_shuffle_epi32(v, 0x4E);
    case 3: return _mm256_shuffle_epi32(v, 0x1B);
    case 4: return _mm256_permute4x64_epi64(v, 0x4E);
    default: {
        __m256i iota = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
        return _mm256_permutevar8x32_epi32(v, _mm256_xor_si256(iota, _mm256_set1_epi32(m)));
    }
    }
}

static inline __m256i avx2_perm64(__m256i v, int m)
{
    switch (m) {
    case 1: return _mm256_shuffle_epi32(v, 0x4E);
    case 2: return _mm256_permute4x64_epi64(v, 0x4E);
    default: return _mm256_permute4x64_epi64(v, 0x1B);
    }
}

/* ------------------------------------------------------------ uint32 lanes */
#define SV __m256i
#define ST uint32_t
#define SW 8
#define SN(x) s32_##x
#define SV_BIAS 0u
#define SV_RUN_REGS 16
static inline __m256i s32_load(const uint32_t *p) { return _mm256_loadu_si256((const __m256i *)p); }
static inline void s32_store(uint32_t *p, __m256i v) { _mm256_storeu_si256((__m256i *)p, v); }
static inline __m256i s32_rev(__m256i v) { return avx2_perm32(v, 7); }
static inline void s32_minmax(__m256i *a, __m256i *b)
{
    __m256i lo = _mm256_min_epu32(*a, *b);
    *b = _mm256_max_epu32(*a, *b);
    *a = lo;
}
static inline __m256i s32_cx(__m256i v, int m)
{
    __m256i p = avx2_perm32(v, m), lo = _mm256_min_epu32(v, p), hi = _mm256_max_epu32(v, p);
    /* Lanes with m's highest bit set take the maximum. */
    if (m >= 4) return _mm256_blend_epi32(lo, hi, 0xF0);
    if (m >= 2) return _mm256_blend_epi32(lo, hi, 0xCC);
    return _mm256_blend_epi32(lo, hi, 0xAA);
}
/* 8 x 8 transpose: 32-bit, 64-bit and 128-bit interleaves, 24 instructions. */
static inline void s32_transpose(__m256i *v)
{
    __m256i t[8], u[8];
    for (int k = 0; k < 8; k += 2) {
        t[k] = _mm256_unpacklo_epi32(v[k], v[k + 1]);
        t[k + 1] = _mm256_unpackhi_epi32(v[k], v[k + 1]);
    }
    for (int k = 0; k < 8; k += 4) {
        u[k] = _mm256_unpacklo_epi64(t[k], t[k + 2]);
        u[k + 1] = _mm256_unpackhi_epi64(t[k], t[k + 2]);
        u[k + 2] = _mm256_unpacklo_epi64(t[k + 1], t[k + 3]);
        u[k + 3] = _mm256_unpackhi_epi64(t[k + 1], t[k + 3]);
    }
    for (int i = 0; i < 4; i++) {
        v[i] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x20);
        v[i + 4] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x31);
    }
}
/* Bitonic merges of two registers at once: lanes i and i ^ d (d = 4, 2, 1)
 * brought into two registers by one shuffle each per step, the order put
 * back by the transpose's interleaves (18 instructions per pair against 24
 * for two merge_reg). */
static inline void s32_merge_reg2(__m256i *pa, __m256i *pb)
{
    __m256i a = *pa, b = *pb;
    __m256i x = _mm256_permute2x128_si256(a, b, 0x20), y = _mm256_permute2x128_si256(a, b, 0x31);
    __m256i lo = _mm256_min_epu32(x, y), hi = _mm256_max_epu32(x, y);
    x = _mm256_unpacklo_epi64(lo, hi), y = _mm256_unpackhi_epi64(lo, hi);
    lo = _mm256_min_epu32(x, y), hi = _mm256_max_epu32(x, y);
    x = _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(lo), _mm256_castsi256_ps(hi), 0x88));
    y = _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(lo), _mm256_castsi256_ps(hi), 0xDD));
    lo = _mm256_min_epu32(x, y), hi = _mm256_max_epu32(x, y);
    /* lo: lanes 0, 4, 2, 6 of a, then of b; hi: lanes 1, 5, 3, 7. */
    __m256i ul = _mm256_unpacklo_epi32(lo, hi), uh = _mm256_unpackhi_epi32(lo, hi);
    __m256i p = _mm256_unpacklo_epi64(ul, uh), q = _mm256_unpackhi_epi64(ul, uh);
    *pa = _mm256_permute2x128_si256(p, q, 0x20);
    *pb = _mm256_permute2x128_si256(p, q, 0x31);
}
#define SV_TRANSPOSE
#define SV_MERGE_REG2
#include "common/sort_tmpl.h"

/* ------------------------------------------------------------ uint64 lanes */
#define SV __m256i
#define ST uint64_t
#define SW 4
#define SN(x) s64_##x
#define SV_BIAS 0x8000000000000000u
#define SV_RUN_REGS 16
static inline __m256i s64_load(const uint64_t *p) { return _mm256_loadu_si256((const __m256i *)p); }
static inline void s64_store(uint64_t *p, __m256i v) { _mm256_storeu_si256((__m256i *)p, v); }
static inline __m256i s64_rev(__m256i v) { return avx2_perm64(v, 3); }
static inline void s64_minmax(__m256i *a, __m256i *b)
{
    __m256i gt = _mm256_cmpgt_epi64(*a, *b), lo = _mm256_blendv_epi8(*a, *b, gt);
    *b = _mm256_blendv_epi8(*b, *a, gt);
    *a = lo;
}
/* One compare: a lane takes its partner where (v > p) differs from whether
 * the lane is one that keeps the maximum. */
static inline __m256i s64_cx(__m256i v, int m)
{
    __m256i p = avx2_perm64(v, m), gt = _mm256_cmpgt_epi64(v, p);
    __m256i hi = m >= 2 ? _mm256_set_epi64x(-1, -1, 0, 0) : _mm256_set_epi64x(-1, 0, -1, 0);
    return _mm256_blendv_epi8(v, p, _mm256_xor_si256(gt, hi));
}
#include "common/sort_tmpl.h"

/* ----------------------------------------------------------------- argsort */
/* Packed noise (key << 8 & ~imask | i) of keys[i0 .. i0 + cnt), all ones
 * above. */
static inline __m256i avx2_pack_noise_tail(const float *keys, size_t i0, size_t cnt, uint32_t imask)
{
    __m256i iota = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
    __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)cnt), iota);
    __m256 f = _mm256_maskload_ps(keys + i0, m);
    __m256i k = _mm256_cvttps_epi32(_mm256_mul_ps(f, _mm256_set1_ps(16777216.0f)));
    k = _mm256_andnot_si256(_mm256_set1_epi32((int)imask), _mm256_slli_epi32(k, 8));
    k = _mm256_or_si256(k, _mm256_add_epi32(iota, _mm256_set1_epi32((int)i0)));
    return _mm256_or_si256(k, _mm256_xor_si256(m, _mm256_set1_epi32(-1)));
}
#define SA_W32 8
#define SA_W64 4
#define SA_PACK_NOISE_TAIL avx2_pack_noise_tail

/* Cut-overs, from `build/tests/time_argsort paths` (ns/row, medians of 41
 * interleaved rounds, one thread; Zen 5, family 26 model 2, once runs were
 * merged by bitonic networks over memory):
 *   noise  L=576: packed 1019, buckets +0/+1/+2 1588/1577/1605, radix8 1939;
 *          L=2048: packed 4608, buckets +1 4789; L=3072: 7712 / 7499;
 *          L=8192: buckets +1 19163, +2 21526, radix12 21880; L=16384:
 *          buckets +1 37019, radix12 40855; L=32768: radix12 76444; once
 *          the buckets ran past 16384 (two runs): L=32768: buckets +1
 *          70374 / 92358, +0 76924 / 102537, radix12 80303 / 109469;
 *          L=65536: +1 138894 / 155933, +0 151735 / 168026, radix12 163183
 *          / 181741; L=131072: +1 337605, +0 308175 / 345456, radix12
 *          343112 / 428552.
 *   floats L=196: packed 394, uint64 670; L=576: packed 1174, uint64
 *          merges 2844, radix8 3366; once the packed keys were offset from
 *          the row's smallest (keys uniform in [0, 1) / the benchmark
 *          suite's keys): L=1024: packed 2954 / 2058, merges 7113 / 5156,
 *          radix11 8125 / 5226; L=2048: packed 6482 / 4893, radix11 12845 /
 *          8723; L=3072: 11777 / 8252 against 18066 / 11683; L=4096: 16389
 *          / 12227 against 22902 / 14818. */
#define SA(x) sm__avx2_##x
#define SA_S64_BIAS 0x8000000000000000u
#define SA_NOISE_U32_MAX 2048
#define SA_NOISE_BUCKET_EXTRA 1
#define SA_NOISE_WIDE_MIN 131073
#define SA_F32_NET_MAX 0
#define SA_F32_SMALL_MAX 4096
#define SA_F32_MERGE_MAX 4096
#include "common/argsort_tmpl.h"
