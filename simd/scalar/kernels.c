/* The scalar backend: the reference every other backend is tested against.
 * Written for clarity; built with -fno-tree-vectorize so that it stays scalar. */
#include <string.h>

#include "simdmask.h"
#include "kernels.h"

/* ------------------------------------------------------------------ philox */

/* Philox4x32-10 (Salmon et al., SC'11), constants from Random123. */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void philox4x32_10(const uint32_t ctr_in[4], uint32_t k0, uint32_t k1, uint32_t out[4])
{
    uint32_t c0 = ctr_in[0], c1 = ctr_in[1], c2 = ctr_in[2], c3 = ctr_in[3];
    for (int r = 0; r < 10; r++) {
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0, p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
        uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
}

/* 2^-24: a 24-bit integer times this is exact in float. */
#define TWO_M24 (1.0f / 16777216.0f)

void sm__scalar_philox_rows(uint64_t seed, uint32_t stream, uint64_t row, size_t n_rows, size_t l,
                            float *out)
{
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (size_t r = 0; r < n_rows; r++, row++) {
        float *o = out + r * l;
        for (size_t b = 0; b * 4 < l; b++) {
            uint32_t ctr[4] = { (uint32_t)b, stream, (uint32_t)row, (uint32_t)(row >> 32) }, w[4];
            philox4x32_10(ctr, k0, k1, w);
            for (size_t i = 0; i < 4 && b * 4 + i < l; i++) o[b * 4 + i] = (float)(w[i] >> 8) * TWO_M24;
        }
    }
}

/* ----------------------------------------------------------------- mt19937 */

#define MT_M 397
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7FFFFFFFu
#define MT_MATRIX_A 0x9908B0DFu

static void mt_twist(uint32_t *mt)
{
    for (int i = 0; i < SM_MT_N; i++) {
        uint32_t y = (mt[i] & MT_UPPER) | (mt[(i + 1) % SM_MT_N] & MT_LOWER);
        mt[i] = mt[(i + MT_M) % SM_MT_N] ^ (y >> 1) ^ ((y & 1) ? MT_MATRIX_A : 0);
    }
}

static uint32_t mt_temper(uint32_t y)
{
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680u;
    y ^= (y << 15) & 0xEFC60000u;
    y ^= y >> 18;
    return y;
}

void sm__scalar_mt_uniform(uint32_t *mt, uint32_t *mti, float *out, size_t count)
{
    uint32_t i = *mti;
    for (size_t j = 0; j < count; j++) {
        if (i >= SM_MT_N) {
            mt_twist(mt);
            i = 0;
        }
        out[j] = (float)(mt_temper(mt[i++]) & 0xFFFFFFu) * TWO_M24;
    }
    *mti = i;
}

/* ----------------------------------------------------------------- argsort */

/* Rows of up to 32 keys: insertion sort of (key << 32 | index), which are all
 * distinct, so the result is the stable order. */
#define INSERTION_MAX 32

static void insertion_sort_u64(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Stable LSD radix sort of (key << 32 | index) by the key's low key_bits
 * (24 or 32) in passes of 12 or 11 bits; indices come out in idx. */
static void radix_argsort(uint64_t *v, size_t l, int key_bits, uint32_t *idx, void *scratch_end)
{
    int bits = key_bits == 24 ? 12 : 11, passes = key_bits == 24 ? 2 : 3;
    uint32_t *hist = scratch_end; /* 3 x 4096 counters */
    uint64_t *tmp = v + l;
    memset(hist, 0, 3 * 4096 * sizeof *hist);
    uint32_t radix = 1u << bits;
    for (size_t i = 0; i < l; i++)
        for (int p = 0; p < passes; p++) hist[p * 4096 + ((v[i] >> (32 + p * bits)) & (radix - 1))]++;
    for (int p = 0; p < passes; p++) {
        uint32_t *h = hist + p * 4096, sum = 0;
        for (uint32_t d = 0; d < radix; d++) {
            uint32_t c = h[d];
            h[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < l; i++) tmp[h[(v[i] >> (32 + p * bits)) & (radix - 1)]++] = v[i];
        uint64_t *t = v;
        v = tmp;
        tmp = t;
    }
    for (size_t i = 0; i < l; i++) idx[i] = (uint32_t)v[i];
}

static void argsort_keys(uint64_t *v, size_t l, int key_bits, uint32_t *idx, void *scratch)
{
    if (l <= INSERTION_MAX) {
        insertion_sort_u64(v, l);
        for (size_t i = 0; i < l; i++) idx[i] = (uint32_t)v[i];
        return;
    }
    radix_argsort(v, l, key_bits, idx, (char *)scratch + 16 * l);
}

void sm__scalar_argsort_noise(const float *noise, size_t l, uint32_t *idx, void *scratch)
{
    uint64_t *v = scratch;
    for (size_t i = 0; i < l; i++)
        v[i] = (uint64_t)sm__noise_key(noise[i]) << 32 | (uint32_t)i;
    argsort_keys(v, l, 24, idx, scratch);
}

void sm__scalar_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx,
                            void *scratch)
{
    uint64_t *v = scratch;
    uint32_t flip = descending ? 0xFFFFFFFFu : 0;
    for (size_t i = 0; i < l; i++) v[i] = (uint64_t)(sm__float_key(keys[i]) ^ flip) << 32 | (uint32_t)i;
    argsort_keys(v, l, 32, idx, scratch);
}

/* ------------------------------------------------------- permutations, mask */

void sm__scalar_inverse_perm(const uint32_t *perm, size_t l, uint32_t *inv)
{
    for (size_t j = 0; j < l; j++) inv[perm[j]] = (uint32_t)j;
}

void sm__scalar_mask_f32(const uint32_t *restore, size_t l, uint32_t len_keep, float *mask)
{
    for (size_t i = 0; i < l; i++) mask[i] = restore[i] < len_keep ? 0.0f : 1.0f;
}

void sm__scalar_mask_u8(const uint32_t *restore, size_t l, uint32_t len_keep, uint8_t *mask)
{
    for (size_t i = 0; i < l; i++) mask[i] = restore[i] < len_keep ? 0 : 1;
}

void sm__scalar_widen_u32_i64(const uint32_t *in, size_t count, int64_t *out)
{
    for (size_t i = 0; i < count; i++) out[i] = in[i];
}

/* ------------------------------------------------------------------ gathers */

void sm__scalar_gather_rows_u32(const void *src, size_t row_bytes, const uint32_t *idx, size_t k,
                                void *out)
{
    for (size_t j = 0; j < k; j++)
        memcpy((char *)out + j * row_bytes, (const char *)src + idx[j] * row_bytes, row_bytes);
}

void sm__scalar_gather_rows_i64(const void *src, size_t row_bytes, const int64_t *idx, size_t k,
                                void *out)
{
    for (size_t j = 0; j < k; j++)
        memcpy((char *)out + j * row_bytes, (const char *)src + (size_t)idx[j] * row_bytes, row_bytes);
}

void sm__scalar_unshuffle_u32(const void *kept, const void *token, const uint32_t *restore,
                              size_t l, size_t len_keep, size_t row_bytes, void *out)
{
    for (size_t i = 0; i < l; i++) {
        const void *s = restore[i] < len_keep ? (const char *)kept + restore[i] * row_bytes : token;
        memcpy((char *)out + i * row_bytes, s, row_bytes);
    }
}

void sm__scalar_unshuffle_i64(const void *kept, const void *token, const int64_t *restore,
                              size_t l, size_t len_keep, size_t row_bytes, void *out)
{
    for (size_t i = 0; i < l; i++) {
        size_t r = (size_t)restore[i];
        const void *s = r < len_keep ? (const char *)kept + r * row_bytes : token;
        memcpy((char *)out + i * row_bytes, s, row_bytes);
    }
}

const struct sm_kernels sm__kernels_scalar = {
    .name = "scalar",
    .required = 0,
    .philox_rows = sm__scalar_philox_rows,
    .mt_uniform = sm__scalar_mt_uniform,
    .argsort_noise = sm__scalar_argsort_noise,
    .argsort_f32 = sm__scalar_argsort_f32,
    .inverse_perm = sm__scalar_inverse_perm,
    .mask_f32 = sm__scalar_mask_f32,
    .mask_u8 = sm__scalar_mask_u8,
    .widen_u32_i64 = sm__scalar_widen_u32_i64,
    .gather_rows_u32 = sm__scalar_gather_rows_u32,
    .gather_rows_i64 = sm__scalar_gather_rows_i64,
    .unshuffle_u32 = sm__scalar_unshuffle_u32,
    .unshuffle_i64 = sm__scalar_unshuffle_i64,
    .masked_softmax = sm__scalar_masked_softmax,
};
