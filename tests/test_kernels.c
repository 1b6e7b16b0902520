/* Every kernel slot of every backend compiled in and supported by this CPU
 * against the scalar backend, bit for bit: lengths around every vector width
 * and tail, generator states across twist boundaries, counters past 32 bits,
 * gathers of every small row size at unaligned addresses with guard bytes.
 * The argsort slots are covered by the sort suites. Also the split of row
 * loops over threads (sm__parallel). */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

/* xorshift64*: the tests' own inputs, independent of the code under test. */
static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    rs ^= rs >> 12, rs ^= rs << 25, rs ^= rs >> 27;
    return rs * 0x2545F4914F6CDD1Dull;
}
static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* Lengths around every vector width and tail. */
static size_t lengths[200];
static size_t n_lengths;
static void init_lengths(void)
{
    n_lengths = 0;
    for (size_t i = 1; i <= 70; i++) lengths[n_lengths++] = i;
    static const size_t more[] = { 127, 128, 129, 195, 196, 197, 255, 256, 257, 511, 512, 513,
                                   623, 624, 625, 1023, 1024, 1025, 1247, 1248, 1249, 1568, 4099 };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) lengths[n_lengths++] = more[i];
}

static const struct sm_kernels *backend_or_skip(int i)
{
    const struct sm_kernels *k = sm__backend((size_t)i);
    if (!k || !sm__supported(k)) return NULL;
    return k;
}

static const struct sm_kernels *S = &sm__kernels_scalar;

/* Names the backend and case in a failing assertion. */
#define EQ_MEM(a, b, n, ...)                                                           \
    do {                                                                               \
        if (memcmp((a), (b), (n)) != 0) ck_abort_msg(__VA_ARGS__);                     \
    } while (0)

/* ------------------------------------------------------------------ philox */

START_TEST(philox_matches_scalar)
{
    const struct sm_kernels *k = backend_or_skip(_i);
    if (!k) return;
    init_lengths();
    float *a = malloc(3 * 4200 * sizeof(float) + 64), *b = malloc(3 * 4200 * sizeof(float) + 64);
    static const uint64_t rows[] = { 0, 1, 5, 0xFFFFFFFFull, 0x100000000ull, 0x123456789ABCull,
                                     UINT64_MAX - 2 };
    for (size_t li = 0; li < n_lengths; li++) {
        size_t l = lengths[li];
        for (size_t t = 0; t < 3; t++) {
            uint64_t seed = rnd(), row = t < 2 ? rows[rnd_below(7)] : rnd();
            uint32_t stream = (uint32_t)rnd();
            size_t nr = 1 + rnd_below(3), off = rnd_below(16); /* unaligned rows */
            memset(a, 0x55, 3 * 4200 * sizeof(float) + 64);
            memset(b, 0x55, 3 * 4200 * sizeof(float) + 64);
            S->philox_rows(seed, stream, row, nr, l, a + off);
            k->philox_rows(seed, stream, row, nr, l, b + off);
            EQ_MEM(a, b, 3 * 4200 * sizeof(float) + 64, "%s philox l=%zu rows=%zu row=%llu", k->name, l,
                   nr, (unsigned long long)row);
        }
    }
    free(a), free(b);
}
END_TEST

/* ----------------------------------------------------------------- mt19937 */

