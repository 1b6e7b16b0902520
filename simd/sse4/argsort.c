/* SSE4 argsort: the vector traits for sort_tmpl.h (4 x uint32, 2 x uint64 in
 * xmm registers) and the cut-overs measured on Zen 4. uint64 values are kept
 * with the top bit flipped (SV_BIAS) for SSE4.2's signed 64-bit compare. */
#include <immintrin.h>

#include "kernels.h"

static inline __m128i sse4_perm32(__m128i v, int m)
{
    switch (m) {
    case 1: return _mm_shuffle_epi32(v, 0xB1);
    case 2: return _mm_shuffle_epi32(v, 0x4E);
    default: return _mm_shuffle_epi32(v, 0x1B);
    }
}

/* ------------------------------------------------------------ uint32 lanes */
#define SV __m128i
#define ST uint32_t
#define SW 4
#define SN(x) s32_##x
#define SV_BIAS 0u
#define SV_RUN_REGS 16
static inline __m128i s32_load(const uint32_t *p) { return _mm_loadu_si128((const __m128i *)p); }
static inline void s32_store(uint32_t *p, __m128i v) { _mm_storeu_si128((__m128i *)p, v); }
static inline __m128i s32_rev(__m128i v) { return sse4_perm32(v, 3); }
static inline void s32_minmax(__m128i *a, __m128i *b)
{
    __m128i lo = _mm_min_epu32(*a, *b);
    *b = _mm_max_epu32(*a, *b);
    *a = lo;
}
static inline __m128i s32_cx(__m128i v, int m)
{
    __m128i p = sse4_perm32(v, m), lo = _mm_min_epu32(v, p), hi = _mm_max_epu32(v, p);
    /* Lanes with m's highest bit set take the maximum (blend by 16-bit words). */
    return m >= 2 ? _mm_blend_epi16(lo, hi, 0xF0) : _mm_blend_epi16(lo, hi, 0xCC);
}
/* 4 x 4 transpose: 32-bit then 64-bit interleaves, 8 instructions. */
static inline void s32_transpose(__m128i *v)
{
    __m128i t0 = _mm_unpacklo_epi32(v[0], v[1]), t1 = _mm_unpackhi_epi32(v[0], v[1]);
    __m128i t2 = _mm_unpacklo_epi32(v[2], v[3]), t3 = _mm_unpackhi_epi32(v[2], v[3]);
    v[0] = _mm_unpacklo_epi64(t0, t2), v[1] = _mm_unpackhi_epi64(t0, t2);
    v[2] = _mm_unpacklo_epi64(t1, t3), v[3] = _mm_unpackhi_epi64(t1, t3);
}
/* Bitonic merges of two registers at once: lanes i and i ^ d (d = 2, 1)
 * brought into two registers by one shuffle each per step, the order put
 * back by interleaves (14 instructions per pair against 16). */
static inline void s32_merge_reg2(__m128i *pa, __m128i *pb)
{
    __m128i x = _mm_unpacklo_epi64(*pa, *pb), y = _mm_unpackhi_epi64(*pa, *pb);
    __m128i lo = _mm_min_epu32(x, y), hi = _mm_max_epu32(x, y);
    x = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(lo), _mm_castsi128_ps(hi), 0x88));
    y = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(lo), _mm_castsi128_ps(hi), 0xDD));
    lo = _mm_min_epu32(x, y), hi = _mm_max_epu32(x, y);
    /* lo: lanes 0, 2 of a, then of b; hi: lanes 1, 3. */
    __m128i ul = _mm_unpacklo_epi32(lo, hi), uh = _mm_unpackhi_epi32(lo, hi);
    *pa = _mm_unpacklo_epi64(ul, uh);
    *pb = _mm_unpackhi_epi64(ul, uh);
}
#define SV_TRANSPOSE
#define SV_MERGE_REG2
#include "common/sort_tmpl.h"

/* ------------------------------------------------------------ uint64 lanes */
#define SV __m128i
#define ST uint64_t
#define SW 2
#define SN(x) s64_##x
#define SV_BIAS 0x8000000000000000u
#define SV_RUN_REGS 16
static inline __m128i s64_load(const uint64_t *p) { return _mm_loadu_si128((const __m128i *)p); }
static inline void s64_store(uint64_t *p, __m128i v) { _mm_storeu_si128((__m128i *)p, v); }
static inline __m128i s64_rev(__m128i v) { return _mm_shuffle_epi32(v, 0x4E); }
static inline void s64_minmax(__m128i *a, __m128i *b)
{
    __m128i gt = _mm_cmpgt_epi64(*a, *b), lo = _mm_blendv_epi8(*a, *b, gt);
    *b = _mm_blendv_epi8(*b, *a, gt);
    *a = lo;
}
static inline __m128i s64_cx(__m128i v, int m)
{
    (void)m; /* two lanes: m is 1 */
    __m128i p = _mm_shuffle_epi32(v, 0x4E), gt = _mm_cmpgt_epi64(v, p);
    return _mm_blendv_epi8(v, p, _mm_xor_si128(gt, _mm_set_epi64x(-1, 0)));
}
#include "common/sort_tmpl.h"

/* ----------------------------------------------------------------- argsort */
/* Packed noise (key << 8 & ~imask | i) of keys[i0 .. i0 + cnt), all ones
 * above (cnt < 4), built in a register. */
static inline __m128i sse4_pack_noise_tail(const float *keys, size_t i0, size_t cnt, uint32_t imask)
{
    uint32_t v[3];
    for (size_t j = 0; j < 3; j++)
        v[j] = j < cnt ? (sm__noise_key(keys[i0 + j]) << 8 & ~imask) | (uint32_t)(i0 + j) : UINT32_MAX;
    return _mm_setr_epi32((int)v[0], (int)v[1], (int)v[2], -1);
}
#define SA_W32 4
#define SA_W64 2
#define SA_PACK_NOISE_TAIL sse4_pack_noise_tail

/* Cut-overs, from `build/tests/time_argsort paths` (ns/row, medians of 41
 * interleaved rounds, one thread; Zen 5, family 26 model 2, once runs were
 * merged by bitonic networks over memory):
 *   noise  L=384: packed 1069, buckets +2 1228, radix8 1469; L=576: buckets
 *          +1/+2 1799/1868, packed 1881; L=1024: buckets +2 2988, radix8
 *          3176; L=2048: 5971 / 6148; L=3072: radix12 9506, radix8 9670,
 *          buckets +2 9855 (on a Zen 4, family 25 model 17, buckets led
 *          there: 8597 against radix12 11233); L=4096: radix12 11302,
 *          buckets +2 11869.
 *   floats L=196: packed 611, uint64 1312; L=576: packed 3279, radix8
 *          4483, merges 8235; once the packed keys were offset from the
 *          row's smallest (keys uniform in [0, 1) / the benchmark suite's
 *          keys): L=1024: packed 5992 / 3994, radix11 8635 / 5386; L=1568:
 *          11335 / 6990 against 11781 / 7538; L=2048: 14336 / 9653 against
 *          14230 / 9365; L=3072: 24338 / 17123 against 19780 / 12831. */
#define SA(x) sm__sse4_##x
#define SA_S64_BIAS 0x8000000000000000u
#define SA_NOISE_U32_MAX 512
#define SA_NOISE_BUCKET_EXTRA 2
#define SA_NOISE_WIDE_MIN 4096
#define SA_F32_NET_MAX 0
#define SA_F32_SMALL_MAX 2048
#define SA_F32_MERGE_MAX 2048
#include "common/argsort_tmpl.h"
