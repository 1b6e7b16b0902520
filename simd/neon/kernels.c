/* The NEON backend (AArch64 Advanced SIMD): noise generators, permutation,
 * mask and gather kernels, and the table; the argsorts are in argsort.c.
 *
 * Written for real Arm cores (Neoverse N1/V1/V2, Apple M): AArch64 has 32
 * vector registers of 128 bits (AArch32 NEON had 16), no compress or scatter
 * instruction, and TBL/ZIP/UZP/TRN for permutes. Every kernel produces the
 * scalar backend's bits for every input (tests/test_neon_kernels.c). */
#include <arm_neon.h>
#include <string.h>

#include "simdmask.h"
#include "kernels.h"

/* ------------------------------------------------------------------ philox */

/* Philox4x32-10 (Salmon et al., SC'11), constants from Random123. */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* 2^-24: a 24-bit integer times this is exact in float. */
#define TWO_M24 (1.0f / 16777216.0f)

/* One 32x32 -> 64 product per lane, split into its low and high words:
 * UMULL/UMULL2 give two uint64x2 halves, UZP1/UZP2 regroup the words. */
static inline void mul_lo_hi(uint32x4_t a, uint32_t m, uint32x4_t *lo, uint32x4_t *hi)
{
    uint32x4_t p0 = vreinterpretq_u32_u64(vmull_u32(vget_low_u32(a), vdup_n_u32(m)));
    uint32x4_t p1 = vreinterpretq_u32_u64(vmull_high_u32(a, vdupq_n_u32(m)));
    *lo = vuzp1q_u32(p0, p1);
    *hi = vuzp2q_u32(p0, p1);
}

/* 16 floats: the 4 Philox blocks b0 .. b0 + 3 of one row, struct-of-arrays
 * (lane i of c[w] is word w of block b0 + i); returned as float vectors that
 * vst4q_f32 interleaves back into column order. */