START_TEST(mt_matches_scalar)
{
    const struct sm_kernels *k = backend_or_skip(_i);
    if (!k) return;
    init_lengths();
    sm_rng g;
    sm_rng_init(&g, SM_RNG_TORCH, 5489, 0);
    uint32_t mt_a[SM_MT_N], mt_b[SM_MT_N], mti_a, mti_b;
    float *a = malloc(5000 * sizeof(float)), *b = malloc(5000 * sizeof(float));
    /* Start from every kind of position: fresh (624), 0, odd, just before
     * the twist; draw counts that cross one, two or several twists. */
    for (int t = 0; t < 400; t++) {
        uint32_t mti = t % 5 == 0 ? SM_MT_N : t % 5 == 1 ? (uint32_t)(SM_MT_N - 1 - rnd_below(20))
                                                          : (uint32_t)rnd_below(SM_MT_N + 1);
        if (t % 7 == 0) mti |= 1;
        if (mti > SM_MT_N) mti = SM_MT_N;
        size_t count = t < (int)n_lengths ? lengths[t] : rnd_below(4200);
        for (int i = 0; i < SM_MT_N; i++) g.mt[i] = (uint32_t)rnd(); /* any state is a state */
        memcpy(mt_a, g.mt, sizeof mt_a), memcpy(mt_b, g.mt, sizeof mt_b);
        mti_a = mti_b = mti;
        memset(a, 0x55, 5000 * sizeof(float)), memset(b, 0x55, 5000 * sizeof(float));
        S->mt_uniform(mt_a, &mti_a, a, count);
        k->mt_uniform(mt_b, &mti_b, b, count);
        EQ_MEM(a, b, 5000 * sizeof(float), "%s mt floats, mti %u count %zu", k->name, mti, count);
        EQ_MEM(mt_a, mt_b, sizeof mt_a, "%s mt state, mti %u count %zu", k->name, mti, count);
        ck_assert_uint_eq(mti_a, mti_b);
    }
    /* A long run in pieces of odd sizes equals one scalar run. */
    sm_rng_init(&g, SM_RNG_TORCH, 42, 0);
    memcpy(mt_a, g.mt, sizeof mt_a), memcpy(mt_b, g.mt, sizeof mt_b);
    mti_a = mti_b = g.mti;
    S->mt_uniform(mt_a, &mti_a, a, 5000);
    for (size_t done = 0; done < 5000;) {
        size_t c = 1 + rnd_below(700);
        if (c > 5000 - done) c = 5000 - done;
        k->mt_uniform(mt_b, &mti_b, b + done, c);
        done += c;
    }
    EQ_MEM(a, b, 5000 * sizeof(float), "%s mt in pieces", k->name);
    free(a), free(b);
}
END_TEST

/* ------------------------------------------------------ permutations, mask */

static void random_perm(uint32_t *p, size_t l)
{
    for (size_t i = 0; i < l; i++) p[i] = (uint32_t)i;
    for (size_t i = l; i > 1; i--) {
        size_t j = rnd_below(i);
        uint32_t t = p[i - 1];
        p[i - 1] = p[j], p[j] = t;
    }
}

START_TEST(perm_mask_widen_match_scalar)
{
    const struct sm_kernels *k = backend_or_skip(_i);
    if (!k) return;
    init_lengths();
    enum { MAXL = 4200, PAD = 16 };
    uint32_t *perm = malloc((MAXL + PAD) * 4), *ia = malloc((MAXL + PAD) * 4), *ib = malloc((MAXL + PAD) * 4);
    float *fa = malloc((MAXL + PAD) * 4), *fb = malloc((MAXL + PAD) * 4);
    uint8_t *ua = malloc(MAXL + PAD), *ub = malloc(MAXL + PAD);
    int64_t *wa = malloc((MAXL + PAD) * 8), *wb = malloc((MAXL + PAD) * 8);
    for (size_t li = 0; li < n_lengths; li++) {
        size_t l = lengths[li];
        for (int t = 0; t < 4; t++) {
            size_t off = rnd_below(PAD);
            random_perm(perm + off, l);
            memset(ia, 0xEE, (MAXL + PAD) * 4), memset(ib, 0xEE, (MAXL + PAD) * 4);
            S->inverse_perm(perm + off, l, ia + off);
            k->inverse_perm(perm + off, l, ib + off);
            EQ_MEM(ia, ib, (MAXL + PAD) * 4, "%s inverse_perm l=%zu", k->name, l);

            /* mask: restore values anywhere in uint32, len_keep 0 .. l and huge. */
            uint32_t keep = t == 0 ? 0 : t == 1 ? (uint32_t)l : t == 2 ? 0xFFFFFFFFu : (uint32_t)rnd_below(l + 1);
            for (size_t i = 0; i < l; i++)
                ia[off + i] = rnd() & 1 ? (uint32_t)rnd_below(l + 2) : (uint32_t)rnd();
            if (l > 2) ia[off] = keep, ia[off + 1] = keep - 1, ia[off + 2] = keep + 1;
            memset(fa, 0xEE, (MAXL + PAD) * 4), memset(fb, 0xEE, (MAXL + PAD) * 4);
            S->mask_f32(ia + off, l, keep, fa + off);
            k->mask_f32(ia + off, l, keep, fb + off);
            EQ_MEM(fa, fb, (MAXL + PAD) * 4, "%s mask_f32 l=%zu keep=%u", k->name, l, keep);
            memset(ua, 0xEE, MAXL + PAD), memset(ub, 0xEE, MAXL + PAD);
            S->mask_u8(ia + off, l, keep, ua + off);
            k->mask_u8(ia + off, l, keep, ub + off);
            EQ_MEM(ua, ub, MAXL + PAD, "%s mask_u8 l=%zu keep=%u", k->name, l, keep);

            memset(wa, 0xEE, (MAXL + PAD) * 8), memset(wb, 0xEE, (MAXL + PAD) * 8);
            S->widen_u32_i64(ia + off, l, wa + off);
            k->widen_u32_i64(ia + off, l, wb + off);
            EQ_MEM(wa, wb, (MAXL + PAD) * 8, "%s widen l=%zu", k->name, l);
        }
    }
    free(perm), free(ia), free(ib), free(fa), free(fb), free(ua), free(ub), free(wa), free(wb);
}
END_TEST

