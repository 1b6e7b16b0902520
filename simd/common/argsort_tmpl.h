/*
 * The two argsort kernels, written once over sort_tmpl.h. Each ISA's
 * argsort.c instantiates sort_tmpl.h as s32_* (uint32 lanes) and s64_*
 * (uint64 lanes), then defines
 *
 *   SA(x)              the exported name (sm__avx2_##x)
 *   SA_S64_BIAS        the s64 instantiation's SV_BIAS
 *   SA_W32, SA_W64     the s32 and s64 instantiations' lanes
 *   SA_PACK_NOISE_TAIL(keys, i0, cnt, imask)  a register of packed noise
 *                      values (key << 8 & ~imask) | i for i0 <= i < i0 +
 *                      cnt (cnt < SA_W32), all ones above; reads keys[i0 ..
 *                      i0 + cnt) only
 *   SA_NOISE_U32_MAX   noise rows up to this length (<= 16384) sort packed
 *                      (top key bits) << ib | index uint32 values
 *                      (SA(noise_packed)),
 *   SA_NOISE_BUCKET_EXTRA  then below SA_NOISE_WIDE_MIN SA(noise_buckets)
 *                      with this many extra bucket bits,
 *   SA_NOISE_WIDE_MIN  and from this length LSD radix on 12-bit digits
 *                      (the buckets' counters must fit the scratch below
 *                      it: asserted with SA(noise_buckets));
 *   SA_F32_NET_MAX     float keys up to this length: uint64 networks,
 *   SA_F32_SMALL_MAX   then up to this one (<= SM__ARGSORT_PACKED_F32_MAX):
 *                      packed uint32 of their top bits and the index,
 *                      repaired (SA(f32_packed));
 *   SA_F32_MERGE_MAX   then up to this one uint64 merges, and above it
 *                      LSD radix on 11-bit digits.
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

/* Stable LSD radix sort of keys[0 .. l) into idx, in `passes` passes of
 * `bits`-bit digits (constants after inlining). keys may be idx itself: the
 * first pass reads every key before the last one writes idx. The first pass
 * packs key << 32 | i, the middle ones move those, the last writes only
 * indices. Wide digits (12 bits, 2 passes for 24-bit keys) cost a fixed
 * ~2.4 us here to clear and sum 2 x 4096 counters; 8-bit digits cost a pass
 * more per element but almost nothing fixed (cut-overs measured below). */
SM__INLINE void SA(radix_n)(const uint32_t *keys, size_t l, const int bits, const int passes,
                            uint32_t *idx, void *scratch)
{
    const uint32_t mask = (1u << bits) - 1;
    uint64_t *v = scratch, *t = v + l;
    uint32_t *hist = (uint32_t *)(t + l); /* <= 3 x 4096, as SM__ARGSORT_SCRATCH has */
    memset(hist, 0, (size_t)passes * ((size_t)1 << bits) * sizeof *hist);
    for (size_t i = 0; i < l; i++) {
        uint32_t k = keys[i];
        SM__UNROLL
        for (int p = 0; p < passes; p++) hist[((size_t)p << bits) + ((k >> (p * bits)) & mask)]++;
    }
    SM__UNROLL
    for (int p = 0; p < passes; p++) {
        uint32_t *h = hist + ((size_t)p << bits), sum = 0;
        for (uint32_t d = 0; d <= mask; d++) {
            uint32_t c = h[d];
            h[d] = sum;
            sum += c;
        }
    }
    uint64_t *src = v, *dst = t;
    for (size_t i = 0; i < l; i++) {
        uint32_t k = keys[i];
        src[hist[k & mask]++] = (uint64_t)k << 32 | (uint32_t)i;
    }
    SM__UNROLL
    for (int p = 1; p < passes - 1; p++) {
        uint32_t *h = hist + ((size_t)p << bits);
        for (size_t i = 0; i < l; i++) {
            uint64_t x = src[i];
            dst[h[(x >> (32 + p * bits)) & mask]++] = x;
        }
        uint64_t *tmp = src;
        src = dst;
        dst = tmp;
    }
    uint32_t *h = hist + ((size_t)(passes - 1) << bits);
    for (size_t i = 0; i < l; i++) {
        uint64_t x = src[i];
        idx[h[(x >> (32 + (passes - 1) * bits)) & mask]++] = (uint32_t)x;
    }
}