static inline float32x4x4_t philox16(uint32_t b0, uint32_t stream, uint64_t row, uint32_t k0,
                                     uint32_t k1)
{
    static const uint32_t lanes[4] = { 0, 1, 2, 3 };
    uint32x4_t c0 = vaddq_u32(vdupq_n_u32(b0), vld1q_u32(lanes));
    uint32x4_t c1 = vdupq_n_u32(stream);
    uint32x4_t c2 = vdupq_n_u32((uint32_t)row);
    uint32x4_t c3 = vdupq_n_u32((uint32_t)(row >> 32));
    for (int r = 0; r < 10; r++) {
        uint32x4_t lo0, hi0, lo1, hi1;
        mul_lo_hi(c0, PHILOX_M0, &lo0, &hi0);
        mul_lo_hi(c2, PHILOX_M1, &lo1, &hi1);
        c0 = veorq_u32(veorq_u32(hi1, c1), vdupq_n_u32(k0));
        c1 = lo1;
        c2 = veorq_u32(veorq_u32(hi0, c3), vdupq_n_u32(k1));
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    float32x4_t s = vdupq_n_f32(TWO_M24);
    float32x4x4_t f;
    f.val[0] = vmulq_f32(vcvtq_f32_u32(vshrq_n_u32(c0, 8)), s);
    f.val[1] = vmulq_f32(vcvtq_f32_u32(vshrq_n_u32(c1, 8)), s);
    f.val[2] = vmulq_f32(vcvtq_f32_u32(vshrq_n_u32(c2, 8)), s);
    f.val[3] = vmulq_f32(vcvtq_f32_u32(vshrq_n_u32(c3, 8)), s);
    return f;
}

static void neon_philox_rows(uint64_t seed, uint32_t stream, uint64_t row, size_t n_rows, size_t l,
                             float *out)
{
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (size_t r = 0; r < n_rows; r++, row++) {
        float *o = out + r * l;
        size_t c = 0;
        /* Two independent groups per iteration: 10 rounds are a chain of
         * ~4-cycle multiplies, so a second chain fills the pipeline. */
        for (; c + 32 <= l; c += 32) {
            float32x4x4_t a = philox16((uint32_t)(c / 4), stream, row, k0, k1);
            float32x4x4_t b = philox16((uint32_t)(c / 4 + 4), stream, row, k0, k1);
            vst4q_f32(o + c, a);
            vst4q_f32(o + c + 16, b);
        }
        for (; c + 16 <= l; c += 16) vst4q_f32(o + c, philox16((uint32_t)(c / 4), stream, row, k0, k1));
        if (c < l) {
            float tmp[16];
            vst4q_f32(tmp, philox16((uint32_t)(c / 4), stream, row, k0, k1));
            memcpy(o + c, tmp, (l - c) * sizeof *o);
        }
    }
}

/* ----------------------------------------------------------------- mt19937 */

#define MT_M 397
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7FFFFFFFu
#define MT_MATRIX_A 0x9908B0DFu

/* mt[i] = mt[i + 397] ^ twist(mt[i], mt[i + 1]) for 4 consecutive i, reading
 * a = mt[i..], b = mt[i + 1..], m = mt[i + 397 (mod 624)..]. */
static inline uint32x4_t twist4(uint32x4_t a, uint32x4_t b, uint32x4_t m)
{
    uint32x4_t y = vorrq_u32(vandq_u32(a, vdupq_n_u32(MT_UPPER)), vandq_u32(b, vdupq_n_u32(MT_LOWER)));
    uint32x4_t odd = vtstq_u32(y, vdupq_n_u32(1));
    uint32x4_t mag = vandq_u32(odd, vdupq_n_u32(MT_MATRIX_A));
    return veorq_u32(veorq_u32(m, vshrq_n_u32(y, 1)), mag);
}

static inline uint32_t twist1(const uint32_t *mt, int i)
{
    uint32_t y = (mt[i] & MT_UPPER) | (mt[(i + 1) % SM_MT_N] & MT_LOWER);
    return mt[(i + MT_M) % SM_MT_N] ^ (y >> 1) ^ ((y & 1) ? MT_MATRIX_A : 0);
}

/* The in-place twist has lane dependencies 227 (= 624 - 397) apart: for
 * i < 227 every read is of an old word, for 227 <= i < 623 mt[i - 227] is a
 * word this twist already wrote. Blocks of 4 that stay inside one region see
 * exactly what the sequential loop sees; 224..226 and 623 straddle and run
 * one at a time. */
static void mt_twist(uint32_t *mt)
{
    int i = 0;
    for (; i + 4 <= 224; i += 4)
        vst1q_u32(mt + i, twist4(vld1q_u32(mt + i), vld1q_u32(mt + i + 1), vld1q_u32(mt + i + MT_M)));
    for (; i < 227; i++) mt[i] = twist1(mt, i);
    for (; i + 4 <= 623; i += 4)
        vst1q_u32(mt + i, twist4(vld1q_u32(mt + i), vld1q_u32(mt + i + 1),
                                 vld1q_u32(mt + i + MT_M - SM_MT_N)));
    mt[623] = twist1(mt, 623);
}

static inline uint32_t temper1(uint32_t y)
{
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680u;
    y ^= (y << 15) & 0xEFC60000u;
    y ^= y >> 18;
    return y;
}

static inline float32x4_t temper4(uint32x4_t y)
{
    y = veorq_u32(y, vshrq_n_u32(y, 11));
    y = veorq_u32(y, vandq_u32(vshlq_n_u32(y, 7), vdupq_n_u32(0x9D2C5680u)));
    y = veorq_u32(y, vandq_u32(vshlq_n_u32(y, 15), vdupq_n_u32(0xEFC60000u)));
    y = veorq_u32(y, vshrq_n_u32(y, 18));
    y = vandq_u32(y, vdupq_n_u32(0xFFFFFFu));
    return vmulq_f32(vcvtq_f32_u32(y), vdupq_n_f32(TWO_M24));
}

static void neon_mt_uniform(uint32_t *mt, uint32_t *mti, float *out, size_t count)
{
    uint32_t i = *mti;
    size_t j = 0;
    while (j < count) {
        if (i >= SM_MT_N) {
            mt_twist(mt);
            i = 0;
        }
        size_t n = SM_MT_N - i;
        if (n > count - j) n = count - j;
        size_t e = j + n;
        for (; j + 4 <= e; j += 4, i += 4) vst1q_f32(out + j, temper4(vld1q_u32(mt + i)));
        for (; j < e; j++, i++) out[j] = (float)(temper1(mt[i]) & 0xFFFFFFu) * TWO_M24;
    }
    *mti = i;
}

/* ------------------------------------------------------- permutations, mask */

/* A scatter: NEON has no scatter store, so one vector load of 4 indices and
 * 4 lane stores (the stores are the cost; l = 196 is ~50 iterations). */
static void neon_inverse_perm(const uint32_t *perm, size_t l, uint32_t *inv)
{
    size_t j = 0;
    for (; j + 4 <= l; j += 4) {
        uint32x4_t p = vld1q_u32(perm + j);
        inv[vgetq_lane_u32(p, 0)] = (uint32_t)j;
        inv[vgetq_lane_u32(p, 1)] = (uint32_t)j + 1;
        inv[vgetq_lane_u32(p, 2)] = (uint32_t)j + 2;
        inv[vgetq_lane_u32(p, 3)] = (uint32_t)j + 3;
    }
    for (; j < l; j++) inv[perm[j]] = (uint32_t)j;
}

/* restore >= len_keep gives an all-ones lane; AND with the bits of 1.0f. */
static void neon_mask_f32(const uint32_t *restore, size_t l, uint32_t len_keep, float *mask)
{
    uint32x4_t lk = vdupq_n_u32(len_keep), one = vdupq_n_u32(0x3F800000u);
    size_t i = 0;
    for (; i + 4 <= l; i += 4)
        vst1q_f32(mask + i, vreinterpretq_f32_u32(vandq_u32(vcgeq_u32(vld1q_u32(restore + i), lk), one)));
    for (; i < l; i++) mask[i] = restore[i] < len_keep ? 0.0f : 1.0f;
}

/* 16 compares narrowed twice (32 -> 16 -> 8 bits) into one byte vector. */
static void neon_mask_u8(const uint32_t *restore, size_t l, uint32_t len_keep, uint8_t *mask)
{
    uint32x4_t lk = vdupq_n_u32(len_keep);
    size_t i = 0;
    for (; i + 16 <= l; i += 16) {
        uint32x4_t a = vcgeq_u32(vld1q_u32(restore + i), lk);
        uint32x4_t b = vcgeq_u32(vld1q_u32(restore + i + 4), lk);
        uint32x4_t c = vcgeq_u32(vld1q_u32(restore + i + 8), lk);
        uint32x4_t d = vcgeq_u32(vld1q_u32(restore + i + 12), lk);
        uint16x8_t ab = vcombine_u16(vmovn_u32(a), vmovn_u32(b));
        uint16x8_t cd = vcombine_u16(vmovn_u32(c), vmovn_u32(d));
        uint8x16_t m = vcombine_u8(vmovn_u16(ab), vmovn_u16(cd));
        vst1q_u8(mask + i, vandq_u8(m, vdupq_n_u8(1)));
    }
    for (; i < l; i++) mask[i] = restore[i] < len_keep ? 0 : 1;
}

/* UXTL/UXTL2: 4 uint32 to 4 int64 per iteration. */
static void neon_widen_u32_i64(const uint32_t *in, size_t count, int64_t *out)
{
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        uint32x4_t v = vld1q_u32(in + i);
        vst1q_s64(out + i, vreinterpretq_s64_u64(vmovl_u32(vget_low_u32(v))));
        vst1q_s64(out + i + 2, vreinterpretq_s64_u64(vmovl_high_u32(v)));
    }
    for (; i < count; i++) out[i] = in[i];
}