/* ------------------------------------------------------------------ gathers */

enum { GUARD = 96 };

/* aligned_alloc wants a multiple of the alignment. */
static void *alloc64(size_t n) { return aligned_alloc(64, (n + 63) & ~(size_t)63); }

/* A gather slot of backend k (nt: the non-temporal variant, plain if NULL). */
typedef void (*gather_u32_fn)(const void *, size_t, const uint32_t *, size_t, void *);
typedef void (*gather_i64_fn)(const void *, size_t, const int64_t *, size_t, void *);
typedef void (*unshuffle_u32_fn)(const void *, const void *, const uint32_t *, size_t, size_t, size_t, void *);
typedef void (*unshuffle_i64_fn)(const void *, const void *, const int64_t *, size_t, size_t, size_t, void *);

static void check_gather(const struct sm_kernels *k, int nt, size_t rb, size_t l, size_t kk)
{
    size_t soff = rnd_below(64), ooff = nt && rnd() % 2 ? 0 : rnd_below(64);
    char *src = malloc(l * rb + 64), *oa = alloc64(kk * rb + 2 * GUARD + 128);
    char *ob = alloc64(kk * rb + 2 * GUARD + 128);
    uint32_t *i32 = malloc((kk + 1) * 4);
    int64_t *i64 = malloc((kk + 1) * 8);
    for (size_t i = 0; i < l * rb + 64; i++) src[i] = (char)rnd();
    for (size_t j = 0; j < kk; j++) i64[j] = i32[j] = (uint32_t)rnd_below(l);
    size_t total = kk * rb + 2 * GUARD + 128;
    gather_u32_fn gu = nt && k->gather_rows_u32_nt ? k->gather_rows_u32_nt : k->gather_rows_u32;
    gather_i64_fn gi = nt && k->gather_rows_i64_nt ? k->gather_rows_i64_nt : k->gather_rows_i64;
    for (int type = 0; type < 2; type++) {
        memset(oa, 0xA5, total), memset(ob, 0xA5, total);
        char *da = oa + GUARD + ooff, *db = ob + GUARD + ooff;
        if (type == 0) {
            S->gather_rows_u32(src + soff, rb, i32, kk, da);
            gu(src + soff, rb, i32, kk, db);
        } else {
            S->gather_rows_i64(src + soff, rb, i64, kk, da);
            gi(src + soff, rb, i64, kk, db);
        }
        EQ_MEM(oa, ob, total, "%s gather%s %s rb=%zu l=%zu k=%zu src+%zu out+%zu", k->name, nt ? "_nt" : "",
               type ? "i64" : "u32", rb, l, kk, soff, ooff);
    }
    free(src), free(oa), free(ob), free(i32), free(i64);
}

