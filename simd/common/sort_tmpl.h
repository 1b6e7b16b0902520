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
 * arrays as blocks merged by a vectorised merge of two sorted streams (one
 * register pair in flight, the bitonic merge of two registers per step).
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

/* Two sorted registers in, a <= b out, both sorted. */
SM__INLINE void SN(merge2)(SV *a, SV *b)
{
    SV p = SN(rev)(*b);
    SN(minmax)(a, &p);
    SN(merge_regs)(a, &p);
    *b = p;
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

/* Merges sorted x[0 .. nx) and y[0 .. ny) (both multiples of SW, >= SW) into
 * out: the register b holds the SW largest values seen, the next register
 * comes from the stream whose head is smaller, and the lower half of each
 * two-register merge is final. */
static void SN(merge_runs)(const ST *x, size_t nx, const ST *y, size_t ny, ST *out)
{
    SV a = SN(load)(x), b = SN(load)(y);
    size_t ix = SW, iy = SW;
    SN(merge2)(&a, &b);
    SN(store)(out, a);
    out += SW;
    while (ix < nx && iy < ny) {
        const ST *src;
        if ((x[ix] ^ SV_BIAS) < (y[iy] ^ SV_BIAS)) src = x + ix, ix += SW;
        else src = y + iy, iy += SW;
        a = SN(load)(src);
        SN(merge2)(&a, &b);
        SN(store)(out, a);
        out += SW;
    }
    /* One stream left: its registers still merge with b in turn. */
    const ST *rest = ix < nx ? x + ix : y + iy;
    size_t left = ix < nx ? nx - ix : ny - iy;
    for (size_t i = 0; i < left; i += SW) {
        a = SN(load)(rest + i);
        SN(merge2)(&a, &b);
        SN(store)(out, a);
        out += SW;
    }
    SN(store)(out, b);
}

/* n values padded to what SN(sort) needs: a power-of-two count of registers
 * up to a block, whole blocks above. */
static inline size_t SN(padded)(size_t n)
{
    const size_t run = (size_t)SV_RUN_REGS * SW;
    if (n > run) return (n + run - 1) / run * run;
    size_t r = 1;
    while (r * SW < n) r *= 2;
    return r * SW;
}

/* p[from .. n) = the pad (the largest value in the ISA's order), n a
 * multiple of SW: whole-register stores from the register holding `from`
 * (the caller writes p[0 .. from) after this), no scalar tail. */
static inline void SN(pad)(ST *p, size_t from, size_t n)
{
    static const ST ones[SW] = { [0 ... SW - 1] = (ST)(~(ST)0 ^ (ST)(SV_BIAS)) };
    for (size_t i = from / SW * SW; i < n; i += SW) SN(store)(p + i, SN(load)(ones));
}

static ST *SN(sort)(ST *p, ST *q, size_t n)
{
    const size_t run = (size_t)SV_RUN_REGS * SW;
    if (n <= run) {
        SN(sort_block)(p, n / SW);
        return p;
    }
    for (size_t i = 0; i < n; i += run) SN(sort_block)(p + i, SV_RUN_REGS);
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