/* wide: 12-bit (24-bit keys) or 11-bit (32-bit keys) digits; else 8-bit.
 * Out of line and on a 64-byte line: the radix loops' speed depends on where
 * they fall against 64-byte lines, and inlined into SA(argsort_path) that
 * differed by ISA and by program. Benchmark suite's float keys, us per row at
 * L = 16384 / 65536, inlined against this, both builds in turn, three rounds:
 * AVX-512 65 / 259 against 53 / 215; AVX2 53 / 222 against 53 / 215. */
__attribute__((noinline, aligned(64))) static void SA(radix)(const uint32_t *keys, size_t l,
                                                             int key_bits, int wide,
                                                             uint32_t *idx, void *scratch)
{
    if (key_bits == 24) {
        if (wide) SA(radix_n)(keys, l, 12, 2, idx, scratch);
        else SA(radix_n)(keys, l, 8, 3, idx, scratch);
    } else {
        if (wide) SA(radix_n)(keys, l, 11, 3, idx, scratch);
        else SA(radix_n)(keys, l, 8, 4, idx, scratch);
    }
}

/* Noise rows by LSD radix on their 24-bit keys. */
static void SA(noise_radix)(const float *noise, size_t l, int wide, uint32_t *idx, void *scratch)
{
    for (size_t i = 0; i < l; i++) idx[i] = sm__noise_key(noise[i]);
    SA(radix)(idx, l, 24, wide, idx, scratch);
}

/* Index bits of a packed row of l keys: ceil(log2 l), at least 8 (up to 256
 * keys a 24-bit key and its index fill the lane). */
static inline int SA(index_bits)(size_t l)
{
    return l <= 256 ? 8 : 32 - __builtin_clz((uint32_t)(l - 1));
}

/* Keys (key << 32 | i, ISA bias applied) in a[0 .. l), padded by the
 * caller (SA_FILL with s64_pad), sorted as uint64 into idx. */
static void SA(sort64)(uint64_t *a, size_t l, uint32_t *idx)
{
    size_t n = s64_padded(l);
    const uint64_t *r = s64_sort(a, a + n, n);
    for (size_t i = 0; i < l; i++) idx[i] = (uint32_t)r[i];
}

/* a[0 .. l) = EXPR(i) and the pad above: pad registers first, then the
 * partial register's elements, then the rest, so that the scalar stores
 * of the tail are old by the time the network loads that register (read
 * back at once, they fail store forwarding: ~9 ns at L=49). */
#define SA_FILL(a, l, n, w, pad, EXPR)                                  \
    do {                                                                \
        size_t full_ = (l) / (w) * (w);                                 \
        pad((a), full_, (n));                                           \
        for (size_t i = full_; i < (l); i++) (a)[i] = (EXPR);           \
        for (size_t i = 0; i < full_; i++) (a)[i] = (EXPR);             \
    } while (0)

/* The first run of two or more neighbours with equal top bits (above imask)
 * in the sorted packed values r[from .. l): its start, its end in *end; l if
 * there is none. Neighbours are tested 16 pairs at a time by a vectorised
 * loop and looked at one by one only where a pair has equal top bits: a
 * scalar scan cost a third of the packed noise path at L = 16384 (45 against
 * 30 us), which has ~512 such pairs (16384^2 / 2 / 2^18). */
static inline size_t SA(next_run)(const uint32_t *r, size_t l, uint32_t imask, size_t from,
                                  size_t *end)
{
    for (size_t s = from; s + 1 < l;) {
        size_t stop = s + 16 < l - 1 ? s + 16 : l - 1;
        uint32_t any = 0;
        for (size_t t = s; t < stop; t++) any |= (r[t] ^ r[t + 1]) <= imask;
        if (!any) {
            s = stop;
            continue;
        }
        while ((r[s] ^ r[s + 1]) > imask) s++;
        size_t e = s + 2;
        while (e < l && (r[e] ^ r[s]) <= imask) e++;
        *end = e;
        return s;
    }
    return l;
}

/* Float keys, l <= SM__ARGSORT_PACKED_F32_MAX: the order key (above 256 keys
 * its offset from the row's smallest), its top 32 - ib bits << ib | index
 * (ib = max(8, ceil(log2 l)) index bits), sorted as uint32 (the noise
 * kernel's speed), then each run of equal top bits put in (full key, index)
 * order: insertion for short runs, a uint64 sort of the run for long ones
 * (denormals, keys that differ only in their last bits), so no input costs
 * much more than a uint64 sort. The offset keeps the bits that vary in the
 * row: keys uniform in [0, 1) span about 2^27 order keys at L = 1568 (the
 * smallest near 2^-11), so 21 top bits of the offset leave ~2 equal pairs a
 * row where the order key's own top bits (sign and exponent all but equal)
 * left ~100. */