static void check_unshuffle(const struct sm_kernels *k, int nt, size_t rb, size_t l, size_t keep)
{
    size_t koff = rnd_below(64), ooff = nt && rnd() % 2 ? 0 : rnd_below(64);
    char *kept = malloc(keep * rb + 64), *token = malloc(rb + 64);
    size_t total = l * rb + 2 * GUARD + 128;
    char *oa = alloc64(total), *ob = alloc64(total);
    uint32_t *r32 = malloc(l * 4);
    int64_t *r64 = malloc(l * 8);
    for (size_t i = 0; i < keep * rb + 64; i++) kept[i] = (char)rnd();
    for (size_t i = 0; i < rb + 64; i++) token[i] = (char)rnd();
    random_perm(r32, l);
    for (size_t i = 0; i < l; i++) r64[i] = r32[i];
    unshuffle_u32_fn uu = nt && k->unshuffle_u32_nt ? k->unshuffle_u32_nt : k->unshuffle_u32;
    unshuffle_i64_fn ui = nt && k->unshuffle_i64_nt ? k->unshuffle_i64_nt : k->unshuffle_i64;
    for (int type = 0; type < 2; type++) {
        memset(oa, 0xA5, total), memset(ob, 0xA5, total);
        char *da = oa + GUARD + ooff, *db = ob + GUARD + ooff;
        if (type == 0) {
            S->unshuffle_u32(kept + koff, token + 7, r32, l, keep, rb, da);
            uu(kept + koff, token + 7, r32, l, keep, rb, db);
        } else {
            S->unshuffle_i64(kept + koff, token + 7, r64, l, keep, rb, da);
            ui(kept + koff, token + 7, r64, l, keep, rb, db);
        }
        EQ_MEM(oa, ob, total, "%s unshuffle%s %s rb=%zu l=%zu keep=%zu", k->name, nt ? "_nt" : "",
               type ? "i64" : "u32", rb, l, keep);
    }
    free(kept), free(token), free(oa), free(ob), free(r32), free(r64);
}

/* Row sizes of every gather path: one row at a time, 1, 2 and 4 rows side by
 * side (with and without a tail after the last 256-byte step), memcpy per
 * row; nt_ok holds for the multiples of 64 at 64-byte aligned outputs. */
static const size_t big_rows[] = { 3072, 8192, 4096 + 17, 1024, 768, 513, 1000, 2048 + 64, 6000, 320, 1088 };

START_TEST(gathers_match_scalar)
{
    const struct sm_kernels *k = backend_or_skip(_i);
    if (!k) return;
    for (int nt = 0; nt < 2; nt++) {
        for (size_t rb = 1; rb <= 300; rb++) {
            size_t l = 1 + rnd_below(40);
            check_gather(k, nt, rb, l, rnd_below(2 * l + 1));
            check_unshuffle(k, nt, rb, l, rnd_below(l + 1));
        }
        for (size_t i = 0; i < sizeof big_rows / sizeof big_rows[0]; i++) {
            size_t l = 1 + rnd_below(24);
            check_gather(k, nt, big_rows[i], l, 1 + rnd_below(l));
            check_gather(k, nt, big_rows[i], l, 2 * l + 3); /* rows repeat */
            check_unshuffle(k, nt, big_rows[i], l, rnd_below(l + 1));
        }
    }
}
END_TEST

/* Rows that start past 4 GiB inside one real object: the address range is
 * reserved without memory (PROT_NONE, MAP_NORESERVE) and only the pages of the
 * rows used are made writable. NULL when the range cannot be reserved (e.g. a
 * 32-bit address space); the caller then skips that part. */
struct far_rows {
    char *base;      /* the object: base + offset is the first row used */
    size_t map_len;
};

