/* Gathers against references written here: sm_gather_rows and sm_unshuffle
 * on random shapes, row sizes and index types; sm_gather (torch.gather) on
 * random 1..8-dim strided views (stride 0 included) of 1, 2, 4 and 8-byte
 * elements; the MAE expand pattern; thread counts; backend vs scalar. */
#include <stdlib.h>

#include "testutil.h"

static void fill_bytes(t_rand *r, void *p, size_t n)
{
    unsigned char *b = p;
    for (size_t i = 0; i < n; i++) b[i] = (unsigned char)t_next(r);
}

static size_t draw_row_bytes(t_rand *r)
{
    static const size_t sizes[] = { 1, 2, 3, 4, 7, 8, 12, 16, 31, 32, 33, 48, 63, 64, 65, 100, 128, 192, 257, 768 };
    return sizes[t_below(r, sizeof sizes / sizeof sizes[0])];
}

/* ---------------------------------------------------------------- rows */

START_TEST(gather_rows_random)
{
    t_rand r = { 0x6A00 + (uint64_t)_i };
    for (int iter = 0; iter < 400; iter++) {
        size_t n = 1 + t_below(&r, 6), l = 1 + t_below(&r, 300), k = t_below(&r, 2 * l + 1);
        size_t rb = draw_row_bytes(&r), off = t_below(&r, 8); /* unaligned starts */
        sm_index_type it = (sm_index_type)t_below(&r, 2);
        size_t isz = it == SM_INDEX_I32 ? 4 : 8;
        char *src = malloc(n * l * rb + 8), *out = t_alloc(n * k * rb + 8 + 16, T_CANARY);
        fill_bytes(&r, src, n * l * rb + 8);
        void *idx = malloc(n * k * isz + 1);
        for (size_t i = 0; i < n * k; i++) {
            uint64_t v = t_below(&r, l);
            if (it == SM_INDEX_I32) ((int32_t *)idx)[i] = (int32_t)v;
            else ((int64_t *)idx)[i] = (int64_t)v;
        }
        T_OK(sm_gather_rows(src + off, n, l, rb, idx, it, k, out + off));
        T_TRUE(t_all_bytes(out, off, T_CANARY));
        T_TRUE(t_all_bytes(out + off + n * k * rb, 16, T_CANARY));
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < k; j++) {
                int64_t v = it == SM_INDEX_I32 ? ((int32_t *)idx)[i * k + j] : ((int64_t *)idx)[i * k + j];
                T_MSG(memcmp(out + off + (i * k + j) * rb, src + off + (i * l + (size_t)v) * rb, rb) == 0,
                      "iter %d: row %zu,%zu (row_bytes %zu)", iter, i, j, rb);
            }
        free(src), free(out), free(idx);
    }
}
END_TEST

START_TEST(unshuffle_random)
{
    t_rand r = { 0x6B00 };
    for (int iter = 0; iter < 400; iter++) {
        size_t n = 1 + t_below(&r, 6), l = 1 + t_below(&r, 300), keep = t_below(&r, l + 1);
        size_t rb = draw_row_bytes(&r), off = t_below(&r, 8);
        sm_index_type it = (sm_index_type)t_below(&r, 2);
        size_t isz = it == SM_INDEX_I32 ? 4 : 8;
        char *kept = malloc(n * keep * rb + 8), *token = malloc(rb + 8);
        char *out = t_alloc(n * l * rb + 8 + 16, T_CANARY);
        fill_bytes(&r, kept, n * keep * rb + 8);
        fill_bytes(&r, token, rb + 8);
        void *ids = malloc(n * l * isz);
        for (size_t i = 0; i < n * l; i++) { /* any values in [0, l), repeats allowed */
            uint64_t v = t_below(&r, l);
            if (it == SM_INDEX_I32) ((int32_t *)ids)[i] = (int32_t)v;
            else ((int64_t *)ids)[i] = (int64_t)v;
        }
        T_OK(sm_unshuffle(keep ? kept + off : NULL, token + off, ids, it, n, l, keep, rb, out + off));
        T_TRUE(t_all_bytes(out, off, T_CANARY));
        T_TRUE(t_all_bytes(out + off + n * l * rb, 16, T_CANARY));
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < l; j++) {
                int64_t v = it == SM_INDEX_I32 ? ((int32_t *)ids)[i * l + j] : ((int64_t *)ids)[i * l + j];
                const char *want = (size_t)v < keep ? kept + off + (i * keep + (size_t)v) * rb : token + off;
                T_MSG(memcmp(out + off + (i * l + j) * rb, want, rb) == 0, "iter %d: %zu,%zu", iter, i, j);
            }
        free(kept), free(token), free(out), free(ids);
    }
}
END_TEST

