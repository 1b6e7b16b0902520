/* sm_argsort against a reference written here: a stable merge sort with
 * PyTorch's comparison (NaN above +inf and equal to every NaN, -0 == +0),
 * on rows full of NaN, +-0, +-inf, denormals and ties, both orders, both
 * index types; then thread-count independence and the backend vs scalar. */
#include <math.h>
#include <stdlib.h>

#include "testutil.h"

/* -1, 0, 1 as PyTorch orders a and b ascending. */
static int torch_cmp(float a, float b)
{
    bool na = isnan(a), nb = isnan(b);
    if (na || nb) return na == nb ? 0 : na ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
}

/* Stable: on equal keys the left run's (lower) index goes first, in both
 * orders, as torch.sort(stable=True, descending=True) does. */
static void merge_sort(const float *k, uint32_t *idx, uint32_t *tmp, size_t n, int desc)
{
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(k, idx, tmp, h, desc);
    merge_sort(k, idx + h, tmp, n - h, desc);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        int c = torch_cmp(k[idx[j]], k[idx[i]]);
        if (desc) c = -c;
        tmp[o++] = c < 0 ? idx[j++] : idx[i++]; /* take right only if strictly before */
    }
    while (i < h) tmp[o++] = idx[i++];
    while (j < n) tmp[o++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

static void reference(const float *keys, size_t l, int desc, uint32_t *idx)
{
    uint32_t *tmp = malloc(l * sizeof *tmp);
    for (size_t i = 0; i < l; i++) idx[i] = (uint32_t)i;
    merge_sort(keys, idx, tmp, l, desc);
    free(tmp);
}

static float bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* Keys drawn from a few families so that rows hold ties and specials. */
static float draw_key(t_rand *r, int family)
{
    static const uint32_t specials[] = {
        0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FBFFFFF, 0xFFFFFFFF, /* NaNs, quiet and signalling */
        0x7F800000, 0xFF800000,                                     /* +-inf */
        0x00000000, 0x80000000,                                     /* +-0 */
        0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF,             /* denormals */
        0x00800000, 0x80800000, 0x7F7FFFFF, 0xFF7FFFFF,             /* normal extremes */
        0x3F800000, 0xBF800000,                                     /* +-1 */
    };
    switch (family) {
    case 0: return bits(specials[t_below(r, sizeof specials / sizeof specials[0])]);
    case 1: return (float)t_range(r, -3, 3);                        /* many ties */
    case 2: return bits((uint32_t)t_next(r));                       /* any bits */
    case 3: return (float)t_below(r, 1u << 24) * (1.0f / 16777216.0f); /* noise */
    default: {
        int f = (int)t_below(r, 4);
        return f == 3 ? (float)t_below(r, 4) * 0.25f : draw_key(r, f);
    }
    }
}

static void fill_row(t_rand *r, float *k, size_t l)
{
    int family = (int)t_below(r, 6);
    for (size_t i = 0; i < l; i++) {
        int f = family == 5 ? (int)t_below(r, 5) : family;
        k[i] = draw_key(r, f);
    }
    switch (t_below(r, 10)) { /* sometimes presorted, reversed or constant */
    case 0: {
        uint32_t *idx = malloc(l * 4);
        reference(k, l, 0, idx);
        float *c = malloc(l * 4);
        for (size_t i = 0; i < l; i++) c[i] = k[idx[i]];
        memcpy(k, c, l * 4);
        free(c), free(idx);
        break;
    }
    case 1:
        for (size_t i = 0; i < l / 2; i++) {
            float t = k[i];
            k[i] = k[l - 1 - i], k[l - 1 - i] = t;
        }
        break;
    case 2:
        for (size_t i = 1; i < l; i++) k[i] = k[0];
        break;
    }
}

static size_t draw_len(t_rand *r)
{
    switch (t_below(r, 8)) {
    case 0: return 1 + t_below(r, 4);
    case 1: return 28 + t_below(r, 10); /* around short-row cut-overs */
    case 2: return 250 + t_below(r, 12);
    case 3: return 1 + t_below(r, 5000);
    default: return 1 + t_below(r, 300);
    }
}

static void check_rows(t_rand *r, int iters, bool long_rows)
{
    for (int iter = 0; iter < iters; iter++) {
        size_t n = 1 + t_below(r, 4), l = long_rows ? 4000 + t_below(r, 20000) : draw_len(r);
        float *keys = malloc(n * l * 4);
        for (size_t i = 0; i < n; i++) fill_row(r, keys + i * l, l);
        uint32_t *want = malloc(l * 4);
        int64_t *i64 = t_alloc(n * l * 8 + 8, T_CANARY);
        int32_t *i32 = t_alloc(n * l * 4 + 4, T_CANARY);
        for (int desc = 0; desc < 2; desc++) {
            sm_order o = desc ? SM_DESCENDING : SM_ASCENDING;
            T_OK(sm_argsort(keys, n, l, o, SM_INDEX_I64, i64));
            T_OK(sm_argsort(keys, n, l, o, SM_INDEX_I32, i32));
            T_TRUE(t_all_bytes(i64 + n * l, 8, T_CANARY) && t_all_bytes(i32 + n * l, 4, T_CANARY));
            for (size_t i = 0; i < n; i++) {
                reference(keys + i * l, l, desc, want);
                for (size_t j = 0; j < l; j++) {
                    T_MSG(i64[i * l + j] == want[j] && i32[i * l + j] == (int32_t)want[j],
                                  "iter %d row %zu l %zu %s: position %zu has %lld / %d, reference %u "
                                  "(key %a)", iter, i, l, desc ? "descending" : "ascending", j,
                                  (long long)i64[i * l + j], i32[i * l + j], want[j],
                                  (double)keys[i * l + want[j]]);
                }
            }
        }
        free(keys), free(want), free(i64), free(i32);
    }
}

START_TEST(matches_reference)
{
    t_rand r = { 1000 + (uint64_t)_i };
    check_rows(&r, 400, false);
}
END_TEST

START_TEST(long_rows_match_reference)
{
    t_rand r = { 2000 };
    check_rows(&r, 10, true);
}
END_TEST

/* The orders of the SPEC spelled out on one row. */
START_TEST(spec_order_by_hand)
{
    const float nan = bits(0x7FC00000), inf = bits(0x7F800000);
    /* index:            0    1     2     3    4    5     6    7      8 */
    const float k[] = { nan, 1.0f, -0.0f, inf, 0.0f, -inf, nan, 1.0f, -1e-45f };
    const int64_t asc[] = { 5, 8, 2, 4, 1, 7, 3, 0, 6 };
    const int64_t desc[] = { 0, 6, 3, 1, 7, 2, 4, 8, 5 };
    int64_t got[9];
    T_OK(sm_argsort(k, 1, 9, SM_ASCENDING, SM_INDEX_I64, got));
    T_MEM_EQ(got, asc, sizeof got);
    T_OK(sm_argsort(k, 1, 9, SM_DESCENDING, SM_INDEX_I64, got));
    T_MEM_EQ(got, desc, sizeof got);
}
END_TEST

START_TEST(threads_do_not_change_result)
{
    t_rand r = { 5 };
    size_t n = 300, l = 400;
    float *keys = malloc(n * l * 4);
    for (size_t i = 0; i < n; i++) fill_row(&r, keys + i * l, l);
    int64_t *want = malloc(n * l * 8), *got = malloc(n * l * 8);
    const int counts[] = { 1, 2, 3, 7 };
    for (int desc = 0; desc < 2; desc++)
        for (int t = 0; t < 4; t++) {
            T_OK(sm_set_num_threads(counts[t]));
            T_OK(sm_argsort(keys, n, l, (sm_order)desc, SM_INDEX_I64, t ? got : want));
            if (t) T_MEM_EQ(got, want, n * l * 8);
        }
    T_OK(sm_set_num_threads(0));
    free(keys), free(want), free(got);
}
END_TEST

START_TEST(backend_matches_scalar)
{
    t_rand r = { 6 };
    for (int iter = 0; iter < 300; iter++) {
        size_t n = 1 + t_below(&r, 3), l = draw_len(&r);
        float *keys = malloc(n * l * 4);
        for (size_t i = 0; i < n; i++) fill_row(&r, keys + i * l, l);
        int32_t *a = malloc(n * l * 4), *b = malloc(n * l * 4);
        sm_order o = (sm_order)(iter & 1);
        t_use_scalar();
        T_OK(sm_argsort(keys, n, l, o, SM_INDEX_I32, a));
        t_use_tested();
        T_OK(sm_argsort(keys, n, l, o, SM_INDEX_I32, b));
        T_MSG(memcmp(a, b, n * l * 4) == 0, "%s: n %zu l %zu", t_backend()->name, n, l);
        free(keys), free(a), free(b);
    }
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("argsort");
    TCase *tc = tcase_create("argsort");
    tcase_set_timeout(tc, T_TIMEOUT_LONG);
    tcase_add_loop_test(tc, matches_reference, 0, 4);
    tcase_add_test(tc, long_rows_match_reference);
    tcase_add_test(tc, spec_order_by_hand);
    tcase_add_test(tc, threads_do_not_change_result);
    tcase_add_test(tc, backend_matches_scalar);
    suite_add_tcase(s, tc);
    return s;
}