static char *far_rows_map(struct far_rows *f, size_t offset, size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t lo = offset & ~(page - 1), hi = (offset + bytes + page - 1) & ~(page - 1);
    f->map_len = hi;
    void *p = mmap(NULL, hi, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return NULL;
    f->base = p;
    if (mprotect(f->base + lo, hi - lo, PROT_READ | PROT_WRITE) != 0) {
        munmap(p, hi);
        return NULL;
    }
    return f->base + offset;
}

/* Gathers whose source rows lie past 4 GiB of the source pointer, with u32
 * indices whose product with row_bytes needs more than 32 bits, and i64
 * indices above 2^32: catches an index product or index done in 32 bits. */
static void check_far_rows(const struct sm_kernels *k, size_t rb, int wide)
{
    enum { ROWS = 8 };
    const uint64_t four_g = (uint64_t)1 << 32;
    /* u32: the smallest index whose row starts at or past 4 GiB (for 1-byte
     * rows the index itself nears 2^32); i64: indices above 2^32 for narrow
     * rows (12 GiB of address space at most), 4 GiB offsets otherwise. */
    uint64_t base = wide ? (rb <= 3 ? four_g : (four_g + rb - 1) / rb)
                         : (rb == 1 ? 0xFFFFFFFFu - ROWS : (four_g + rb - 1) / rb);
    struct far_rows f;
    char *rows = far_rows_map(&f, (size_t)base * rb, ROWS * rb);
    if (!rows) {
        fprintf(stderr, "note: cannot reserve %zu bytes of address space; far-row gather skipped\n",
                (size_t)base * rb);
        return;
    }
    char *oa = malloc(ROWS * rb), *ob = malloc(ROWS * rb);
    for (size_t i = 0; i < ROWS * rb; i++) rows[i] = (char)rnd();
    uint32_t i32[ROWS];
    int64_t i64[ROWS];
    for (int j = 0; j < ROWS; j++) {
        uint64_t r = base + rnd_below(ROWS);
        i32[j] = (uint32_t)r, i64[j] = (int64_t)r;
    }
    if (wide) {
        S->gather_rows_i64(f.base, rb, i64, ROWS, oa);
        k->gather_rows_i64(f.base, rb, i64, ROWS, ob);
    } else {
        S->gather_rows_u32(f.base, rb, i32, ROWS, oa);
        k->gather_rows_u32(f.base, rb, i32, ROWS, ob);
    }
    EQ_MEM(oa, ob, ROWS * rb, "%s gather %s past 4 GiB, rb=%zu", k->name, wide ? "i64" : "u32", rb);
    for (int j = 0; j < ROWS; j++)
        EQ_MEM(oa + j * rb, rows + (size_t)(i64[j] - (int64_t)base) * rb, rb,
               "%s gather past 4 GiB: row %d is not the source row", k->name, j);
    free(oa), free(ob);
    munmap(f.base, f.map_len);
}

/* Thousands of random shapes, and rows past 4 GiB (check_far_rows). */
START_TEST(random_shapes_match_scalar)
{
    const struct sm_kernels *k = backend_or_skip(_i);
    if (!k) return;
    for (int t = 0; t < 1500; t++) {
        size_t rb = 1 + rnd_below(t % 10 == 0 ? 5000 : 600), l = 1 + rnd_below(60);
        check_gather(k, t & 1, rb, l, rnd_below(2 * l + 1));
        check_unshuffle(k, t & 1, rb, l, rnd_below(l + 1));
    }
    static const size_t rbs[] = { 1, 3, 64, 100, 3072 };
    for (size_t ri = 0; ri < 5; ri++) {
        check_far_rows(k, rbs[ri], 0);
        check_far_rows(k, rbs[ri], 1);
    }
    /* Long noise rows and random lengths. */
    float *a = malloc(70001 * sizeof(float)), *b = malloc(70001 * sizeof(float));
    for (int t = 0; t < 200; t++) {
        size_t l = t == 0 ? 70001 : 1 + rnd_below(3000);
        uint64_t seed = rnd(), row = rnd();
        S->philox_rows(seed, (uint32_t)t, row, 1, l, a);
        k->philox_rows(seed, (uint32_t)t, row, 1, l, b);
        EQ_MEM(a, b, l * sizeof(float), "%s philox random l=%zu", k->name, l);
    }
    free(a), free(b);
}
END_TEST

/* ------------------------------------------------------------ thread split */

/* sm__parallel hands out [0, n) in contiguous ranges, each index once, with
 * thread ids under t; with one thread it runs on the caller's thread. */
struct split_log {
    _Atomic int visits[64];
    _Atomic int bad_thread, calls;
    int t;
    int caller_only; /* every range must run on the thread that called */
    pthread_t caller;
};

static void log_range(void *ctx, size_t begin, size_t end, int thread)
{
    struct split_log *g = ctx;
    atomic_fetch_add(&g->calls, 1);
    if (thread < 0 || thread >= g->t || begin >= end) atomic_fetch_add(&g->bad_thread, 1);
    if (g->caller_only && !pthread_equal(pthread_self(), g->caller)) atomic_fetch_add(&g->bad_thread, 1);
    for (size_t i = begin; i < end; i++) atomic_fetch_add(&g->visits[i], 1);
}

static void check_split(int t, size_t n)
{
    struct split_log g = { .t = t, .caller_only = t == 1, .caller = pthread_self() };
    sm__parallel(t, n, log_range, &g);
    for (size_t i = 0; i < 64; i++)
        ck_assert_msg(g.visits[i] == (i < n), "t %d n %zu: index %zu visited %d times", t, n, i,
                      (int)g.visits[i]);
    ck_assert_msg(g.bad_thread == 0, "t %d n %zu: a range with a bad thread id or empty", t, n);
    ck_assert_msg(g.calls <= t, "t %d n %zu: %d ranges", t, n, (int)g.calls);
}

START_TEST(parallel_covers_each_index_once)
{
    static const size_t ns[] = { 0, 1, 2, 3, 5, 7, 8, 31, 64 };
    for (int t = 1; t <= 5; t++)
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) check_split(t, ns[i]);
    /* Inside a parallel region (nesting off by default) the team has one
     * thread whatever t asks: the ranges must still cover [0, n). */
    int fails = 0;
#pragma omp parallel num_threads(2) reduction(+ : fails)
    {
        struct split_log g = { .t = 3 };
        sm__parallel(3, 20, log_range, &g);
        for (size_t i = 0; i < 64; i++) fails += g.visits[i] != (i < 20);
        fails += g.bad_thread;
    }
    ck_assert_int_eq(fails, 0);
}
END_TEST

