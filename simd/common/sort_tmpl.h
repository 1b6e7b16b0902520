/*
 * Sorting of unsigned lanes in vector registers, written once over a small
 * vector-traits layer and included by each ISA's argsort.c once per lane type
 * (x86-simd-sort's model, in C). Before including, define:
 *
 *   SV            the vector type           ST   its lane type (uint32/64_t)
 *   SW            lanes per vector          SN(x) a prefix for every name
 *   SV_BIAS       xor that the ISA's compare needs to order ST as unsigned
 *                 (1 << 63 where only a signed 64-bit compare exists, else 0)
 *   SV_RUN_REGS   registers sorted as one block (a power of two)
 *
 * and these static inline functions (m is a constant after inlining):
 *
 *   SV   SN(load)(const ST *p)        SV   SN(rev)(SV v)     lanes reversed
 *   void SN(store)(ST *p, SV v)       void SN(minmax)(SV *a, SV *b)
 *   SV   SN(cx)(SV v, int m)  lanes i and i ^ m compare-exchanged, the
 *                             smaller one to the lower lane
 *
 * and, where the ISA has cheaper ways, either SV_SWAP_BLOCKS with
 *
 *   void SN(swap_blocks)(SV *a, SV *b, int d)   lanes l & d of a traded for
 *                             lanes l ^ d of b (a step of a transpose)
 *   void SN(interleave)(SV *lo, SV *hi)   lo = lanes 0, 2, .. of a then of b,
 *                             hi = lanes 1, 3, ..: a and b back in order
 *
 * from which the transposes and the paired merge are made here, or
 * SV_TRANSPOSE and SV_MERGE_REG2 with
 *
 *   void SN(transpose)(SV *v)    v[0 .. SW) as a square matrix, transposed
 *   void SN(merge_reg2)(SV *a, SV *b)   merge_reg of a and of b
 *
 * What it makes: SN(padded)(n), the length a buffer of n values is padded
 * to, and SN(sort)(p, q, n), which sorts p[0 .. n) (n = SN(padded)(count),
 * padding above every real value) with q[0 .. n) as scratch and returns where
 * the result is (p or q).
 *
 * Algorithm: a block of up to SV_RUN_REGS registers is sorted by a network:
 * every register sorted in itself (with SV_SWAP_BLOCKS or SV_TRANSPOSE, by
 * sorting groups of registers as columns and transposing them), then merged
 * pairwise by bitonic merges; longer
 * arrays as blocks (the last one a power-of-two count of registers) merged
 * pairwise by bitonic merges over memory, the smaller run of a pair standing
 * for one padded to the larger's size without the pads being stored.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef SM__SORT_TMPL_ONCE
#define SM__SORT_TMPL_ONCE
/* Every network loop must be unrolled for its registers to stay registers. */
#define SM__UNROLL _Pragma("GCC unroll 64")
#define SM__INLINE static inline __attribute__((always_inline))
/* Batcher's odd-even merge sort of 16, {lo, hi, phase}, in order (checked
 * for 4, 8 and 16 inputs against all 0/1 inputs). */
static const unsigned char sm__oddeven16[63][3] = {
    {0, 1, 1}, {2, 3, 1}, {4, 5, 1}, {6, 7, 1}, {8, 9, 1}, {10, 11, 1}, {12, 13, 1}, {14, 15, 1},
    {0, 2, 2}, {1, 3, 2}, {4, 6, 2}, {5, 7, 2}, {8, 10, 2}, {9, 11, 2}, {12, 14, 2}, {13, 15, 2},
    {1, 2, 2}, {5, 6, 2}, {9, 10, 2}, {13, 14, 2}, {0, 4, 4}, {1, 5, 4}, {2, 6, 4}, {3, 7, 4},
    {8, 12, 4}, {9, 13, 4}, {10, 14, 4}, {11, 15, 4}, {2, 4, 4}, {3, 5, 4}, {10, 12, 4}, {11, 13, 4},
    {1, 2, 4}, {3, 4, 4}, {5, 6, 4}, {9, 10, 4}, {11, 12, 4}, {13, 14, 4}, {0, 8, 8}, {1, 9, 8},
    {2, 10, 8}, {3, 11, 8}, {4, 12, 8}, {5, 13, 8}, {6, 14, 8}, {7, 15, 8}, {4, 8, 8}, {5, 9, 8},
    {6, 10, 8}, {7, 11, 8}, {2, 4, 8}, {3, 5, 8}, {6, 8, 8}, {7, 9, 8}, {10, 12, 8}, {11, 13, 8},
    {1, 2, 8}, {3, 4, 8}, {5, 6, 8}, {7, 8, 8}, {9, 10, 8}, {11, 12, 8}, {13, 14, 8},
};
#endif

