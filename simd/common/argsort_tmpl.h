/*
 * The two argsort kernels, written once over sort_tmpl.h. Each ISA's
 * argsort.c instantiates sort_tmpl.h as s32_* (uint32 lanes) and s64_*
 * (uint64 lanes), then defines
 *
 *   SA(x)              the exported name (sm__avx2_##x)
 *   SA_S64_BIAS        the s64 instantiation's SV_BIAS
 *   SA_NOISE_U32_MAX   noise rows up to this length (<= 256) sort packed
 *                      key << 8 | index uint32 values
 *   SA_NOISE_RADIX_MIN noise rows from this length sort by LSD radix
 *   SA_F32_RADIX_MIN   the same for float keys
 *
 * and includes this file. Every path sorts distinct values (key, index), so
 * the order is the stable one and equals the scalar kernels' bit for bit.
 * The plain loops here are vectorised by the compiler under the ISA's flags.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"

/* sm__float_key without branches, so that the packing loops vectorise. */
static inline uint32_t SA(fkey)(float f, uint32_t flip)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    u = u == 0x80000000u ? 0 : u;
    uint32_t k = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
    k = (u & 0x7FFFFFFFu) > 0x7F800000u ? 0xFFFFFFFFu : k;
    return k ^ flip;
}

/* Stable LSD radix sort of keys[0 .. l) (key_bits 24: 2 passes of 12 bits;
 * 32: 3 passes of 11) into idx. keys may be idx itself: the first pass reads
 * every key before the last one writes idx. The first pass packs
 * key << 32 | i, the middle ones move those, the last writes only indices. */
static void SA(radix)(const uint32_t *keys, size_t l, int key_bits, uint32_t *idx, void *scratch)
{
    const int bits = key_bits == 24 ? 12 : 11, passes = key_bits == 24 ? 2 : 3;
    const uint32_t mask = (1u << bits) - 1;
    uint64_t *v = scratch, *t = v + l;
    uint32_t *hist = (uint32_t *)(t + l); /* 3 x 4096, as SM__ARGSORT_SCRATCH has */
    memset(hist, 0, (size_t)passes * 4096 * sizeof *hist);
    uint32_t *h0 = hist, *h1 = hist + 4096, *h2 = hist + 8192;
    if (passes == 2) {
        for (size_t i = 0; i < l; i++) {
            uint32_t k = keys[i];
            h0[k & mask]++;
            h1[(k >> 12) & mask]++;
        }
    } else {
        for (size_t i = 0; i < l; i++) {
            uint32_t k = keys[i];
            h0[k & mask]++;
            h1[(k >> 11) & mask]++;
            h2[k >> 22]++;
        }
    }
    for (int p = 0; p < passes; p++) {
        uint32_t *h = hist + p * 4096, sum = 0;
        for (uint32_t d = 0; d <= mask; d++) {
            uint32_t c = h[d];
            h[d] = sum;
            sum += c;
        }
    }
    uint64_t *first = passes == 2 ? t : v;
    for (size_t i = 0; i < l; i++) {
        uint32_t k = keys[i];
        first[h0[k & mask]++] = (uint64_t)k << 32 | (uint32_t)i;
    }
    if (passes == 3) {
        for (size_t i = 0; i < l; i++) {
            uint64_t x = v[i];
            t[h1[(x >> 43) & mask]++] = x;
        }
        h1 = h2;
    }
    const int shift = 32 + (passes - 1) * bits;
    for (size_t i = 0; i < l; i++) {
        uint64_t x = t[i];
        idx[h1[(x >> shift) & mask]++] = (uint32_t)x;
    }
}

/* Keys (key << 32 | i, ISA bias applied) sorted as uint64 into idx. */
static void SA(sort64)(uint64_t *a, size_t l, uint32_t *idx)
{
    size_t n = s64_padded(l);
    for (size_t i = l; i < n; i++) a[i] = UINT64_MAX ^ (uint64_t)(SA_S64_BIAS);
    const uint64_t *r = s64_sort(a, a + n, n);
    for (size_t i = 0; i < l; i++) idx[i] = (uint32_t)r[i];
}

void SA(argsort_noise)(const float *noise, size_t l, uint32_t *idx, void *scratch)
{
    if (l <= SA_NOISE_U32_MAX) {
        /* 24-bit key and 8-bit index in one lane: twice the lanes of uint64. */
        uint32_t *a = scratch;
        size_t n = s32_padded(l);
        for (size_t i = 0; i < l; i++) a[i] = (uint32_t)(noise[i] * 16777216.0f) << 8 | (uint32_t)i;
        /* Above every real value: with padding, l <= 255 and so i <= 254. */
        for (size_t i = l; i < n; i++) a[i] = UINT32_MAX;
        const uint32_t *r = s32_sort(a, a + n, n);
        for (size_t i = 0; i < l; i++) idx[i] = r[i] & 0xFF;
        return;
    }
    if (l < SA_NOISE_RADIX_MIN) {
        uint64_t *a = scratch;
        for (size_t i = 0; i < l; i++)
            a[i] = ((uint64_t)(uint32_t)(noise[i] * 16777216.0f) << 32 | (uint32_t)i) ^
                   (uint64_t)(SA_S64_BIAS);
        SA(sort64)(a, l, idx);
        return;
    }
    for (size_t i = 0; i < l; i++) idx[i] = (uint32_t)(noise[i] * 16777216.0f);
    SA(radix)(idx, l, 24, idx, scratch);
}

void SA(argsort_f32)(const float *keys, size_t l, int descending, uint32_t *idx, void *scratch)
{
    /* Descending: complemented keys, indices still ascending, so ties keep
     * index order as the scalar kernel does. */
    uint32_t flip = descending ? 0xFFFFFFFFu : 0;
    if (l < SA_F32_RADIX_MIN) {
        uint64_t *a = scratch;
        for (size_t i = 0; i < l; i++)
            a[i] = ((uint64_t)SA(fkey)(keys[i], flip) << 32 | (uint32_t)i) ^ (uint64_t)(SA_S64_BIAS);
        SA(sort64)(a, l, idx);
        return;
    }
    for (size_t i = 0; i < l; i++) idx[i] = SA(fkey)(keys[i], flip);
    SA(radix)(idx, l, 32, idx, scratch);
}