/* ------------------------------------------------------------ torch.gather */

struct gcase {
    int nd, dim;
    size_t es;
    int64_t in_shape[SM_MAX_DIMS], in_strides[SM_MAX_DIMS];
    int64_t ix_shape[SM_MAX_DIMS], ix_strides[SM_MAX_DIMS];
    size_t in_span, ix_span, numel; /* elements allocated, output elements */
    char *in;
    int64_t *ix;
};

/* Strides for a shape: dense, padded, permuted or broadcast (0) per dim. */
static size_t make_strides(t_rand *r, int nd, const int64_t *shape, int64_t *strides, bool allow_zero)
{
    int order[SM_MAX_DIMS];
    for (int d = 0; d < nd; d++) order[d] = d;
    if (t_below(r, 2)) /* a random dim order in memory */
        for (int d = nd - 1; d > 0; d--) {
            int j = (int)t_below(r, (uint64_t)d + 1), t = order[d];
            order[d] = order[j], order[j] = t;
        }
    int64_t s = 1;
    for (int i = nd - 1; i >= 0; i--) {
        int d = order[i];
        if (allow_zero && t_below(r, 5) == 0) {
            strides[d] = 0;
            continue;
        }
        strides[d] = s;
        s *= shape[d] + (int64_t)t_below(r, 2); /* padding */
    }
    size_t span = 1;
    for (int d = 0; d < nd; d++) span += (size_t)((shape[d] - 1) * strides[d]);
    return span;
}

static void make_gcase(t_rand *r, struct gcase *g)
{
    static const size_t sizes[] = { 1, 2, 4, 8 };
    g->nd = 1 + (int)t_below(r, SM_MAX_DIMS);
    g->dim = (int)t_below(r, (uint64_t)g->nd);
    g->es = sizes[t_below(r, 4)];
    int64_t budget = 4000; /* keep the element count small */
    g->numel = 1;
    for (int d = 0; d < g->nd; d++) {
        int64_t cap = g->nd > 4 ? 3 : 7;
        g->in_shape[d] = 1 + (int64_t)t_below(r, (uint64_t)cap);
        g->ix_shape[d] = d == g->dim ? 1 + (int64_t)t_below(r, (uint64_t)cap + 2)
                                     : 1 + (int64_t)t_below(r, (uint64_t)g->in_shape[d]);
        if ((int64_t)g->numel * g->ix_shape[d] > budget) g->ix_shape[d] = 1;
        g->numel *= (size_t)g->ix_shape[d];
    }
    g->in_span = make_strides(r, g->nd, g->in_shape, g->in_strides, true);
    g->ix_span = make_strides(r, g->nd, g->ix_shape, g->ix_strides, true);
    g->in = malloc(g->in_span * g->es);
    fill_bytes(r, g->in, g->in_span * g->es);
    g->ix = malloc(g->ix_span * 8);
    for (size_t i = 0; i < g->ix_span; i++) g->ix[i] = (int64_t)t_below(r, (uint64_t)g->in_shape[g->dim]);
}

/* out[p] = in[p with p[dim] = index[p]], p over index's shape, row-major. */
static void reference_gather(const struct gcase *g, char *out)
{
    int64_t pos[SM_MAX_DIMS] = { 0 };
    for (size_t e = 0; e < g->numel; e++) {
        int64_t io = 0, so = 0;
        for (int d = 0; d < g->nd; d++) io += pos[d] * g->ix_strides[d];
        for (int d = 0; d < g->nd; d++) so += (d == g->dim ? g->ix[io] : pos[d]) * g->in_strides[d];
        memcpy(out + e * g->es, g->in + (size_t)so * g->es, g->es);
        for (int d = g->nd - 1; d >= 0 && ++pos[d] == g->ix_shape[d]; d--) pos[d] = 0;
    }
}

START_TEST(gather_random)
{
    t_rand r = { 0x6C00 + (uint64_t)_i };
    for (int iter = 0; iter < 500; iter++) {
        struct gcase g;
        make_gcase(&r, &g);
        char *want = malloc(g.numel * g.es), *out = t_alloc(g.numel * g.es + 8, T_CANARY);
        reference_gather(&g, want);
        sm_view in = { g.in, g.nd, g.in_shape, g.in_strides }, ix = { g.ix, g.nd, g.ix_shape, g.ix_strides };
        int dim = t_below(&r, 2) ? g.dim : g.dim - g.nd;
        T_OK(sm_gather(&in, g.es, dim, &ix, out));
        T_MSG(memcmp(out, want, g.numel * g.es) == 0, "iter %d: %d dims, dim %d, elem %zu", iter, g.nd,
              g.dim, g.es);
        T_TRUE(t_all_bytes(out + g.numel * g.es, 8, T_CANARY));
        free(want), free(out), free(g.in), free(g.ix);
    }
}
END_TEST