/* Bitonic merge of a bitonic register into ascending order. */
SM__INLINE SV SN(merge_reg)(SV v)
{
    SM__UNROLL
    for (int t = __builtin_ctz(SW) - 1; t >= 0; t--) v = SN(cx)(v, 1 << t);
    return v;
}

/* Sorts one register whose aligned runs of 2^ls0 lanes are sorted already
 * (ls0 = 0: any register): runs of s lanes are merged by comparing lane i
 * with its mirror i ^ (s - 1), then bitonic steps, so no direction flips. */
SM__INLINE SV SN(sort_reg_from)(SV v, int ls0)
{
    SM__UNROLL
    for (int ls = ls0 + 1; ls <= __builtin_ctz(SW); ls++) {
        v = SN(cx)(v, (1 << ls) - 1);
        SM__UNROLL
        for (int t = ls - 2; t >= 0; t--) v = SN(cx)(v, 1 << t);
    }
    return v;
}

/* Two bitonic registers merged at once: the lanes each step compares (i,
 * i ^ d) are brought into line by the transpose's block swaps, one shuffle
 * per register and step besides the min or max, and put back in order at the
 * end (AVX-512: 18 instructions for the pair against 24 for two merge_reg). */
#ifdef SV_SWAP_BLOCKS
SM__INLINE void SN(merge_reg2)(SV *a, SV *b)
{
    SM__UNROLL
    for (int d = SW / 2; d >= 1; d >>= 1) {
        SN(swap_blocks)(a, b, d);
        SN(minmax)(a, b);
    }
    SN(interleave)(a, b);
}
#define SV_MERGE_REG2
#endif

/* Two bitonic registers merged; with SV_MERGE_REG2 in fewer instructions than
 * two merge_reg. */
SM__INLINE void SN(merge_regs)(SV *a, SV *b)
{
#ifdef SV_MERGE_REG2
    SN(merge_reg2)(a, b);
#else
    *a = SN(merge_reg)(*a);
    *b = SN(merge_reg)(*b);
#endif
}

/* Merges the sorted runs of 2^(lb-1) registers of v[0 .. r) pairwise. */
SM__INLINE void SN(merge_level)(SV *v, int r, int lb)
{
    const int b = 1 << lb;
    SM__UNROLL
    for (int k = 0; k < (r >> lb); k++) {
        SV *w = v + (k << lb), lo[32], hi[32];
        /* Element x of the first half against element n-1-x: the minima
         * (first half) and the maxima (second half, in x order) are each
         * bitonic and every minimum is below every maximum. */
        SM__UNROLL
        for (int i = 0; i < b / 2; i++) {
            lo[i] = w[i];
            hi[i] = SN(rev)(w[b - 1 - i]);
            SN(minmax)(&lo[i], &hi[i]);
        }
        SM__UNROLL
        for (int i = 0; i < b / 2; i++) w[i] = lo[i], w[b / 2 + i] = hi[i];
        SM__UNROLL
        for (int t = lb - 2; t >= 0; t--) {
            const int d = 1 << t;
            SM__UNROLL
            for (int i = 0; i < b; i++)
                if (!(i & d)) SN(minmax)(&w[i], &w[i + d]);
        }
        SM__UNROLL
        for (int i = 0; i < b; i += 2) SN(merge_regs)(&w[i], &w[i + 1]);
    }
}

#if defined(SV_SWAP_BLOCKS) || defined(SV_TRANSPOSE)
/* Sorts lane l of v[0 .. n) for every l at once (n = 2, 4, 8 or 16):
 * Batcher's odd-even merge sort as compare-exchanges of registers (lo, hi)
 * in merge phase p; its first phases (p < n, hi < n) are the network for n.
 * 63 compare-exchanges for 16 registers at 2 instructions each, plus a
 * 64-instruction transpose, where sorting 16 registers one by one takes 10
 * in-register steps of 3 instructions each (190 against 480). */
SM__INLINE void SN(sort_columns)(SV *v, int n)
{
    SM__UNROLL
    for (int c = 0; c < 63; c++)
        if (sm__oddeven16[c][2] < n && sm__oddeven16[c][1] < n)
            SN(minmax)(&v[sm__oddeven16[c][0]], &v[sm__oddeven16[c][1]]);
}
#endif

#if defined(SV_SWAP_BLOCKS)
/* Fewest registers sorted as columns: block swaps transpose groups of any
 * power-of-two lanes. */
#define SV_COLUMNS_MIN 2
/* v[0 .. n) transposed within every aligned group of n lanes (n <= SW):
 * register i's group g becomes lane g * n + i of v[0], v[1], .. v[n - 1]. */
