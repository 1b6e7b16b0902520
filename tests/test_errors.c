/* Bad input for every public entry point: the status, a fresh non-empty
 * sm_last_error(), and every output (filled with a canary byte first)
 * unchanged, generators included. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

#define C T_CANARY
#define BIG ((size_t)1 << 62)

/* ------------------------------------------------------------- generators */

START_TEST(rng_init)
{
    sm_rng g;
    memset(&g, C, sizeof g);
    T_EXPECT_FAIL(sm_rng_init(NULL, SM_RNG_PHILOX, 1, 0), SM_EINVAL);
    T_EXPECT_FAIL(sm_rng_init(&g, (sm_rng_kind)2, 1, 0), SM_EINVAL);
    T_EXPECT_FAIL(sm_rng_init(&g, (sm_rng_kind)-1, 1, 0), SM_EINVAL);
    T_TRUE(t_all_bytes(&g, sizeof g, C));
}
END_TEST

START_TEST(rng_uniform)
{
    sm_rng g, saved;
    T_OK(sm_rng_init(&g, SM_RNG_TORCH, 5, 0));
    saved = g;
    float *noise = t_alloc(64 * 4, C);
    T_EXPECT_FAIL(sm_rng_uniform(NULL, noise, 1, 4), SM_EINVAL);
    T_EXPECT_FAIL(sm_rng_uniform(&g, NULL, 1, 4), SM_EINVAL);
    T_EXPECT_FAIL(sm_rng_uniform(&g, noise, 0, 4), SM_EINVAL);
    T_EXPECT_FAIL(sm_rng_uniform(&g, noise, 4, 0), SM_EINVAL);
    T_EXPECT_FAIL(sm_rng_uniform(&g, noise, BIG, 4), SM_EOVERFLOW);
    T_EXPECT_FAIL(sm_rng_uniform(&g, noise, SIZE_MAX, SIZE_MAX), SM_EOVERFLOW);
    T_EXPECT_FAIL(sm_rng_uniform(&g, noise, 1, SIZE_MAX / 2), SM_EOVERFLOW);
    /* The noise overlapping the generator itself. */
    T_EXPECT_FAIL(sm_rng_uniform(&g, (float *)&g.mt[10], 1, 4), SM_EALIAS);
    {
        /* noise ending inside a generator placed 8 bytes into a block */
        char *block = malloc(sizeof(sm_rng) + 8);
        sm_rng *h = (sm_rng *)(void *)(block + 8);
        *h = g;
        T_EXPECT_FAIL(sm_rng_uniform(h, (float *)(void *)block, 1, 3), SM_EALIAS);
        T_RNG_EQ(*h, saved);
        free(block);
    }
    T_TRUE(t_all_bytes(noise, 64 * 4, C));
    T_RNG_EQ(g, saved);
    /* A generator not made by sm_rng_init, or corrupted. */
    sm_rng bad;
    memset(&bad, C, sizeof bad);
    T_EXPECT_FAIL(sm_rng_uniform(&bad, noise, 1, 4), SM_EINVAL);
    bad = g;
    bad.mti = SM_MT_N + 1;
    T_EXPECT_FAIL(sm_rng_uniform(&bad, noise, 1, 4), SM_EINVAL);
    T_TRUE(t_all_bytes(noise, 64 * 4, C));
    free(noise);
}
END_TEST

/* ---------------------------------------------------------------- argsort */