/* The MAE pattern: x[N, L, D] gathered by ids_keep.unsqueeze(-1).expand(-1,
 * -1, D) (index strides K, 1, 0) equals the row gather and the reference. */
START_TEST(gather_mae_pattern)
{
    t_rand r = { 0x6D00 };
    for (int iter = 0; iter < 200; iter++) {
        int64_t n = 1 + (int64_t)t_below(&r, 5), l = 1 + (int64_t)t_below(&r, 200), d = 1 + (int64_t)t_below(&r, 40);
        /* index.size(1) is free along dim 1: up to twice L, repeats included. */
        int64_t k = 1 + (int64_t)t_below(&r, 2 * (uint64_t)l);
        size_t es = (size_t)1 << t_below(&r, 4);
        struct gcase g = { .nd = 3, .dim = 1, .es = es, .in_shape = { n, l, d }, .in_strides = { l * d, d, 1 },
                           .ix_shape = { n, k, d }, .ix_strides = { k, 1, 0 } };
        g.numel = (size_t)(n * k * d);
        g.in = malloc((size_t)(n * l * d) * es);
        fill_bytes(&r, g.in, (size_t)(n * l * d) * es);
        g.ix = malloc((size_t)(n * k) * 8);
        for (int64_t i = 0; i < n * k; i++) g.ix[i] = (int64_t)t_below(&r, (uint64_t)l);
        char *want = malloc(g.numel * es), *out = t_alloc(g.numel * es, T_CANARY),
             *rows = t_alloc(g.numel * es, T_CANARY);
        reference_gather(&g, want);
        sm_view in = { g.in, 3, g.in_shape, NULL }, ix = { g.ix, 3, g.ix_shape, g.ix_strides };
        T_OK(sm_gather(&in, es, 1, &ix, out));
        T_OK(sm_gather_rows(g.in, (size_t)n, (size_t)l, (size_t)d * es, g.ix, SM_INDEX_I64, (size_t)k, rows));
        T_MEM_EQ(out, want, g.numel * es);
        T_MEM_EQ(rows, want, g.numel * es);
        free(want), free(out), free(rows), free(g.in), free(g.ix);
    }
}
END_TEST

/* Empty index: nothing to do, nothing written, even with a NULL output. */
START_TEST(gather_empty_index)
{
    float in[6] = { 0 };
    int64_t ix[1] = { 0 }, in_shape[2] = { 2, 3 }, ix_shape[2] = { 0, 3 };
    sm_view vin = { in, 2, in_shape, NULL }, vix = { ix, 2, ix_shape, NULL };
    T_OK(sm_gather(&vin, 4, 0, &vix, NULL));
}
END_TEST

START_TEST(threads_do_not_change_result)
{
    t_rand r = { 0x6E00 };
    size_t n = 64, l = 196, k = 49, rb = 768;
    char *src = malloc(n * l * rb), *want = malloc(n * l * rb), *got = malloc(n * l * rb);
    char *want_u = malloc(n * l * rb);
    fill_bytes(&r, src, n * l * rb);
    int64_t *idx = malloc(n * l * 8);
    for (size_t i = 0; i < n * l; i++) idx[i] = (int64_t)t_below(&r, k);
    const int counts[] = { 1, 2, 3, 7 };
    for (int t = 0; t < 4; t++) {
        T_OK(sm_set_num_threads(counts[t]));
        memset(got, T_CANARY, n * l * rb);
        T_OK(sm_gather_rows(src, n, l, rb, idx, SM_INDEX_I64, k, t ? got : want));
        if (t) T_MEM_EQ(got, want, n * k * rb);
        memset(got, T_CANARY, n * l * rb);
        T_OK(sm_unshuffle(src, src + n * k * rb, idx, SM_INDEX_I64, n, l, k, rb, t ? got : want_u));
        if (t) T_MEM_EQ(got, want_u, n * l * rb);
    }
    free(want_u);
    T_OK(sm_set_num_threads(0));
    free(src), free(want), free(got), free(idx);
}
END_TEST

