/* NEON argsorts. Every row becomes distinct unsigned values with the index
 * in the low bits, so that any correct sort is the stable argsort:
 *  - noise, L <= 256: a 24-bit key and an 8-bit index pack into one uint32
 *    (key << 8 | index), 4 per register, merge-sorted (sort_tmpl.h);
 *  - float, L < 256: key << 32 | index in uint64, 2 per register, the same
 *    merge sort (AArch64 has no 64-bit min/max: CMHI + BSL instead);
 *  - longer rows (noise L > 256, float L >= 256): LSD radix on the uint32
 *    keys, carrying key << 32 | index between passes.
 * Scratch: two buffers of L (L rounded up to 16 for the merge sort) uint64
 * and the radix counters: at most 16 L + 240 + 32 KiB of the
 * SM__ARGSORT_SCRATCH(L) given. */
#include <arm_neon.h>
#include <string.h>

#include "kernels.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the uint64 keys are built with ST2 of (index, key) word pairs: little-endian only"
#endif

/* ------------------------------------------------------------ uint32 keys */

static inline uint32x4_t load_u32(const uint32_t *p) { return vld1q_u32(p); }
static inline void store_u32(uint32_t *p, uint32x4_t v) { vst1q_u32(p, v); }

static inline void cx_u32(uint32x4_t *a, uint32x4_t *b)
{
    uint32x4_t lo = vminq_u32(*a, *b);
    *b = vmaxq_u32(*a, *b);
    *a = lo;
}

static inline uint32x4_t rev_u32(uint32x4_t x)
{
    x = vrev64q_u32(x);         /* 1 0 3 2 */
    return vextq_u32(x, x, 2);  /* 3 2 1 0 */
}

static inline uint32x4_t clean4_u32(uint32x4_t x)
{
    uint32x4_t s = vextq_u32(x, x, 2); /* distance 2: lanes (0,2), (1,3) */
    uint32x4_t mn = vminq_u32(x, s), mx = vmaxq_u32(x, s);
    x = vcombine_u32(vget_low_u32(mn), vget_high_u32(mx));
    s = vrev64q_u32(x); /* distance 1: lanes (0,1), (2,3) */
    mn = vminq_u32(x, s);
    mx = vmaxq_u32(x, s);
    return vtrn1q_u32(mn, mx);
}

static inline void transpose_u32(uint32x4_t v[4])
{
    uint32x4_t t0 = vtrn1q_u32(v[0], v[1]), t1 = vtrn2q_u32(v[0], v[1]);
    uint32x4_t t2 = vtrn1q_u32(v[2], v[3]), t3 = vtrn2q_u32(v[2], v[3]);
#define U64(x) vreinterpretq_u64_u32(x)
    v[0] = vreinterpretq_u32_u64(vtrn1q_u64(U64(t0), U64(t2)));
    v[1] = vreinterpretq_u32_u64(vtrn1q_u64(U64(t1), U64(t3)));
    v[2] = vreinterpretq_u32_u64(vtrn2q_u64(U64(t0), U64(t2)));
    v[3] = vreinterpretq_u32_u64(vtrn2q_u64(U64(t1), U64(t3)));
#undef U64
}

#define T uint32_t
#define V uint32x4_t
#define F(name) name##_u32
#define SORT_BLOCK64 1
#include "sort_tmpl.h"
#undef SORT_BLOCK64
#undef T
#undef V
#undef F

/* ------------------------------------------------------------ uint64 keys */

static inline uint64x2x2_t load_u64(const uint64_t *p)
{
    uint64x2x2_t v = { { vld1q_u64(p), vld1q_u64(p + 2) } };
    return v;
}

static inline void store_u64(uint64_t *p, uint64x2x2_t v)
{
    vst1q_u64(p, v.val[0]);
    vst1q_u64(p + 2, v.val[1]);
}

static inline void cx2_u64(uint64x2_t *a, uint64x2_t *b)
{
    uint64x2_t gt = vcgtq_u64(*a, *b);
    uint64x2_t lo = vbslq_u64(gt, *b, *a);
    *b = vbslq_u64(gt, *a, *b);
    *a = lo;
}