START_TEST(argsort)
{
    float keys[16] = { 3, 1, 2 };
    int64_t *idx = t_alloc(16 * 8, C);
    T_EXPECT_FAIL(sm_argsort(NULL, 1, 4, SM_ASCENDING, SM_INDEX_I64, idx), SM_EINVAL);
    T_EXPECT_FAIL(sm_argsort(keys, 1, 4, SM_ASCENDING, SM_INDEX_I64, NULL), SM_EINVAL);
    T_EXPECT_FAIL(sm_argsort(keys, 0, 4, SM_ASCENDING, SM_INDEX_I64, idx), SM_EINVAL);
    T_EXPECT_FAIL(sm_argsort(keys, 1, 0, SM_ASCENDING, SM_INDEX_I64, idx), SM_EINVAL);
    T_EXPECT_FAIL(sm_argsort(keys, 1, 4, (sm_order)2, SM_INDEX_I64, idx), SM_EINVAL);
    T_EXPECT_FAIL(sm_argsort(keys, 1, 4, (sm_order)-1, SM_INDEX_I64, idx), SM_EINVAL);
    T_EXPECT_FAIL(sm_argsort(keys, 1, 4, SM_ASCENDING, (sm_index_type)2, idx), SM_EINVAL);
    T_EXPECT_FAIL(sm_argsort(keys, BIG, 4, SM_ASCENDING, SM_INDEX_I64, idx), SM_EOVERFLOW);
    T_EXPECT_FAIL(sm_argsort(keys, SIZE_MAX, 2, SM_ASCENDING, SM_INDEX_I32, idx), SM_EOVERFLOW);
    /* Rows longer than int32 indices can count (checked before any memory use). */
    T_EXPECT_FAIL(sm_argsort(keys, 1, (size_t)INT32_MAX + 1, SM_ASCENDING, SM_INDEX_I32, idx),
                  SM_EOVERFLOW);
    /* Indices written over the keys. */
    T_EXPECT_FAIL(sm_argsort(keys, 1, 4, SM_ASCENDING, SM_INDEX_I32, keys + 2), SM_EALIAS);
    T_EXPECT_FAIL(sm_argsort(keys + 4, 1, 4, SM_ASCENDING, SM_INDEX_I64, keys), SM_EALIAS);
    T_TRUE(t_all_bytes(idx, 16 * 8, C));
    T_TRUE(keys[0] == 3 && keys[1] == 1 && keys[2] == 2 && keys[3] == 0);
    free(idx);
}
END_TEST

/* ---------------------------------------------------------------- masking */

START_TEST(len_keep)
{
    size_t k = 777;
    const double bad[] = { NAN, -NAN, -0.1, -1e-300, 1.0000000000000002, 1.5, INFINITY, -INFINITY, 1e300 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_EXPECT_FAIL(sm_len_keep(10, bad[i], &k), SM_EINVAL);
        T_UINT_EQ(k, 777);
    }
    T_EXPECT_FAIL(sm_len_keep(10, 0.5, NULL), SM_EINVAL);
}
END_TEST

/* Every output of a [2][8] problem with 4-byte rows, canary-filled, plus a
 * check that none changed. */
struct bufs {
    sm_rng rng, saved;
    float noise_in[16], x[16];
    float *noise;
    int64_t *shuffle, *restore, *keep;
    float *mask, *xm;
};

static void bufs_init(struct bufs *b, sm_rng_kind kind)
{
    T_OK(sm_rng_init(&b->rng, kind, 3, 4));
    b->saved = b->rng;
    for (int i = 0; i < 16; i++) b->noise_in[i] = b->x[i] = (float)i;
    b->noise = t_alloc(16 * 4, C);
    b->shuffle = t_alloc(16 * 8, C);
    b->restore = t_alloc(16 * 8, C);
    b->keep = t_alloc(16 * 8, C);
    b->mask = t_alloc(16 * 4, C);
    b->xm = t_alloc(16 * 4, C);
}

static sm_masking bufs_masking(struct bufs *b)
{
    sm_masking m = {
        .n = 2, .l = 8, .mask_ratio = 0.5, .rng = &b->rng, .x = b->x, .row_bytes = 4,
        .noise = b->noise, .ids_shuffle = b->shuffle, .ids_restore = b->restore,
        .ids_keep = b->keep, .mask = b->mask, .x_masked = b->xm, .len_keep = 999,
    };
    return m;
}