/* The table itself: every slot the vector backends fill is set, and the
 * backend names what its required bits say. */
START_TEST(tables_are_complete)
{
    const struct sm_kernels *k = sm__backend((size_t)_i);
    ck_assert_ptr_nonnull(k);
    ck_assert_ptr_nonnull(k->philox_rows);
    ck_assert_ptr_nonnull(k->mt_uniform);
    ck_assert_ptr_nonnull(k->argsort_noise);
    ck_assert_ptr_nonnull(k->argsort_f32);
    ck_assert_ptr_nonnull(k->inverse_perm);
    ck_assert_ptr_nonnull(k->mask_f32);
    ck_assert_ptr_nonnull(k->mask_u8);
    ck_assert_ptr_nonnull(k->widen_u32_i64);
    ck_assert_ptr_nonnull(k->gather_rows_u32);
    ck_assert_ptr_nonnull(k->gather_rows_i64);
    ck_assert_ptr_nonnull(k->unshuffle_u32);
    ck_assert_ptr_nonnull(k->unshuffle_i64);
    if (strcmp(k->name, "avx512") == 0)
        ck_assert_uint_eq(k->required, SM_CPU_AVX512F | SM_CPU_AVX512BW | SM_CPU_AVX512VL | SM_CPU_AVX512DQ |
                                           SM_CPU_AVX | SM_CPU_AVX2 | SM_CPU_FMA | SM_CPU_BMI2);
    if (strcmp(k->name, "avx2") == 0)
        ck_assert_uint_eq(k->required, SM_CPU_AVX | SM_CPU_AVX2 | SM_CPU_FMA | SM_CPU_BMI2);
    if (strcmp(k->name, "sse4") == 0)
        ck_assert_uint_eq(k->required, SM_CPU_SSE41 | SM_CPU_SSE42 | SM_CPU_POPCNT);
    if (strcmp(k->name, "neon") == 0) {
        ck_assert_uint_eq(k->required, SM_CPU_NEON);
        ck_assert_ptr_nonnull(k->masked_softmax);
        /* Advanced SIMD is in every AArch64 CPU: HWCAP_ASIMD must be seen. */
        ck_assert_msg(sm_cpu_features() & SM_CPU_NEON, "AT_HWCAP detection misses neon");
    }
}
END_TEST

int main(void)
{
    int nb = (int)sm__backend_count();
    Suite *s = suite_create("kernels");
    TCase *tc = tcase_create("vs_scalar");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, tables_are_complete, 0, nb);
    tcase_add_test(tc, parallel_covers_each_index_once);
    tcase_add_loop_test(tc, philox_matches_scalar, 0, nb);
    tcase_add_loop_test(tc, mt_matches_scalar, 0, nb);
    tcase_add_loop_test(tc, perm_mask_widen_match_scalar, 0, nb);
    tcase_add_loop_test(tc, gathers_match_scalar, 0, nb);
    tcase_add_loop_test(tc, random_shapes_match_scalar, 0, nb);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