static inline void cx_u64(uint64x2x2_t *a, uint64x2x2_t *b)
{
    cx2_u64(&a->val[0], &b->val[0]);
    cx2_u64(&a->val[1], &b->val[1]);
}

static inline uint64x2x2_t rev_u64(uint64x2x2_t x)
{
    uint64x2x2_t r = { { vextq_u64(x.val[1], x.val[1], 1), vextq_u64(x.val[0], x.val[0], 1) } };
    return r;
}

static inline uint64x2_t clean2_u64(uint64x2_t x)
{
    uint64x2_t s = vextq_u64(x, x, 1);
    uint64x2_t gt = vcgtq_u64(x, s);
    uint64x2_t mn = vbslq_u64(gt, s, x), mx = vbslq_u64(gt, x, s);
    return vzip1q_u64(mn, mx);
}

static inline uint64x2x2_t clean4_u64(uint64x2x2_t x)
{
    cx2_u64(&x.val[0], &x.val[1]); /* distance 2 */
    x.val[0] = clean2_u64(x.val[0]);
    x.val[1] = clean2_u64(x.val[1]);
    return x;
}

/* Key c of vector r is lane c % 2 of half c / 2. */
static inline void transpose_u64(uint64x2x2_t v[4])
{
    uint64x2x2_t t[4];
    for (int h = 0; h < 2; h++) {
        t[2 * h].val[0] = vtrn1q_u64(v[0].val[h], v[1].val[h]);
        t[2 * h].val[1] = vtrn1q_u64(v[2].val[h], v[3].val[h]);
        t[2 * h + 1].val[0] = vtrn2q_u64(v[0].val[h], v[1].val[h]);
        t[2 * h + 1].val[1] = vtrn2q_u64(v[2].val[h], v[3].val[h]);
    }
    for (int i = 0; i < 4; i++) v[i] = t[i];
}

#define T uint64_t
#define V uint64x2x2_t
#define F(name) name##_u64
#define SORT_BLOCK64 0
#include "sort_tmpl.h"
#undef SORT_BLOCK64
#undef T
#undef V
#undef F

/* ------------------------------------------------------------- the kernels */

static const uint32_t lanes[4] = { 0, 1, 2, 3 };

/* The 24-bit integer k of noise k * 2^-24: FCVTZU truncates like C's cast. */
static inline uint32x4_t noise_key4(const float *p)
{
    return vcvtq_u32_f32(vmulq_f32(vld1q_f32(p), vdupq_n_f32(16777216.0f)));
}

/* sm__float_key on 4 lanes, then XOR flip (all ones for descending). */
static inline uint32x4_t float_key4(const float *p, uint32x4_t flip)
{
    uint32x4_t u = vreinterpretq_u32_f32(vld1q_f32(p));
    uint32x4_t sign = vdupq_n_u32(0x80000000u);
    uint32x4_t nan = vcgtq_u32(vbicq_u32(u, sign), vdupq_n_u32(0x7F800000u));
    u = vbicq_u32(u, vceqq_u32(u, sign)); /* -0.0 -> +0.0 */
    /* negative: ~u; positive: u | sign (= u ^ sign) */
    uint32x4_t neg = vreinterpretq_u32_s32(vshrq_n_s32(vreinterpretq_s32_u32(u), 31));
    uint32x4_t key = vorrq_u32(veorq_u32(u, vorrq_u32(neg, sign)), nan);
    return veorq_u32(key, flip);
}

/* ------------------------------------------------------- long rows: radix */

/* Rows from this many keys sort by LSD radix instead of the uint64 merge
 * sort. Chosen from instructions executed per row (qemu-aarch64 exec trace;
 * README), not from timings, which need an Arm core: radix (8-bit digits)
 * ~40 per key for 24-bit keys, ~68 for 32-bit keys, plus 3-4 x 256 prefix
 * sums; the 2-lane merge sort ~75-90 per key at L = 257, growing with
 * log L. Noise rows beyond the packed uint32 path (L > 256) always take
 * the radix (17483 vs 22955 instructions at L = 257); float rows from 256
 * keys (23587 vs 23536 at 257, 18740 vs 14952 at 196: even at 257). */
#ifndef SM__NEON_RADIX_MIN_32
#define SM__NEON_RADIX_MIN_32 256
#endif