static void bufs_untouched(struct bufs *b, const sm_masking *m)
{
    T_TRUE(t_all_bytes(b->noise, 16 * 4, C));
    T_TRUE(t_all_bytes(b->shuffle, 16 * 8, C));
    T_TRUE(t_all_bytes(b->restore, 16 * 8, C));
    T_TRUE(t_all_bytes(b->keep, 16 * 8, C));
    T_TRUE(t_all_bytes(b->mask, 16 * 4, C));
    T_TRUE(t_all_bytes(b->xm, 16 * 4, C));
    T_RNG_EQ(b->rng, b->saved);
    if (m) T_UINT_EQ(m->len_keep, 999);
}

static void bufs_free(struct bufs *b)
{
    free(b->noise), free(b->shuffle), free(b->restore), free(b->keep), free(b->mask), free(b->xm);
}

/* One bad field at a time; `edit` is applied to a good masking. */
#define BAD_MASKING(edit, want)                                                                \
    do {                                                                                       \
        sm_masking m = bufs_masking(&b);                                                       \
        edit;                                                                                  \
        T_EXPECT_FAIL(sm_random_masking(&m), want);                                            \
        bufs_untouched(&b, &m);                                                                \
    } while (0)

START_TEST(random_masking)
{
    struct bufs b;
    bufs_init(&b, (sm_rng_kind)_i);
    T_EXPECT_FAIL(sm_random_masking(NULL), SM_EINVAL);
    BAD_MASKING(m.n = 0, SM_EINVAL);
    BAD_MASKING(m.l = 0, SM_EINVAL);
    BAD_MASKING(m.rng = NULL, SM_EINVAL);                       /* no noise source */
    BAD_MASKING(m.noise_in = b.noise_in, SM_EINVAL);            /* two noise sources */
    BAD_MASKING(m.mask_ratio = NAN, SM_EINVAL);
    BAD_MASKING(m.mask_ratio = -0.25, SM_EINVAL);
    BAD_MASKING(m.mask_ratio = 1.25, SM_EINVAL);
    BAD_MASKING(m.mask_ratio = INFINITY, SM_EINVAL);
    BAD_MASKING(m.mask_ratio = -INFINITY, SM_EINVAL);
    BAD_MASKING(m.index_type = (sm_index_type)2, SM_EINVAL);
    BAD_MASKING(m.index_type = (sm_index_type)-1, SM_EINVAL);
    BAD_MASKING(m.mask_type = (sm_mask_type)2, SM_EINVAL);
    BAD_MASKING(m.x = NULL, SM_EINVAL);                         /* x_masked wanted */
    BAD_MASKING(m.row_bytes = 0, SM_EINVAL);
    BAD_MASKING(m.n = BIG, SM_EOVERFLOW);
    BAD_MASKING((m.n = SIZE_MAX, m.l = SIZE_MAX), SM_EOVERFLOW);
    BAD_MASKING(m.row_bytes = BIG, SM_EOVERFLOW);
    BAD_MASKING((m.n = 1, m.l = (size_t)INT32_MAX + 1, m.index_type = SM_INDEX_I32), SM_EOVERFLOW);
    BAD_MASKING((m.n = 1, m.l = (size_t)UINT32_MAX + 1), SM_EOVERFLOW);
    /* Generators not made by sm_rng_init. */
    sm_rng junk;
    memset(&junk, C, sizeof junk);
    BAD_MASKING(m.rng = &junk, SM_EINVAL);
    /* Overlaps: outputs with each other, with inputs, with the generator. */
    BAD_MASKING(m.ids_restore = b.shuffle + 3, SM_EALIAS);
    BAD_MASKING(m.ids_keep = b.restore + 15, SM_EALIAS);
    BAD_MASKING(m.mask = (float *)b.noise + 1, SM_EALIAS);
    BAD_MASKING(m.x_masked = b.x + 2, SM_EALIAS);
    BAD_MASKING(m.noise = (float *)&b.rng, SM_EALIAS);
    BAD_MASKING((m.rng = NULL, m.noise_in = b.noise_in, m.noise = b.noise_in + 8), SM_EALIAS);
    BAD_MASKING(m.ids_shuffle = b.mask, SM_EALIAS);
    /* The generator is written (advanced): it is an output too, so tokens
     * read from inside it would change while they are gathered. */
    BAD_MASKING((m.x = &b.rng.mt[100], m.row_bytes = 1), SM_EALIAS);
    /* The output overlapping the argument struct (len_keep is written there). */
    {
        sm_masking *heap = malloc(sizeof(sm_masking) + 64);
        *heap = bufs_masking(&b);
        heap->noise = (float *)(void *)&heap->len_keep;
        T_EXPECT_FAIL(sm_random_masking(heap), SM_EALIAS);
        T_UINT_EQ(heap->len_keep, 999);
        heap->noise = b.noise;
        bufs_untouched(&b, heap);
        free(heap);
    }
    bufs_free(&b);
}
END_TEST