START_TEST(backend_matches_scalar)
{
    t_rand r = { 0x6F00 };
    for (int iter = 0; iter < 200; iter++) {
        size_t n = 1 + t_below(&r, 4), l = 1 + t_below(&r, 400), k = t_below(&r, l + 1), rb = draw_row_bytes(&r);
        char *src = malloc(n * l * rb), *a = malloc(n * k * rb + 1), *b = malloc(n * k * rb + 1);
        char *ua = malloc(n * l * rb), *ub = malloc(n * l * rb);
        fill_bytes(&r, src, n * l * rb);
        int32_t *idx = malloc(n * l * 4);
        for (size_t i = 0; i < n * l; i++) idx[i] = (int32_t)t_below(&r, l);
        t_use_scalar();
        T_OK(sm_gather_rows(src, n, l, rb, idx, SM_INDEX_I32, k, a));
        T_OK(sm_unshuffle(src, src, idx, SM_INDEX_I32, n, l, k, rb, ua));
        t_use_tested();
        T_OK(sm_gather_rows(src, n, l, rb, idx, SM_INDEX_I32, k, b));
        T_OK(sm_unshuffle(src, src, idx, SM_INDEX_I32, n, l, k, rb, ub));
        T_MEM_EQ(a, b, n * k * rb);
        T_MEM_EQ(ua, ub, n * l * rb);
        free(ua), free(ub);
        struct gcase g;
        make_gcase(&r, &g);
        char *ga = malloc(g.numel * g.es), *gb = malloc(g.numel * g.es);
        sm_view in = { g.in, g.nd, g.in_shape, g.in_strides }, ix = { g.ix, g.nd, g.ix_shape, g.ix_strides };
        t_use_scalar();
        T_OK(sm_gather(&in, g.es, g.dim, &ix, ga));
        t_use_tested();
        T_OK(sm_gather(&in, g.es, g.dim, &ix, gb));
        T_MEM_EQ(ga, gb, g.numel * g.es);
        free(src), free(a), free(b), free(idx), free(ga), free(gb), free(g.in), free(g.ix);
    }
}
END_TEST

/* Outputs above the non-temporal cut-over (24 MiB, rows >= 256 bytes) take
 * the streaming kernels: the row gather, the unshuffle and the masking's
 * x_masked, against a plain copy loop and against scalar, on 1 and 3 threads. */
START_TEST(large_outputs)
{
    enum { N = 16, L = 256, K = 200, RB = 8192 }; /* 26 MB gathered, 34 MB restored */
    t_rand r = { 0x7000 };
    char *src = malloc((size_t)N * L * RB), *a = malloc((size_t)N * L * RB), *b = malloc((size_t)N * L * RB);
    fill_bytes(&r, src, (size_t)N * L * RB);
    int32_t *idx = malloc((size_t)N * L * 4);
    for (size_t i = 0; i < (size_t)N * L; i++) idx[i] = (int32_t)t_below(&r, L);
    for (int threads = 1; threads <= 3; threads += 2) {
        T_OK(sm_set_num_threads(threads));
        t_use_tested();
        T_OK(sm_gather_rows(src, N, L, RB, idx, SM_INDEX_I32, K, b));
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < K; j++)
                T_MSG(memcmp(b + (i * K + j) * RB, src + (i * L + (size_t)idx[i * K + j]) * RB, RB) == 0,
                      "gather row %zu,%zu", i, j);
        T_OK(sm_unshuffle(src, src + RB, idx, SM_INDEX_I32, N, L, K, RB, b));
        t_use_scalar();
        T_OK(sm_unshuffle(src, src + RB, idx, SM_INDEX_I32, N, L, K, RB, a));
        T_MEM_EQ(a, b, (size_t)N * L * RB);

        sm_masking m = { .n = N, .l = L, .mask_ratio = 0.2, .noise_in = (const float *)(void *)idx,
                         .x = src, .row_bytes = RB, .x_masked = a };
        float *noise = malloc((size_t)N * L * 4);
        for (size_t i = 0; i < (size_t)N * L; i++) noise[i] = (float)idx[i];
        m.noise_in = noise;
        T_OK(sm_random_masking(&m)); /* scalar */
        ck_assert_uint_eq(m.len_keep, 204);
        m.x_masked = b;
        t_use_tested();
        T_OK(sm_random_masking(&m));
        T_MEM_EQ(a, b, (size_t)N * 204 * RB);
        free(noise);
    }
    T_OK(sm_set_num_threads(0));
    free(src), free(a), free(b), free(idx);
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("gather");
    const struct t_case tests[] = {
        { "rows", gather_rows_random, 2 },
        { "unshuffle", unshuffle_random, 1 },
        { "general", gather_random, 4 },
        { "mae_pattern", gather_mae_pattern, 1 },
        { "empty", gather_empty_index, 1 },
        { "threads", threads_do_not_change_result, 1 },
        { "vs_scalar", backend_matches_scalar, 1 },
        { "large", large_outputs, 1 },
    };
    t_add_cases(s, tests, sizeof tests / sizeof tests[0]);
    return s;
}