SM__INLINE void SN(transpose_groups)(SV *v, int n)
{
    SM__UNROLL
    for (int d = n / 2; d >= 1; d >>= 1) {
        SM__UNROLL
        for (int i = 0; i < n; i++)
            if (!(i & d)) SN(swap_blocks)(&v[i], &v[i + d], d);
    }
}
#elif defined(SV_TRANSPOSE)
/* The ISA's transpose is square: only whole groups of SW registers. */
#define SV_COLUMNS_MIN SW
SM__INLINE void SN(transpose_groups)(SV *v, int n)
{
    (void)n; /* SW */
    SN(transpose)(v);
}
#endif

/* Sorts r registers (a power of two) as one sequence. The levels are
 * separate calls with constant arguments, so that every loop has a constant
 * trip count when clang unrolls it (it unrolls inner loops first). */
SM__INLINE void SN(sort_regs)(SV *v, int r)
{
    /* Columns of n registers sorted and transposed in groups of n lanes:
     * every register then holds sorted runs of n lanes, merged in the
     * register after (n = 1: each register sorted on its own). */
    int n = r < SW ? r : SW;
#ifdef SV_COLUMNS_MIN
    if (n >= SV_COLUMNS_MIN) {
        SM__UNROLL
        for (int g = 0; g < r; g += n) {
            SN(sort_columns)(v + g, n);
            SN(transpose_groups)(v + g, n);
        }
    } else
#endif
        n = 1;
    if (n < SW) {
        SM__UNROLL
        for (int i = 0; i < r; i++) v[i] = SN(sort_reg_from)(v[i], __builtin_ctz(n));
    }
    if (r >= 2) SN(merge_level)(v, r, 1);
    if (r >= 4) SN(merge_level)(v, r, 2);
    if (r >= 8) SN(merge_level)(v, r, 3);
    if (r >= 16) SN(merge_level)(v, r, 4);
    if (r >= 32) SN(merge_level)(v, r, 5);
}

SM__INLINE void SN(sort_fixed)(ST *p, int r)
{
    SV v[SV_RUN_REGS];
    SM__UNROLL
    for (int i = 0; i < r; i++) v[i] = SN(load)(p + i * SW);
    SN(sort_regs)(v, r);
    SM__UNROLL
    for (int i = 0; i < r; i++) SN(store)(p + i * SW, v[i]);
}

/* One specialised network per register count. */
static void SN(sort_block)(ST *p, size_t r)
{
    switch (r) {
    case 1: SN(sort_fixed)(p, 1); break;
    case 2: SN(sort_fixed)(p, 2); break;
    case 4: SN(sort_fixed)(p, 4); break;
    case 8: SN(sort_fixed)(p, 8); break;
#if SV_RUN_REGS >= 16
    case 16: SN(sort_fixed)(p, 16); break;
#endif
#if SV_RUN_REGS >= 32
    case 32: SN(sort_fixed)(p, 32); break;
#endif
    default: break;
    }
}

/* The pad: the largest value in the ISA's order. */
static inline SV SN(pad_reg)(void)
{
    static const ST ones[SW] = { [0 ... SW - 1] = (ST)(~(ST)0 ^ (ST)(SV_BIAS)) };
    return SN(load)(ones);
}

/* The last steps of a bitonic merge for g registers (a constant after
 * inlining) at p, of which the first `real` are stored (the rest stand for
 * pads): the steps across registers at distances g / 2 .. 1, then each
 * register merged in itself. */
SM__INLINE void SN(merge_group_fixed)(ST *p, int g, size_t real)
{
    SV v[SV_RUN_REGS];
    SM__UNROLL
    for (int i = 0; i < g; i++) v[i] = (size_t)i < real ? SN(load)(p + i * SW) : SN(pad_reg)();
    SM__UNROLL
    for (int d = g / 2; d >= 1; d /= 2) {
        SM__UNROLL
        for (int i = 0; i < g; i++)
            if (!(i & d)) SN(minmax)(&v[i], &v[i + d]);
    }
    if (g == 1) {
        v[0] = SN(merge_reg)(v[0]);
    } else {
        SM__UNROLL
        for (int i = 0; i < g; i += 2) SN(merge_regs)(&v[i], &v[i + 1]);
    }
    SM__UNROLL
    for (int i = 0; i < g; i++)
        if ((size_t)i < real) SN(store)(p + i * SW, v[i]);
}

/* Sorts the bitonic sequence of r registers at p (r a power of two) of which
 * the first `real` are in memory and the rest stand for pads, which a
 * bitonic sequence may be followed by when it falls then rises (the only
 * kind with pads here). A compare-exchange with a pad changes nothing, so
 * only pairs of real registers are visited. Steps at distances of a block
 * and more are passes over memory; the rest run in registers a block at a
 * time. */