/* Rows from this many keys use wide radix digits (12 bits for 24-bit keys:
 * 2 passes; 11 for 32-bit keys: 3 passes) instead of 8-bit ones: one pass
 * fewer against 2^12 or 2^11 counters per pass to clear and prefix-sum.
 * Instructions executed per row, 8-bit vs wide digits: 24-bit keys 154005
 * vs 159844 at L = 3072, 203669 vs 197220 at 4096; 32-bit keys 141322 vs
 * 144932 at 2048, 208650 vs 197924 at 3072. */
#ifndef SM__NEON_RADIX_WIDE_MIN_24
#define SM__NEON_RADIX_WIDE_MIN_24 4096
#endif
#ifndef SM__NEON_RADIX_WIDE_MIN_32
#define SM__NEON_RADIX_WIDE_MIN_32 3072
#endif

/* Stable LSD radix argsort of the l keys in idx[0 .. l) (key_bits 24 or
 * 32), in digits of `bits`; the sorted indices replace the keys in idx.
 * One read of the keys builds every pass's histogram; a pass whose digit is
 * the same for every key is left out. The first pass reads the uint32 keys
 * and writes key << 32 | index into a, the middle ones move those between a
 * and b, the last writes bare indices into idx (the keys there were all read
 * by the first pass). The scatters are scalar: NEON has no scatter store and
 * no conflict detection. hist: passes x 2^bits counters (at most 2 x 4096 or
 * 3 x 2048: 32 KiB). Inlined with constant key_bits and bits, so the
 * per-key digit loops unroll. */
static inline __attribute__((always_inline)) void
radix_argsort(uint32_t *idx, size_t l, int key_bits, int bits, uint64_t *a, uint64_t *b,
              uint32_t *hist)
{
    const int passes = (key_bits + bits - 1) / bits;
    const size_t radix = (size_t)1 << bits;
    const uint32_t mask = (uint32_t)radix - 1;
    memset(hist, 0, (size_t)passes * radix * sizeof *hist);
    for (size_t i = 0; i < l; i++) {
        uint32_t k = idx[i];
        for (int p = 0; p < passes; p++) hist[p * radix + ((k >> (bits * p)) & mask)]++;
    }
    int live_pass[4], n = 0; /* passes whose digit varies; the others move nothing */
    for (int p = 0; p < passes; p++) {
        uint32_t *h = hist + p * radix;
        if (h[(idx[0] >> (bits * p)) & mask] == l) continue; /* one digit value */
        live_pass[n++] = p;
        uint32_t sum = 0;
        for (size_t d = 0; d < radix; d++) {
            uint32_t c = h[d];
            h[d] = sum;
            sum += c;
        }
    }
    if (n == 0) { /* every key equal: index order */
        for (size_t i = 0; i < l; i++) idx[i] = (uint32_t)i;
        return;
    }
    uint32_t *h = hist + live_pass[0] * radix;
    int shift = bits * live_pass[0];
    for (size_t i = 0; i < l; i++) {
        uint32_t k = idx[i];
        a[h[(k >> shift) & mask]++] = (uint64_t)k << 32 | (uint32_t)i;
    }
    for (int t = 1; t < n; t++) {
        h = hist + live_pass[t] * radix;
        shift = 32 + bits * live_pass[t];
        if (t == n - 1) {
            for (size_t i = 0; i < l; i++) idx[h[(a[i] >> shift) & mask]++] = (uint32_t)a[i];
            return;
        }
        for (size_t i = 0; i < l; i++) b[h[(a[i] >> shift) & mask]++] = a[i];
        uint64_t *x = a;
        a = b;
        b = x;
    }
    /* One pass only: the indices are the low words (LD2 splits the pairs). */
    size_t i = 0;
    for (; i + 4 <= l; i += 4) vst1q_u32(idx + i, vld2q_u32((const uint32_t *)(a + i)).val[0]);
    for (; i < l; i++) idx[i] = (uint32_t)a[i];
}