/* ------------------------------------------------------------------ gathers */

/* One row of n bytes: 128-byte blocks in 8 q registers (LDP/STP pairs; 13
 * instructions per 128 bytes), then 16-byte blocks, then one 16-byte copy
 * ending at the row's end (it rewrites bytes already written with the same
 * values; src and dst never overlap, the entry points check). Rows under 16
 * bytes (D = 3 floats is 12) use two overlapping 8- or 4-byte copies, so no
 * row costs a byte loop or a libc call. */
static inline void copy_row(char *d, const char *s, size_t n)
{
    const uint8_t *su = (const uint8_t *)s;
    uint8_t *du = (uint8_t *)d;
    if (n >= 16) {
        size_t i = 0;
        for (; i + 128 <= n; i += 128) {
            uint8x16_t q[8];
            for (int j = 0; j < 8; j++) q[j] = vld1q_u8(su + i + 16 * j);
            for (int j = 0; j < 8; j++) vst1q_u8(du + i + 16 * j, q[j]);
        }
        for (; i + 16 <= n; i += 16) vst1q_u8(du + i, vld1q_u8(su + i));
        if (i < n) vst1q_u8(du + n - 16, vld1q_u8(su + n - 16));
    } else if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
    } else {
        for (size_t i = 0; i < n; i++) d[i] = s[i];
    }
}

