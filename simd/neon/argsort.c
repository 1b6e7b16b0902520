/* NEON argsorts: every row becomes distinct unsigned keys with the index in
 * the low bits, then one merge sort (sort_tmpl.h) orders them.
 *  - noise, L <= 256: a 24-bit key and an 8-bit index pack into one uint32
 *    (key << 8 | index), 4 per register;
 *  - noise, L > 256, and any float: key << 32 | index in uint64, 2 per
 *    register (AArch64 has no 64-bit min/max: CMHI + BSL instead).
 * Scratch: two buffers of L rounded up to 16 keys (at most 16 L + 240 bytes
 * of the SM__ARGSORT_SCRATCH(L) the caller provides). */
#include <arm_neon.h>
#include <string.h>

#include "kernels.h"
#include "neon.h"

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
#include "sort_tmpl.h"
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
#include "sort_tmpl.h"
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

/* v[0 .. m) = key << 32 | index for l keys, then UINT64_MAX padding; sorts;
 * idx = the low words (LD2 splits the pairs). */
static void argsort_u64(uint64_t *v, size_t l, size_t m, uint32_t *idx)
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
        for (; i < l; i++) v[i] = (uint32_t)(noise[i] * 16777216.0f) << 8 | (uint32_t)i;
        for (; i < m; i++) v[i] = UINT32_MAX;
        const uint32_t *s = sort_u32(v, v + m, m);
        uint32x4_t ff = vdupq_n_u32(0xFF);
        for (i = 0; i + 4 <= l; i += 4) vst1q_u32(idx + i, vandq_u32(vld1q_u32(s + i), ff));
        for (; i < l; i++) idx[i] = s[i] & 0xFF;
        return;
    }
    uint64_t *v = scratch;
    for (; i + 4 <= l; i += 4, iv = vaddq_u32(iv, four)) {
        uint32x4x2_t pair = { { iv, noise_key4(noise + i) } };
        vst2q_u32((uint32_t *)(v + i), pair);
    }
    for (; i < l; i++) v[i] = (uint64_t)(uint32_t)(noise[i] * 16777216.0f) << 32 | (uint32_t)i;
    argsort_u64(v, l, m, idx);
}

/* Descending flips every key, so ties still come out in index order: the
 * scalar backend's (and torch.sort(stable=True)'s) order. */
void sm__neon_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx,
                          void *scratch)
{
    size_t m = (l + 15) & ~(size_t)15;
    uint32_t flip = descending ? 0xFFFFFFFFu : 0;
    uint32x4_t fv = vdupq_n_u32(flip), iv = vld1q_u32(lanes), four = vdupq_n_u32(4);
    uint64_t *v = scratch;
    size_t i = 0;
    for (; i + 4 <= l; i += 4, iv = vaddq_u32(iv, four)) {
        uint32x4x2_t pair = { { iv, float_key4(keys + i, fv) } };
        vst2q_u32((uint32_t *)(v + i), pair);
    }
    for (; i < l; i++) v[i] = (uint64_t)(sm__float_key(keys[i]) ^ flip) << 32 | (uint32_t)i;
    argsort_u64(v, l, m, idx);
}