static void SA(f32_packed)(const float *keys, size_t l, uint32_t flip, uint32_t *idx, void *scratch)
{
    const int ib = SA(index_bits)(l);
    const uint32_t imask = (1u << ib) - 1;
    size_t n = s32_padded(l);
    uint32_t *a = scratch, *full = a + 2 * n;
    uint64_t *run = (uint64_t *)(full + (l + 1) / 2 * 2);
    /* Pads above every real value but the largest possible one, which they
     * equal (indistinguishable, so harmless). */
    if (l <= 256) {
        /* 24 key bits: the offset would save few repairs (keys uniform in
         * [0, 1), L = 196: ~0.15 equal pairs a row) and its two passes cost
         * AVX-512 9 % (benchmark suite, L = 196, float keys). */
        for (size_t i = 0; i < l; i++) full[i] = SA(fkey)(keys[i], flip);
        SA_FILL(a, l, n, SA_W32, s32_pad, (full[i] & ~imask) | (uint32_t)i);
    } else {
        uint32_t lo = UINT32_MAX, hi = 0;
        for (size_t i = 0; i < l; i++) {
            uint32_t k = SA(fkey)(keys[i], flip);
            full[i] = k;
            lo = k < lo ? k : lo;
            hi = k > hi ? k : hi;
        }
        /* (k - lo) >> sh keeps 32 - ib bits and orders as k does. */
        const uint32_t span = hi - lo;
        const int span_bits = span ? 32 - __builtin_clz(span) : 0;
        const int sh = span_bits > 32 - ib ? span_bits - (32 - ib) : 0;
        SA_FILL(a, l, n, SA_W32, s32_pad, ((full[i] - lo) >> sh << ib) | (uint32_t)i);
    }
    const uint32_t *r = s32_sort(a, a + n, n);
    for (size_t i = 0; i < l; i++) idx[i] = r[i] & imask;
    size_t e;
    for (size_t s = 0; (s = SA(next_run)(r, l, imask, s, &e)) < l; s = e) {
        /* idx[s .. e): equal top bits, in index order. */
        if (e - s <= 16) {
            for (size_t i = s + 1; i < e; i++) {
                uint32_t x = idx[i], kx = full[x];
                size_t j = i;
                /* Indices ascend within the run: only a smaller key moves. */
                for (; j > s && full[idx[j - 1]] > kx; j--) idx[j] = idx[j - 1];
                idx[j] = x;
            }
            continue;
        }
        /* Ties (equal full keys) are long runs already in order. */
        size_t j = s + 1;
        while (j < e && full[idx[j - 1]] <= full[idx[j]]) j++;
        if (j == e) continue;
        s64_pad(run, e - s, s64_padded(e - s));
        for (size_t i = s; i < e; i++)
            run[i - s] = ((uint64_t)full[idx[i]] << 32 | idx[i]) ^ (uint64_t)(SA_S64_BIAS);
        SA(sort64)(run, e - s, idx + s);
    }
}

/* Noise rows longer than 256: most significant digit first, then the packed
 * uint32 network inside each bucket. With ib = ceil(log2 l) index bits and b
 * = ib - 8 + extra bucket bits, the key bits below the bucket (24 - b) and
 * the index fill 32 - extra bits, so one bucket of about 2^(8 - extra) keys
 * sorts as uint32 values, twice the lanes of uint64 (and a bucket of any
 * size still sorts, only slower). Buckets are laid out padded, in place. */
static void SA(noise_buckets)(const float *noise, size_t l, int extra, uint32_t *idx, void *scratch)
{
    const int ib = SA(index_bits)(l);
    const int b = ib - 8 + extra, shift = 24 - b;
    const uint32_t nb = 1u << b, lowmask = (1u << shift) - 1, imask = (1u << ib) - 1;
    uint32_t *cnt = scratch, *off = cnt + nb;
    uint32_t *a = off + (nb + 15) / 16 * 16;
    uint32_t *key = idx; /* idx holds the keys until the scatter has read them */
    for (size_t i = 0; i < l; i++) key[i] = sm__noise_key(noise[i]);
    memset(cnt, 0, nb * sizeof *cnt);
    for (size_t i = 0; i < l; i++) cnt[key[i] >> shift]++;
    size_t pos = 0;
    for (uint32_t d = 0; d < nb; d++) {
        off[d] = (uint32_t)pos;
        pos += cnt[d] ? s32_padded(cnt[d]) : 0;
    }
    uint32_t *q = a + pos;
    for (size_t i = 0; i < l; i++) {
        uint32_t k = key[i];
        a[off[k >> shift]++] = (k & lowmask) << ib | (uint32_t)i;
    }
    size_t out = 0;
    for (uint32_t d = 0; d < nb; d++) {
        size_t m = cnt[d];
        if (!m) continue;
        uint32_t *p = a + off[d] - m;
        size_t n = s32_padded(m);
        /* A pad equal to a real value (key bits all ones, index 2^ib - 1)
         * is harmless: equal values are indistinguishable. */
        for (size_t i = m; i < n; i++) p[i] = UINT32_MAX;
        const uint32_t *r = s32_sort(p, q, n);
        for (size_t i = 0; i < m; i++) idx[out + i] = r[i] & imask;
        out += m;
    }
}