/* Keys already in idx; narrow or wide digits by length (see above). */
static void radix_rows(uint32_t *idx, size_t l, int key_bits, void *scratch)
{
    uint64_t *a = scratch, *b = a + l;
    uint32_t *hist = (uint32_t *)(b + l);
    if (key_bits == 24) {
        if (l < SM__NEON_RADIX_WIDE_MIN_24) radix_argsort(idx, l, 24, 8, a, b, hist);
        else radix_argsort(idx, l, 24, 12, a, b, hist);
    } else {
        if (l < SM__NEON_RADIX_WIDE_MIN_32) radix_argsort(idx, l, 32, 8, a, b, hist);
        else radix_argsort(idx, l, 32, 11, a, b, hist);
    }
}

/* v[0 .. l) = key << 32 | index: merge sort of m keys (padded with
 * UINT64_MAX), then idx = the low words (LD2 splits the pairs). */
static void merge_argsort_u64(uint64_t *v, size_t l, size_t m, uint32_t *idx)
{
    for (size_t i = l; i < m; i++) v[i] = UINT64_MAX;
    const uint64_t *s = sort_u64(v, v + m, m);
    size_t i = 0;
    for (; i + 4 <= l; i += 4) vst1q_u32(idx + i, vld2q_u32((const uint32_t *)(s + i)).val[0]);
    for (; i < l; i++) idx[i] = (uint32_t)s[i];
}

void sm__neon_argsort_noise(const float *noise, size_t l, uint32_t *idx, void *scratch)
{
    size_t m = (l + 15) & ~(size_t)15;
    uint32x4_t iv = vld1q_u32(lanes), four = vdupq_n_u32(4);
    size_t i = 0;
    if (l <= 256) {
        /* L <= 256: 24-bit key + 8-bit index fit one lane. The padding
         * 0xFFFFFFFF may equal a real key (k = 2^24 - 1, index 255): equal
         * values are interchangeable, the first l of the result are right. */
        uint32_t *v = scratch;
        for (; i + 4 <= l; i += 4, iv = vaddq_u32(iv, four))
            vst1q_u32(v + i, vorrq_u32(vshlq_n_u32(noise_key4(noise + i), 8), iv));
        for (; i < l; i++) v[i] = sm__noise_key(noise[i]) << 8 | (uint32_t)i;
        for (; i < m; i++) v[i] = UINT32_MAX;
        const uint32_t *s = sort_u32(v, v + m, m);
        uint32x4_t ff = vdupq_n_u32(0xFF);
        for (i = 0; i + 4 <= l; i += 4) vst1q_u32(idx + i, vandq_u32(vld1q_u32(s + i), ff));
        for (; i < l; i++) idx[i] = s[i] & 0xFF;
        return;
    }
    /* Longer rows: always the radix (see SM__NEON_RADIX_MIN_32's note). */
    for (; i + 4 <= l; i += 4) vst1q_u32(idx + i, noise_key4(noise + i));
    for (; i < l; i++) idx[i] = sm__noise_key(noise[i]);
    radix_rows(idx, l, 24, scratch);
}

/* Descending flips every key, so ties still come out in index order: the
 * scalar backend's (and torch.sort(stable=True)'s) order. */
void sm__neon_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx,
                          void *scratch)
{
    size_t m = (l + 15) & ~(size_t)15;
    uint32_t flip = descending ? 0xFFFFFFFFu : 0;
    uint32x4_t fv = vdupq_n_u32(flip), iv = vld1q_u32(lanes), four = vdupq_n_u32(4);
    size_t i = 0;
    if (l >= SM__NEON_RADIX_MIN_32) {
        for (; i + 4 <= l; i += 4) vst1q_u32(idx + i, float_key4(keys + i, fv));
        for (; i < l; i++) idx[i] = sm__float_key(keys[i]) ^ flip;
        radix_rows(idx, l, 32, scratch);
        return;
    }
    uint64_t *v = scratch;
    for (; i + 4 <= l; i += 4, iv = vaddq_u32(iv, four)) {
        uint32x4x2_t pair = { { iv, float_key4(keys + i, fv) } };
        vst2q_u32((uint32_t *)(v + i), pair);
    }
    for (; i < l; i++) v[i] = (uint64_t)(sm__float_key(keys[i]) ^ flip) << 32 | (uint32_t)i;
    merge_argsort_u64(v, l, m, idx);
}
