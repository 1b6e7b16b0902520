/* A merge sort of unsigned keys, written once over a "vector of 4 keys" V and
 * included by argsort.c for uint32 keys (V = one uint32x4_t) and uint64 keys
 * (V = two uint64x2_t). Before including, define:
 *   T          the key type;  V  the 4-key vector type;  F(name)  name##_<suffix>
 *   F(load)(const T *), F(store)(T *, V)
 *   F(cx)(V *a, V *b)      lane-wise min into *a, max into *b
 *   F(rev)(V)              the 4 keys in reverse order
 *   F(clean4)(V)           sorts a bitonic vector of 4 keys ascending
 *   F(transpose)(V v[4])   4x4 transpose
 *   SORT_BLOCK64           1 when 16 V fit in registers with room to merge
 *                          (uint32: 16 of 32 registers; uint64 would need 32)
 *
 * The plan, for m keys (m a multiple of 16, padded with the largest key):
 *  1. blocks of 16 keys sort in 4 registers: a 5-comparator network sorts
 *     the 4 columns, a transpose makes them 4 sorted rows, and two levels of
 *     bitonic merges make one sorted run of 16; blocks of 64 do this four
 *     times in 16 registers and merge on in registers to a run of 64;
 *  2. runs of 16 (or 64), 32 (128), ... merge pairwise between two buffers, 16 keys at
 *     a time: the next 16 keys come from the run whose head is smaller and a
 *     bitonic merge with the 16 held back in registers emits the lower 16.
 * Keys are all distinct (an index rides in the low bits), so any correct
 * sort is the stable argsort. A merge step is 16 min/max pairs, 8 reversals
 * and 8 in-vector cleaners on 12 of AArch64's 32 vector registers; the only
 * branch is the choice of run, once per 16 keys. */

/* Sorts the bitonic sequence v[0 .. n) of n vectors (n = 1, 2, 4, 8): half
 * cleaners at vector distances n/2 .. 1, then inside each vector. */
static inline void F(clean)(V *v, int n)
{
    for (int d = n / 2; d >= 1; d /= 2)
        for (int i = 0; i < n; i++)
            if (!(i & d)) F(cx)(&v[i], &v[i + d]);
    for (int i = 0; i < n; i++) v[i] = F(clean4)(v[i]);
}

/* a[0 .. n) and b[0 .. n) each sorted ascending: afterwards a holds the
 * lower 4n keys and b the upper 4n, both sorted. Comparing a with b reversed
 * leaves two bitonic halves (Batcher's merge). */
static inline void F(merge_regs)(V *a, V *b, int n)
{
    V r[8];
    for (int i = 0; i < n; i++) r[i] = F(rev)(b[n - 1 - i]);
    for (int i = 0; i < n; i++) {
        F(cx)(&a[i], &r[i]);
        b[i] = r[i];
    }
    F(clean)(a, n);
    F(clean)(b, n);
}

/* 16 keys in v[0 .. 4): sorted, as v[0] .. v[3] in order. */
static inline void F(sort16_regs)(V *v)
{
    F(cx)(&v[0], &v[1]);
    F(cx)(&v[2], &v[3]);
    F(cx)(&v[0], &v[2]);
    F(cx)(&v[1], &v[3]);
    F(cx)(&v[1], &v[2]);
    F(transpose)(v);
    F(merge_regs)(&v[0], &v[1], 1);
    F(merge_regs)(&v[2], &v[3], 1);
    F(merge_regs)(&v[0], &v[2], 2);
}

static inline void F(sort16)(T *p)
{
    V v[4];
    for (int i = 0; i < 4; i++) v[i] = F(load)(p + 4 * i);
    F(sort16_regs)(v);
    for (int i = 0; i < 4; i++) F(store)(p + 4 * i, v[i]);
}

/* 64 keys sorted without leaving the registers: 16 hold the keys and the
 * last merge (32 + 32) needs 8 more for the reversed half, 24 of the 32
 * AArch64 has (AArch32's 16 could not). Saves two merge passes through
 * memory, ~30 % of the instructions at L = 196. */
static inline void F(sort64)(T *p)
{
    V v[16];
    for (int i = 0; i < 16; i++) v[i] = F(load)(p + 4 * i);
    for (int g = 0; g < 16; g += 4) F(sort16_regs)(v + g);
    F(merge_regs)(v, v + 4, 4);
    F(merge_regs)(v + 8, v + 12, 4);
    F(merge_regs)(v, v + 8, 8);
    for (int i = 0; i < 16; i++) F(store)(p + 4 * i, v[i]);
}

/* Merges sorted runs a[0 .. na) and b[0 .. nb) (multiples of 16, na >= 16)
 * into out. Taking the next block from the run with the smaller head keeps
 * every key still unread >= every key emitted. */
static void F(merge_runs)(const T *a, size_t na, const T *b, size_t nb, T *out)
{
    V s[4], x[4];
    for (int i = 0; i < 4; i++) s[i] = F(load)(a + 4 * i);
    size_t ia = 16, ib = 0;
    while (ia < na || ib < nb) {
        const T *p;
        if (ib >= nb || (ia < na && a[ia] <= b[ib])) {
            p = a + ia;
            ia += 16;
        } else {
            p = b + ib;
            ib += 16;
        }
        for (int i = 0; i < 4; i++) x[i] = F(load)(p + 4 * i);
        F(merge_regs)(x, s, 4);
        for (int i = 0; i < 4; i++) F(store)(out + 4 * i, x[i]);
        out += 16;
    }
    for (int i = 0; i < 4; i++) F(store)(out + 4 * i, s[i]);
}

/* Sorts buf[0 .. m) (m a multiple of 16) using tmp[0 .. m); returns the
 * buffer that holds the result. Blocks of 64 sort in registers; the 16, 32
 * or 48 keys after the last one become one run, then runs of 64, 128, ...
 * merge pairwise (the last run of a pass may be shorter). */
static T *F(sort)(T *buf, T *tmp, size_t m)
{
    size_t full = SORT_BLOCK64 ? m / 64 * 64 : 0, tail = m - full;
    for (size_t i = 0; i < full; i += 64) F(sort64)(buf + i);
    for (size_t i = full; i < m; i += 16) F(sort16)(buf + i);
    if (SORT_BLOCK64 && tail >= 32) {
        F(merge_runs)(buf + full, 16, buf + full + 16, 16, tmp + full);
        if (tail == 48)
            F(merge_runs)(tmp + full, 32, buf + full + 32, 16, buf + full);
        else
            memcpy(buf + full, tmp + full, 32 * sizeof *buf);
    }
    T *src = buf, *dst = tmp;
    for (size_t w = SORT_BLOCK64 ? 64 : 16; w < m; w *= 2) {
        for (size_t i = 0; i < m; i += 2 * w) {
            if (i + w >= m)
                memcpy(dst + i, src + i, (m - i) * sizeof *src);
            else
                F(merge_runs)(src + i, w, src + i + w, m - i - w < w ? m - i - w : w, dst + i);
        }
        T *t = src;
        src = dst;
        dst = t;
    }
    return src;
}