/* Noise rows as packed uint32 values: the key's top 32 - ib bits << ib |
 * index, ib = max(8, ceil(log2 l)) index bits, sorted by the network and
 * merges. Up to 256 keys the whole 24-bit key fits (ib = 8); above, the
 * key's low ib - 8 bits are dropped and each run of equal top bits is put
 * back in (key, index) order after the sort: generator noise gives runs of 2
 * or 3 (L = 1024: 1024^2 / 2 / 2^22 = 0.125 equal pairs a row). A run longer
 * than 16, which generator noise does not give, sends the row to the 8-bit
 * radix, so no input costs more than that. */
static void SA(noise_packed)(const float *keys, size_t l, uint32_t *idx, void *scratch)
{
    const uint32_t imask = (1u << SA(index_bits)(l)) - 1;
    uint32_t *a = scratch;
    size_t n = s32_padded(l);
    /* The last partial register is packed and padded in a register by
     * SA_PACK_NOISE_TAIL and stored whole: scalar stores there, read
     * back by the network's vector loads, failed store forwarding and
     * cost 9 ns at L=49 (51.8 against 42.7 at L=48, AVX-512). Pads are
     * above every real value but the largest possible one, which they equal
     * (indistinguishable, so harmless). */
    size_t full = l / SA_W32 * SA_W32;
    for (size_t i = 0; i < full; i++)
        a[i] = (sm__noise_key(keys[i]) << 8 & ~imask) | (uint32_t)i;
    if (full < l) {
        s32_store(a + full, SA_PACK_NOISE_TAIL(keys, full, l - full, imask));
        full += SA_W32;
    }
    s32_pad(a, full, n);
    const uint32_t *r = s32_sort(a, a + n, n);
    for (size_t i = 0; i < l; i++) idx[i] = r[i] & imask;
    if (imask == 0xFF) return; /* no key bits dropped */
    size_t e;
    for (size_t s = 0; (s = SA(next_run)(r, l, imask, s, &e)) < l; s = e) {
        if (e - s > 16) {
            SA(noise_radix)(keys, l, 0, idx, scratch);
            return;
        }
        /* idx[s .. e): equal top bits, indices ascending: only a smaller
         * full key moves down. */
        for (size_t i = s + 1; i < e; i++) {
            uint32_t x = idx[i], kx = sm__noise_key(keys[x]);
            size_t j = i;
            for (; j > s && sm__noise_key(keys[idx[j - 1]]) > kx; j--) idx[j] = idx[j - 1];
            idx[j] = x;
        }
    }
}

/* One row by a chosen path (kind 0: noise, 1: float keys; path 0: packed
 * uint32 network; 1: uint64 network and merges; 2: radix with wide digits;
 * 3: radix with 8-bit digits; noise, 4 + extra: SA(noise_buckets)), at the
 * lengths sm__argsort_path_takes allows. The kernels below pick the path by
 * length; the tests run every path and the timing tool measures the
 * cut-overs through this. */