/* Rows are picked at random from L, so the next source row is not in any
 * stream the hardware prefetcher follows: ask for it one row ahead. */
static void neon_gather_rows_u32(const void *src, size_t row_bytes, const uint32_t *idx, size_t k,
                                 void *out)
{
    const char *s = src;
    char *o = out;
    for (size_t j = 0; j < k; j++, o += row_bytes) {
        if (j + 1 < k) __builtin_prefetch(s + idx[j + 1] * row_bytes);
        copy_row(o, s + idx[j] * row_bytes, row_bytes);
    }
}

static void neon_gather_rows_i64(const void *src, size_t row_bytes, const int64_t *idx, size_t k,
                                 void *out)
{
    const char *s = src;
    char *o = out;
    for (size_t j = 0; j < k; j++, o += row_bytes) {
        if (j + 1 < k) __builtin_prefetch(s + (size_t)idx[j + 1] * row_bytes);
        copy_row(o, s + (size_t)idx[j] * row_bytes, row_bytes);
    }
}

static void neon_unshuffle_u32(const void *kept, const void *token, const uint32_t *restore,
                               size_t l, size_t len_keep, size_t row_bytes, void *out)
{
    char *o = out;
    for (size_t i = 0; i < l; i++, o += row_bytes) {
        const char *s = restore[i] < len_keep ? (const char *)kept + restore[i] * row_bytes : token;
        copy_row(o, s, row_bytes);
    }
}

static void neon_unshuffle_i64(const void *kept, const void *token, const int64_t *restore,
                               size_t l, size_t len_keep, size_t row_bytes, void *out)
{
    char *o = out;
    for (size_t i = 0; i < l; i++, o += row_bytes) {
        size_t r = (size_t)restore[i];
        const char *s = r < len_keep ? (const char *)kept + r * row_bytes : token;
        copy_row(o, s, row_bytes);
    }
}

const struct sm_kernels sm__kernels_neon = {
    .name = "neon",
    .required = SM_CPU_NEON,
    .philox_rows = neon_philox_rows,
    .mt_uniform = neon_mt_uniform,
    .argsort_noise = sm__neon_argsort_noise,
    .argsort_f32 = sm__neon_argsort_f32,
    .inverse_perm = neon_inverse_perm,
    .mask_f32 = neon_mask_f32,
    .mask_u8 = neon_mask_u8,
    .widen_u32_i64 = neon_widen_u32_i64,
    .gather_rows_u32 = neon_gather_rows_u32,
    .gather_rows_i64 = neon_gather_rows_i64,
    .unshuffle_u32 = neon_unshuffle_u32,
    .unshuffle_i64 = neon_unshuffle_i64,
    .masked_softmax = sm__neon_masked_softmax,
};