START_TEST(unshuffle)
{
    float xm[2 * 3], token = -1, out[16 + 4];
    int64_t r64[16];
    int32_t r32[16];
    for (int i = 0; i < 16; i++) r64[i] = r32[i] = (i * 5) % 8;
    for (int i = 0; i < 6; i++) xm[i] = (float)i;
    memset(out, C, sizeof out);
#define UN(xm_, tok, ids, it, n, l, keep, rb, out_) sm_unshuffle(xm_, tok, ids, it, n, l, keep, rb, out_)
    T_EXPECT_FAIL(UN(NULL, &token, r64, SM_INDEX_I64, 2, 8, 3, 4, out), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, NULL, r64, SM_INDEX_I64, 2, 8, 3, 4, out), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, &token, NULL, SM_INDEX_I64, 2, 8, 3, 4, out), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 8, 3, 4, NULL), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 0, 8, 3, 4, out), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 0, 0, 4, out), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 8, 3, 0, out), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 8, 9, 4, out), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, &token, r64, (sm_index_type)7, 2, 8, 3, 4, out), SM_EINVAL);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, BIG, 8, 3, 4, out), SM_EOVERFLOW);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 8, 3, BIG, out), SM_EOVERFLOW);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 8, 3, 4, xm + 1), SM_EALIAS);
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 8, 3, 4, (float *)r64 + 4), SM_EALIAS);
    T_EXPECT_FAIL(UN(xm, out + 5, r64, SM_INDEX_I64, 2, 8, 3, 4, out), SM_EALIAS);
    T_TRUE(t_all_bytes(out, sizeof out, C));
    /* Indices outside [0, l), in the last row so that the first is valid. */
    const int64_t bad64[] = { -1, 8, INT64_MIN, INT64_MAX, 1ll << 32 };
    for (size_t i = 0; i < 5; i++) {
        r64[13] = bad64[i];
        T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 8, 3, 4, out), SM_ERANGE);
        T_TRUE(t_all_bytes(out, sizeof out, C));
    }
    r64[13] = -1;
    T_EXPECT_FAIL(UN(xm, &token, r64, SM_INDEX_I64, 2, 8, 3, 4, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index -1 is out of bounds for dimension 1 with size 8");
    const int32_t bad32[] = { -1, 8, INT32_MIN, INT32_MAX };
    for (size_t i = 0; i < 4; i++) {
        r32[15] = bad32[i];
        T_EXPECT_FAIL(UN(xm, &token, r32, SM_INDEX_I32, 2, 8, 3, 4, out), SM_ERANGE);
        T_TRUE(t_all_bytes(out, sizeof out, C));
    }
    ck_assert_str_eq(sm_last_error(), "index 2147483647 is out of bounds for dimension 1 with size 8");
#undef UN
}
END_TEST

/* ---------------------------------------------------------------- gathers */

START_TEST(gather_rows)
{
    float src[2 * 4];
    int64_t i64[2 * 3] = { 0, 1, 2, 3, 2, 1 };
    int32_t i32[2 * 3] = { 0, 1, 2, 3, 2, 1 };
    float out[6 + 2];
    memset(out, C, sizeof out);
    for (int i = 0; i < 8; i++) src[i] = (float)i;
    T_EXPECT_FAIL(sm_gather_rows(NULL, 2, 4, 4, i64, SM_INDEX_I64, 3, out), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, NULL, SM_INDEX_I64, 3, out), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, i64, SM_INDEX_I64, 3, NULL), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather_rows(src, 0, 4, 4, i64, SM_INDEX_I64, 3, out), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 0, 4, i64, SM_INDEX_I64, 3, out), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 0, i64, SM_INDEX_I64, 3, out), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, i64, (sm_index_type)3, 3, out), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather_rows(src, BIG, 4, 4, i64, SM_INDEX_I64, 3, out), SM_EOVERFLOW);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, i64, SM_INDEX_I64, SIZE_MAX, out), SM_EOVERFLOW);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, SIZE_MAX, i64, SM_INDEX_I64, 3, out), SM_EOVERFLOW);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, i64, SM_INDEX_I64, 3, src + 7), SM_EALIAS);
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, i64, SM_INDEX_I64, 3, (float *)i64 + 11), SM_EALIAS);
    T_TRUE(t_all_bytes(out, sizeof out, C));
    const int64_t bad64[] = { -1, 4, INT64_MIN, 1ll << 32 };
    for (size_t i = 0; i < 4; i++) {
        i64[5] = bad64[i];
        T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, i64, SM_INDEX_I64, 3, out), SM_ERANGE);
        T_TRUE(t_all_bytes(out, sizeof out, C));
    }
    i64[5] = 4;
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, i64, SM_INDEX_I64, 3, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index 4 is out of bounds for dimension 1 with size 4");
    i32[4] = -1;
    T_EXPECT_FAIL(sm_gather_rows(src, 2, 4, 4, i32, SM_INDEX_I32, 3, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index -1 is out of bounds for dimension 1 with size 4");
    T_TRUE(t_all_bytes(out, sizeof out, C));
}
END_TEST

/* The index check at every position of 1..70 indices (the whole vector
 * body and every remainder of the check's loops), each kind of bad value,
 * both index types: the first bad index is the one reported, and nothing is
 * written. */
START_TEST(gather_rows_bad_index_anywhere)
{
    enum { MAXN = 70, L = 6 };
    char src[L];
    char out[MAXN + 1];
    int64_t i64[MAXN];
    int32_t i32[MAXN];
    const int64_t bad64[] = { -1, L, INT64_MIN, INT64_MAX, 1ll << 32, (1ll << 32) + 2, -(1ll << 32) };
    const int32_t bad32[] = { -1, L, INT32_MIN, INT32_MAX };
    char want[128];
    for (int i = 0; i < L; i++) src[i] = (char)i;
    for (size_t n = 1; n <= MAXN; n++)
        for (size_t p = 0; p < n; p++) {
            for (size_t i = 0; i < n; i++) i64[i] = i32[i] = (int32_t)(i % L);
            for (size_t b = 0; b < sizeof bad64 / sizeof bad64[0]; b++) {
                i64[p] = bad64[b];
                if (p + 1 < n) i64[n - 1] = -5; /* a later bad index is not the one reported */
                memset(out, C, sizeof out);
                T_EXPECT_FAIL(sm_gather_rows(src, 1, L, 1, i64, SM_INDEX_I64, n, out), SM_ERANGE);
                T_TRUE(t_all_bytes(out, sizeof out, C));
                snprintf(want, sizeof want, "index %lld is out of bounds for dimension 1 with size %d",
                         (long long)bad64[b], L);
                ck_assert_str_eq(sm_last_error(), want);
                i64[n - 1] = (int64_t)((n - 1) % L);
            }
            i64[p] = (int64_t)(p % L);
            for (size_t b = 0; b < sizeof bad32 / sizeof bad32[0]; b++) {
                i32[p] = bad32[b];
                if (p + 1 < n) i32[n - 1] = -5;
                memset(out, C, sizeof out);
                T_EXPECT_FAIL(sm_gather_rows(src, 1, L, 1, i32, SM_INDEX_I32, n, out), SM_ERANGE);
                T_TRUE(t_all_bytes(out, sizeof out, C));
                snprintf(want, sizeof want, "index %d is out of bounds for dimension 1 with size %d",
                         (int)bad32[b], L);
                ck_assert_str_eq(sm_last_error(), want);
                i32[n - 1] = (int32_t)((n - 1) % L);
            }
        }
    /* And all valid: the gather runs. */
    for (size_t i = 0; i < MAXN; i++) i64[i] = (int64_t)(L - 1 - i % L);
    ck_assert_int_eq(sm_gather_rows(src, 1, L, 1, i64, SM_INDEX_I64, MAXN, out), SM_OK);
    for (size_t i = 0; i < MAXN; i++) ck_assert_int_eq(out[i], (char)(L - 1 - i % L));
}
END_TEST

START_TEST(gather)
{
    float in[4 * 3];
    for (int i = 0; i < 12; i++) in[i] = (float)i;
    int64_t shape_in[2] = { 4, 3 }, shape_ix[2] = { 2, 3 };
    int64_t ix[6] = { 0, 1, 2, 3, 0, 1 };
    float out[6 + 2];
    memset(out, C, sizeof out);
    sm_view vin = { in, 2, shape_in, NULL }, vix = { ix, 2, shape_ix, NULL };
    T_EXPECT_FAIL(sm_gather(NULL, 4, 0, &vix, out), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather(&vin, 4, 0, NULL, out), SM_EINVAL);
    T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &vix, NULL), SM_EINVAL);
    for (size_t es = 0; es <= 16; es++)
        if (es != 1 && es != 2 && es != 4 && es != 8) T_EXPECT_FAIL(sm_gather(&vin, es, 0, &vix, out), SM_EINVAL);
    /* dims out of range: 2-dim tensors take dim in [-2, 1] */
    const int bad_dims[] = { 2, -3, 100, INT32_MIN };
    for (size_t i = 0; i < 4; i++) T_EXPECT_FAIL(sm_gather(&vin, 4, bad_dims[i], &vix, out), SM_EINVAL);
    {
        sm_view v = vin;
        v.data = NULL;
        T_EXPECT_FAIL(sm_gather(&v, 4, 0, &vix, out), SM_EINVAL);
        v = vin, v.shape = NULL;
        T_EXPECT_FAIL(sm_gather(&v, 4, 0, &vix, out), SM_EINVAL);
        v = vix, v.data = NULL;
        T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &v, out), SM_EINVAL);
        const int bad_nd[] = { 0, -1, SM_MAX_DIMS + 1 };
        for (size_t i = 0; i < 3; i++) {
            v = vin, v.ndim = bad_nd[i];
            T_EXPECT_FAIL(sm_gather(&v, 4, 0, &vix, out), SM_EINVAL);
            v = vix, v.ndim = bad_nd[i];
            T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &v, out), SM_EINVAL);
        }
        /* Ranks differ. */
        int64_t flat[1] = { 6 };
        v = (sm_view){ ix, 1, flat, NULL };
        T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &v, out), SM_EINVAL);
        /* index larger than input on a dim other than dim */
        int64_t wide[2] = { 2, 4 };
        v = vix, v.shape = wide;
        T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &v, out), SM_EINVAL);
        /* negative sizes and strides */
        int64_t neg_shape[2] = { -1, 3 }, neg_stride[2] = { 3, -1 };
        v = vin, v.shape = neg_shape;
        T_EXPECT_FAIL(sm_gather(&v, 4, 0, &vix, out), SM_EINVAL);
        v = vin, v.strides = neg_stride;
        T_EXPECT_FAIL(sm_gather(&v, 4, 0, &vix, out), SM_EINVAL);
        /* sizes whose product or extent overflows */
        int64_t huge[2] = { INT64_MAX, 3 }, huge_stride[2] = { INT64_MAX, 1 };
        v = vin, v.shape = huge;
        T_EXPECT_FAIL(sm_gather(&v, 4, 0, &vix, out), SM_EOVERFLOW);
        v = vin, v.strides = huge_stride;
        T_EXPECT_FAIL(sm_gather(&v, 8, 0, &vix, out), SM_EOVERFLOW);
        int64_t tall_ix[2] = { 1ll << 40, 3 };
        v = vix, v.shape = tall_ix;
        T_EXPECT_FAIL(sm_gather(&vin, 4, 1, &v, out), SM_EINVAL); /* 2^40 > input's 4 rows */
        int64_t big_ix[2] = { 1ll << 40, 1ll << 30 }, big_in[2] = { 1ll << 40, 1ll << 30 };
        sm_view w = { in, 2, big_in, NULL };
        v = vix, v.shape = big_ix;
        T_EXPECT_FAIL(sm_gather(&w, 8, 1, &v, out), SM_EOVERFLOW);
    }
    /* Overlaps. */
    T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &vix, in + 11), SM_EALIAS);
    T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &vix, (float *)ix + 1), SM_EALIAS);
    T_TRUE(t_all_bytes(out, sizeof out, C));
    /* Out-of-range and negative indices, with PyTorch's message. */
    ix[5] = -1;
    T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &vix, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index -1 is out of bounds for dimension 0 with size 4");
    T_EXPECT_FAIL(sm_gather(&vin, 4, -2, &vix, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index -1 is out of bounds for dimension 0 with size 4");
    ix[5] = 4;
    T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &vix, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index 4 is out of bounds for dimension 0 with size 4");
    ix[5] = 1;
    ix[3] = 3; /* fine for dim 0 (size 4), out of range for dim 1 (size 3) */
    T_EXPECT_FAIL(sm_gather(&vin, 4, 1, &vix, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index 3 is out of bounds for dimension 1 with size 3");
    T_EXPECT_FAIL(sm_gather(&vin, 4, -1, &vix, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index 3 is out of bounds for dimension 1 with size 3");
    ix[3] = INT64_MIN;
    T_EXPECT_FAIL(sm_gather(&vin, 4, 0, &vix, out), SM_ERANGE);
    T_TRUE(t_all_bytes(out, sizeof out, C));
    ix[3] = 3;
}
END_TEST

/* The MAE pattern (stride-0 index over [N, L, D]) takes the row path: its
 * errors must still name dim 1 and leave the output alone. */
START_TEST(gather_row_pattern)
{
    enum { N = 2, L = 5, D = 3, K = 2 };
    float in[N * L * D], out[N * K * D + 2];
    for (int i = 0; i < N * L * D; i++) in[i] = (float)i;
    int64_t ids[N * K] = { 4, 0, 1, 7 };
    int64_t shape_in[3] = { N, L, D }, shape_ix[3] = { N, K, D }, strides_ix[3] = { K, 1, 0 };
    sm_view vin = { in, 3, shape_in, NULL }, vix = { ids, 3, shape_ix, strides_ix };
    memset(out, C, sizeof out);
    T_EXPECT_FAIL(sm_gather(&vin, 4, 1, &vix, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index 7 is out of bounds for dimension 1 with size 5");
    ids[3] = -3;
    T_EXPECT_FAIL(sm_gather(&vin, 4, -2, &vix, out), SM_ERANGE);
    ck_assert_str_eq(sm_last_error(), "index -3 is out of bounds for dimension 1 with size 5");
    T_TRUE(t_all_bytes(out, sizeof out, C));
    T_EXPECT_FAIL(sm_gather(&vin, 4, 1, &vix, in + 3), SM_EALIAS);
    T_TRUE(t_all_bytes(out, sizeof out, C));
}
END_TEST

/* ------------------------------------------------------- backends, threads */

START_TEST(backends)
{
    const char *before = sm_backend_active(), *reason = sm_backend_reason();
    const char *bad[] = { "", "nope", "SCALAR", "scalar ", "avx1024", "auto2" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_EXPECT_FAIL(sm_backend_set(bad[i]), SM_ENOTFOUND);
        ck_assert_str_eq(sm_backend_active(), before);
        ck_assert_str_eq(sm_backend_reason(), reason);
    }
    /* A name longer than any message buffer. */
    char long_name[1000];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    T_EXPECT_FAIL(sm_backend_set(long_name), SM_ENOTFOUND);
    ck_assert_str_eq(sm_backend_active(), before);
    for (size_t i = 0; i < sm_backend_count(); i++)
        if (!sm_backend_supported(i)) {
            T_EXPECT_FAIL(sm_backend_set(sm_backend_name(i)), SM_EUNSUPPORTED);
            ck_assert_str_eq(sm_backend_active(), before);
        }
    ck_assert_ptr_null(sm_backend_name(sm_backend_count()));
    ck_assert_ptr_null(sm_backend_name(SIZE_MAX));
    ck_assert_int_eq(sm_backend_supported(sm_backend_count()), 0);
    ck_assert_int_eq(sm_backend_supported(SIZE_MAX), 0);
}
END_TEST

START_TEST(threads_and_misc)
{
    T_OK(sm_set_num_threads(3));
    T_EXPECT_FAIL(sm_set_num_threads(-1), SM_EINVAL);
    T_EXPECT_FAIL(sm_set_num_threads(INT32_MIN), SM_EINVAL);
    ck_assert_int_eq(sm_get_num_threads(), 3);
    T_OK(sm_set_num_threads(0));
    /* Unknown values give text, never NULL. */
    ck_assert_ptr_nonnull(sm_strerror((sm_status)99));
    ck_assert_ptr_nonnull(sm_strerror((sm_status)-1));
    ck_assert_ptr_null(sm_cpu_feature_name(0));
    ck_assert_ptr_null(sm_cpu_feature_name(1u << 31));
    ck_assert_ptr_null(sm_cpu_feature_name(SM_CPU_SSE41 | SM_CPU_SSE42));
}
END_TEST

/* sm_last_error() is per thread: a failure on another thread neither
 * replaces this thread's message nor sees it. */
static void *fail_elsewhere(void *arg)
{
    (void)arg;
    static char seen[256];
    snprintf(seen, sizeof seen, "%s", sm_last_error()); /* new thread: empty */
    sm_len_keep(10, -1.0, NULL);
    return seen;
}

START_TEST(message_is_per_thread)
{
    T_EXPECT_FAIL(sm_backend_set("only-on-main"), SM_ENOTFOUND);
    char mine[256];
    snprintf(mine, sizeof mine, "%s", sm_last_error());
    pthread_t th;
    void *seen;
    ck_assert_int_eq(pthread_create(&th, NULL, fail_elsewhere, NULL), 0);
    ck_assert_int_eq(pthread_join(th, &seen), 0);
    ck_assert_str_eq((const char *)seen, "");
    ck_assert_str_eq(sm_last_error(), mine);
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("errors");
    tcase_set_timeout(tc, T_TIMEOUT_SHORT);
    tcase_add_test(tc, rng_init);
    tcase_add_test(tc, rng_uniform);
    tcase_add_test(tc, argsort);
    tcase_add_test(tc, len_keep);
    tcase_add_loop_test(tc, random_masking, 0, 2); /* philox, torch */
    tcase_add_test(tc, unshuffle);
    tcase_add_test(tc, gather_rows);
    tcase_add_test(tc, gather_rows_bad_index_anywhere);
    tcase_add_test(tc, gather);
    tcase_add_test(tc, gather_row_pattern);
    tcase_add_test(tc, backends);
    tcase_add_test(tc, threads_and_misc);
    tcase_add_test(tc, message_is_per_thread);
    suite_add_tcase(s, tc);
    return s;
}