void SA(argsort_path)(const float *keys, size_t l, int kind, int descending, int path,
                      uint32_t *idx, void *scratch)
{
    /* Descending: complemented keys, indices still ascending, so ties keep
     * index order as the scalar kernel does. */
    uint32_t flip = descending ? 0xFFFFFFFFu : 0;
    if (kind == 0 && path == 0) {
        SA(noise_packed)(keys, l, idx, scratch);
    } else if (kind == 0 && path == 1) {
        uint64_t *a = scratch;
        SA_FILL(a, l, s64_padded(l), SA_W64, s64_pad,
                ((uint64_t)sm__noise_key(keys[i]) << 32 | (uint32_t)i) ^
                    (uint64_t)(SA_S64_BIAS));
        SA(sort64)(a, l, idx);
    } else if (kind == 0 && path >= 4) {
        SA(noise_buckets)(keys, l, path - 4, idx, scratch);
    } else if (kind == 0) {
        SA(noise_radix)(keys, l, path == 2, idx, scratch);
    } else if (path == 0) {
        SA(f32_packed)(keys, l, flip, idx, scratch);
    } else if (path == 1) {
        uint64_t *a = scratch;
        SA_FILL(a, l, s64_padded(l), SA_W64, s64_pad,
                ((uint64_t)SA(fkey)(keys[i], flip) << 32 | (uint32_t)i) ^ (uint64_t)(SA_S64_BIAS));
        SA(sort64)(a, l, idx);
    } else {
        for (size_t i = 0; i < l; i++) idx[i] = SA(fkey)(keys[i], flip);
        SA(radix)(idx, l, 32, path == 2, idx, scratch);
    }
}

/* 2^ceil(log2 x) for 2 <= x <= 2^32, a constant expression (the high bits
 * of x - 1 smeared down, plus one). */
#define SA_SMEAR(v, s) ((v) | (v) >> (s))
#define SA_POW2_CEIL(x) \
    (SA_SMEAR(SA_SMEAR(SA_SMEAR(SA_SMEAR(SA_SMEAR((uint64_t)(x) - 1, 1), 2), 4), 8), 16) + 1)
/* Scratch of SA(noise_buckets), in uint32: 2 x nb counters (the second
 * rounded up to 16), the buckets padded to SA(padded) (<= 2l + SA_W32 nb) and
 * the largest bucket's sort scratch (<= 2l + SA_W32). SM__ARGSORT_SCRATCH's
 * 16 l bytes hold the 4l; its fixed part, SM__ARGSORT_SCRATCH(0) bytes, must
 * hold the rest, 4 (2 + SA_W32) nb + 4 SA_W32 + 64 bytes, at the longest
 * bucketed length (AVX-512: 512 buckets at 2^17, 36992 bytes; AVX2 with +1:
 * 1024, 41056). */
#define SA_NOISE_BUCKETS_MAX (SA_POW2_CEIL(SA_NOISE_WIDE_MIN - 1) >> (8 - SA_NOISE_BUCKET_EXTRA))
_Static_assert(4 * (2 + SA_W32) * SA_NOISE_BUCKETS_MAX + 4 * SA_W32 + 64 <= SM__ARGSORT_SCRATCH(0),
               "the noise buckets' counters and pads overflow the argsort scratch");
/* The packed path's two arrays of at most l + 255 uint32 are within
 * SM__ARGSORT_SCRATCH at any length, but it is tested up to 16384 only. */
_Static_assert(SA_NOISE_U32_MAX <= SM__ARGSORT_PACKED_NOISE_MAX,
               "the packed noise path is tested up to SM__ARGSORT_PACKED_NOISE_MAX");
/* Scratch of SA(f32_packed): the packed values and their merge scratch (2 x
 * (l + 256) uint32), the order keys (l uint32) and a run's uint64 sort (2 x
 * (l + 128) uint64), at most 28 l + 4104 bytes: within SM__ARGSORT_SCRATCH
 * from l = 0 (a constant part) to its bound, so at every length between. */
_Static_assert(28 * (uint64_t)SM__ARGSORT_PACKED_F32_MAX + 4104 <=
                   SM__ARGSORT_SCRATCH(SM__ARGSORT_PACKED_F32_MAX),
               "the packed float path's scratch overflows the argsort scratch");
_Static_assert(SA_F32_SMALL_MAX <= SM__ARGSORT_PACKED_F32_MAX,
               "packed float keys need l <= SM__ARGSORT_PACKED_F32_MAX");

void SA(argsort_noise)(const float *noise, size_t l, uint32_t *idx, void *scratch)
{
    int path = l <= SA_NOISE_U32_MAX  ? 0
               : l < SA_NOISE_WIDE_MIN ? 4 + SA_NOISE_BUCKET_EXTRA
                                       : 2;
    SA(argsort_path)(noise, l, 0, 0, path, idx, scratch);
}

void SA(argsort_f32)(const float *keys, size_t l, int descending, uint32_t *idx, void *scratch)
{
    int path = l <= SA_F32_NET_MAX     ? 1
               : l <= SA_F32_SMALL_MAX ? 0
               : l <= SA_F32_MERGE_MAX ? 1
                                       : 2;
    SA(argsort_path)(keys, l, 1, descending, path, idx, scratch);
}