static void SN(merge_bitonic)(ST *p, size_t r, size_t real)
{
    const size_t g = r < SV_RUN_REGS ? r : SV_RUN_REGS;
    for (size_t d = r / 2; d >= g; d /= 2)
        for (size_t b0 = 0; b0 + d < real; b0 += 2 * d)
            for (size_t i = b0; i < b0 + d && i + d < real; i++) {
                SV a = SN(load)(p + i * SW), b = SN(load)(p + (i + d) * SW);
                SN(minmax)(&a, &b);
                SN(store)(p + i * SW, a);
                SN(store)(p + (i + d) * SW, b);
            }
    for (size_t b = 0; b < real; b += g) {
        size_t k = real - b < g ? real - b : g;
        switch (g) {
        case 1: SN(merge_group_fixed)(p + b * SW, 1, k); break;
        case 2: SN(merge_group_fixed)(p + b * SW, 2, k); break;
        case 4: SN(merge_group_fixed)(p + b * SW, 4, k); break;
        case 8: SN(merge_group_fixed)(p + b * SW, 8, k); break;
#if SV_RUN_REGS >= 16
        case 16: SN(merge_group_fixed)(p + b * SW, 16, k); break;
#endif
#if SV_RUN_REGS >= 32
        case 32: SN(merge_group_fixed)(p + b * SW, 32, k); break;
#endif
        default: break;
        }
    }
}

/* Merges sorted x[0 .. nx) and y[0 .. ny) into out (nx a power-of-two count
 * of registers, ny a count of whole registers, SW <= ny <= nx) by a bitonic
 * merge, as if y were padded to nx: element e of x against element nx - 1 -
 * e of the padded y. The minima (x's first nx - ny values unchanged, then the
 * smaller of each pair) form a bitonic sequence of nx values and the maxima
 * of the real pairs one that falls then rises, every minimum below every
 * maximum; each is sorted in place by merge_bitonic. A network of that size
 * runs in throughput, not in the latency of one register per step (the
 * stream merge this replaces took ~30 ns a register: L = 384, 256 + 128 keys,
 * 878 ns against 155 for 256 alone). */
static void SN(merge_runs)(const ST *x, size_t nx, const ST *y, size_t ny, ST *out)
{
    const size_t m1 = nx / SW, m2 = ny / SW;
    size_t r2 = 1;
    while (r2 < m2) r2 *= 2;
    for (size_t i = 0; i < m1 - m2; i++) SN(store)(out + i * SW, SN(load)(x + i * SW));
    for (size_t i = m1 - m2; i < m1; i++) {
        SV lo = SN(load)(x + i * SW), hi = SN(rev)(SN(load)(y + (m1 - 1 - i) * SW));
        SN(minmax)(&lo, &hi);
        SN(store)(out + i * SW, lo);
        SN(store)(out + (i - (m1 - m2) + m1) * SW, hi);
    }
    SN(merge_bitonic)(out, m1, m1);
    SN(merge_bitonic)(out + nx, r2, m2);
}

/* n values padded to what SN(sort) needs: whole blocks, then a power-of-two
 * count of registers for the rest. */
static inline size_t SN(padded)(size_t n)
{
    const size_t run = (size_t)SV_RUN_REGS * SW;
    size_t full = n / run * run, r = 1;
    if (full == n) return n;
    while (r * SW < n - full) r *= 2;
    return full + r * SW;
}

/* p[from .. n) = the pad (the largest value in the ISA's order), n a
 * multiple of SW: whole-register stores from the register holding `from`
 * (the caller writes p[0 .. from) after this), no scalar tail. */
static inline void SN(pad)(ST *p, size_t from, size_t n)
{
    const SV ones = SN(pad_reg)();
    for (size_t i = from / SW * SW; i < n; i += SW) SN(store)(p + i, ones);
}

static ST *SN(sort)(ST *p, ST *q, size_t n)
{
    const size_t run = (size_t)SV_RUN_REGS * SW;
    if (n <= run) {
        SN(sort_block)(p, n / SW);
        return p;
    }
    for (size_t i = 0; i < n; i += run) SN(sort_block)(p + i, n - i < run ? (n - i) / SW : SV_RUN_REGS);
    for (size_t w = run; w < n; w *= 2) {
        for (size_t i = 0; i < n; i += 2 * w) {
            if (i + w >= n) memcpy(q + i, p + i, (n - i) * sizeof *p);
            else SN(merge_runs)(p + i, w, p + i + w, n - i - w < w ? n - i - w : w, q + i);
        }
        ST *t = p;
        p = q;
        q = t;
    }
    return p;
}

#undef SV
#undef ST
#undef SW
#undef SN
#undef SV_BIAS
#undef SV_RUN_REGS
#undef SV_TRANSPOSE
#undef SV_SWAP_BLOCKS
#undef SV_MERGE_REG2
#undef SV_COLUMNS_MIN
