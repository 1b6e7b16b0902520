/* PyTorch's own output (tests/golden, computed by PyTorch 1.13 on the CPU)
 * reproduced bit for bit: every masking_*, rand_*, gather_* and unshuffle_*
 * file found in the folder is a case, so new vectors are picked up as they
 * are added. */
#include <stdio.h>
#include <stdlib.h>

#include "golden.h"
#include "testutil.h"

static char **files[4];
static size_t n_files[4];
enum { MASKING, RAND, GATHER, UNSHUFFLE };
static const char *const prefixes[] = { "masking_", "rand_", "gather_", "unshuffle_" };

static golden *load(int kind, int i)
{
    golden *g = golden_load(files[kind][i]);
    T_MSG(g != NULL, "%s", golden_error());
    return g;
}

static const golden_tensor *tensor(const golden *g, const char *name, golden_dtype dtype)
{
    const golden_tensor *t = golden_tensor_get(g, name);
    T_MSG(t != NULL, "%s: no tensor %s", g->file, name);
    T_MSG(t->dtype == dtype, "%s: tensor %s has dtype %d", g->file, name, (int)t->dtype);
    return t;
}

static int64_t param_i64(const golden *g, const char *key)
{
    int64_t v;
    T_MSG(golden_param_i64(g, key, &v) == 0, "%s: no int param %s", g->file, key);
    return v;
}

static double param_f64(const golden *g, const char *key)
{
    double v;
    T_MSG(golden_param_f64(g, key, &v) == 0, "%s: no real param %s", g->file, key);
    return v;
}

/* Index output of either type against PyTorch's int64 values. */
static void expect_ids(const golden *g, const char *what, const void *got, sm_index_type it,
                       const int64_t *want, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        int64_t v = it == SM_INDEX_I32 ? ((const int32_t *)got)[i] : ((const int64_t *)got)[i];
        T_MSG(v == want[i], "%s: %s[%zu] = %lld, PyTorch has %lld (%s indices)", g->file,
                      what, i, (long long)v, (long long)want[i], it == SM_INDEX_I32 ? "int32" : "int64");
    }
}

/* ------------------------------------------------------------------ masking */

/* Variant bits: 1 int32 indices, 2 uint8 mask, 4 PyTorch's noise given as
 * noise_in (the general float argsort) instead of the torch generator (the
 * 24-bit noise argsort). */
static void masking_case(int file, int variant)
{
    golden *g = load(MASKING, file);
    size_t n = (size_t)param_i64(g, "N"), l = (size_t)param_i64(g, "L"), d = (size_t)param_i64(g, "D");
    size_t keep = (size_t)param_i64(g, "len_keep");
    double ratio = param_f64(g, "mask_ratio");
    const golden_tensor *x = tensor(g, "x", GOLDEN_F32), *noise = tensor(g, "noise", GOLDEN_F32),
                        *shuffle = tensor(g, "ids_shuffle", GOLDEN_I64),
                        *restore = tensor(g, "ids_restore", GOLDEN_I64),
                        *ids_keep = tensor(g, "ids_keep", GOLDEN_I64),
                        *x_masked = tensor(g, "x_masked", GOLDEN_F32), *mask = tensor(g, "mask", GOLDEN_F32);
    T_UINT_EQ(x->numel, n * l * d);
    T_UINT_EQ(noise->numel, n * l);
    T_UINT_EQ(ids_keep->numel, n * keep);
    T_UINT_EQ(x_masked->numel, n * keep * d);

    sm_index_type it = variant & 1 ? SM_INDEX_I32 : SM_INDEX_I64;
    sm_mask_type mt = variant & 2 ? SM_MASK_U8 : SM_MASK_F32;
    bool given = variant & 4;
    size_t isz = it == SM_INDEX_I32 ? 4 : 8, msz = mt == SM_MASK_U8 ? 1 : 4;

    sm_rng rng;
    T_OK(sm_rng_init(&rng, SM_RNG_TORCH, (uint64_t)param_i64(g, "seed"), 0));
    float *noise_out = t_alloc(n * l * 4, T_CANARY);
    void *shuffle_out = t_alloc(n * l * isz, T_CANARY), *restore_out = t_alloc(n * l * isz, T_CANARY);
    void *keep_out = t_alloc(n * keep * isz, T_CANARY), *mask_out = t_alloc(n * l * msz, T_CANARY);
    void *xm_out = t_alloc(n * keep * d * 4, T_CANARY);
    sm_masking m = {
        .n = n, .l = l, .mask_ratio = ratio,
        .rng = given ? NULL : &rng, .noise_in = given ? noise->data : NULL,
        .x = x->data, .row_bytes = d * 4, .index_type = it, .mask_type = mt,
        .noise = noise_out, .ids_shuffle = shuffle_out, .ids_restore = restore_out,
        .ids_keep = keep_out, .mask = mask_out, .x_masked = xm_out,
    };
    T_OK(sm_random_masking(&m));
    T_UINT_EQ(m.len_keep, keep);
    T_MEM_EQ(noise_out, noise->data, n * l * 4);
    expect_ids(g, "ids_shuffle", shuffle_out, it, shuffle->data, n * l);
    expect_ids(g, "ids_restore", restore_out, it, restore->data, n * l);
    expect_ids(g, "ids_keep", keep_out, it, ids_keep->data, n * keep);
    if (keep == 0) T_TRUE(t_all_bytes(keep_out, 1, T_CANARY) && t_all_bytes(xm_out, 1, T_CANARY));
    if (mt == SM_MASK_F32) {
        T_MEM_EQ(mask_out, mask->data, n * l * 4);
    } else {
        for (size_t i = 0; i < n * l; i++)
            T_INT_EQ(((uint8_t *)mask_out)[i], ((float *)mask->data)[i] == 1.0f);
    }
    if (keep) T_MEM_EQ(xm_out, x_masked->data, n * keep * d * 4);
    if (!given) T_UINT_EQ(rng.row, n * l); /* torch: words drawn */

    free(noise_out), free(shuffle_out), free(restore_out), free(keep_out), free(mask_out), free(xm_out);
    golden_free(g);
}

START_TEST(masking_golden)
{
    for (int v = 0; v < 8; v++) masking_case(_i, v);
}
END_TEST

/* The seed document's printed output: torch.manual_seed(2324) then
 * random_masking(arange(160).reshape(2, 8, 10), 0.4). */
START_TEST(masking_seed_document)
{
    static const int64_t want_restore[2][8] = { { 1, 0, 2, 4, 7, 6, 3, 5 }, { 3, 0, 6, 4, 1, 5, 2, 7 } };
    /* First element of each x_masked row as printed: x rows 1 0 2 6 / 9 12 14 8. */
    static const float want_first[2][4] = { { 10, 0, 20, 60 }, { 90, 120, 140, 80 } };
    static const float want_mask[2][8] = { { 0, 0, 0, 1, 1, 1, 0, 1 }, { 0, 0, 1, 1, 0, 1, 0, 1 } };
    float x[2][8][10], xm[2][4][10], mask[2][8];
    int64_t restore[2][8];
    for (int i = 0; i < 160; i++) (&x[0][0][0])[i] = (float)i;
    sm_rng rng;
    T_OK(sm_rng_init(&rng, SM_RNG_TORCH, 2324, 0));
    sm_masking m = { .n = 2, .l = 8, .mask_ratio = 0.4, .rng = &rng, .x = x, .row_bytes = 40,
                     .x_masked = xm, .mask = mask, .ids_restore = restore };
    T_OK(sm_random_masking(&m));
    T_UINT_EQ(m.len_keep, 4);
    T_MEM_EQ(mask, want_mask, sizeof mask);
    T_MEM_EQ(restore, want_restore, sizeof restore);
    for (int n = 0; n < 2; n++)
        for (int j = 0; j < 4; j++)
            for (int e = 0; e < 10; e++) T_TRUE(xm[n][j][e] == want_first[n][j] + (float)e);
}
END_TEST

/* --------------------------------------------------------------------- rand */

/* The file's tensors, in order, are consecutive torch.rand calls after
 * torch.manual_seed(seed). Drawn three ways: call by call as PyTorch did,
 * all at once, and one float per call; all must give the same stream. */
START_TEST(rand_golden)
{
    golden *g = load(RAND, _i);
    uint64_t seed = (uint64_t)param_i64(g, "seed");
    size_t total = 0;
    for (size_t t = 0; t < g->n_tensors; t++) {
        T_INT_EQ(g->tensors[t].dtype, GOLDEN_F32);
        total += g->tensors[t].numel;
    }
    float *want = malloc(total * 4), *got = t_alloc(total * 4 + 4, T_CANARY);
    for (size_t t = 0, o = 0; t < g->n_tensors; o += g->tensors[t].numel, t++)
        memcpy(want + o, g->tensors[t].data, g->tensors[t].numel * 4);

    sm_rng rng;
    T_OK(sm_rng_init(&rng, SM_RNG_TORCH, seed, 0));
    for (size_t t = 0, o = 0; t < g->n_tensors; o += g->tensors[t].numel, t++) {
        const golden_tensor *x = &g->tensors[t];
        size_t l = (size_t)x->shape[x->ndim - 1];
        T_OK(sm_rng_uniform(&rng, got + o, x->numel / l, l));
    }
    T_MEM_EQ(got, want, total * 4);
    T_TRUE(t_all_bytes(got + total, 4, T_CANARY));
    T_UINT_EQ(rng.row, total);

    memset(got, T_CANARY, total * 4);
    T_OK(sm_rng_init(&rng, SM_RNG_TORCH, seed, 0));
    T_OK(sm_rng_uniform(&rng, got, 1, total));
    T_MEM_EQ(got, want, total * 4);

    memset(got, T_CANARY, total * 4);
    T_OK(sm_rng_init(&rng, SM_RNG_TORCH, seed, 0));
    for (size_t i = 0; i < total; i++) T_OK(sm_rng_uniform(&rng, got + i, 1, 1));
    T_MEM_EQ(got, want, total * 4);

    /* Only the low 32 bits of the seed count, as in PyTorch: seed s and
     * s + k * 2^32 are the same generator. */
    uint64_t variants[] = { seed & 0xFFFFFFFFu, (seed & 0xFFFFFFFFu) | (0xFFFFFFFFull << 32),
                            seed + (123ull << 32) };
    for (size_t v = 0; v < 3; v++) {
        memset(got, T_CANARY, total * 4);
        T_OK(sm_rng_init(&rng, SM_RNG_TORCH, variants[v], 0));
        T_OK(sm_rng_uniform(&rng, got, 1, total));
        T_MSG(memcmp(got, want, total * 4) == 0, "%s: seed %llx differs", g->file,
                      (unsigned long long)variants[v]);
    }
    free(want), free(got);
    golden_free(g);
}
END_TEST

/* ------------------------------------------------------------------- gather */

/* A copy of a dense tensor in a strided layout: every dim padded by one
 * element and the dims' order in memory reversed, so no stride is dense. */
static void *strided_copy(const void *src, size_t es, int nd, const int64_t *shape, int64_t *strides)
{
    int64_t padded[GOLDEN_MAX_DIMS], s = 1;
    for (int d = 0; d < nd; d++) { /* dim 0 innermost */
        padded[d] = shape[d] + 1;
        strides[d] = s;
        s *= padded[d];
    }
    char *dst = t_alloc((size_t)s * es, 0x5A);
    size_t numel = 1;
    for (int d = 0; d < nd; d++) numel *= (size_t)shape[d];
    int64_t pos[GOLDEN_MAX_DIMS] = { 0 };
    for (size_t e = 0; e < numel; e++) {
        size_t off = 0;
        for (int d = 0; d < nd; d++) off += (size_t)(pos[d] * strides[d]);
        memcpy(dst + off * es, (const char *)src + e * es, es);
        for (int d = nd - 1; d >= 0 && ++pos[d] == shape[d]; d--) pos[d] = 0;
    }
    return dst;
}

START_TEST(gather_golden)
{
    golden *g = load(GATHER, _i);
    int dim = (int)param_i64(g, "dim");
    const golden_tensor *in = golden_tensor_get(g, "input"), *ix = tensor(g, "index", GOLDEN_I64),
                        *want = golden_tensor_get(g, "out");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(want);
    T_INT_EQ(in->dtype, want->dtype);
    size_t es = in->elem_size;
    size_t out_bytes = want->numel * es;
    char *out = t_alloc(out_bytes + 8, T_CANARY);

    for (int variant = 0; variant < 4; variant++) {
        /* 1: negative dim; 2: strided input and index views. */
        int64_t in_strides[GOLDEN_MAX_DIMS], ix_strides[GOLDEN_MAX_DIMS];
        void *in_data = in->data, *ix_data = ix->data;
        if (variant & 2) {
            in_data = strided_copy(in->data, es, in->ndim, in->shape, in_strides);
            ix_data = strided_copy(ix->data, 8, ix->ndim, ix->shape, ix_strides);
        }
        sm_view vin = { in_data, in->ndim, in->shape, variant & 2 ? in_strides : NULL };
        sm_view vix = { ix_data, ix->ndim, ix->shape, variant & 2 ? ix_strides : NULL };
        memset(out, T_CANARY, out_bytes + 8);
        T_OK(sm_gather(&vin, es, variant & 1 ? dim - in->ndim : dim, &vix, out));
        T_MSG(memcmp(out, want->data, out_bytes) == 0, "%s: variant %d differs", g->file, variant);
        T_TRUE(t_all_bytes(out + out_bytes, 8, T_CANARY));
        if (variant & 2) free(in_data), free(ix_data);
    }
    free(out);
    golden_free(g);
}
END_TEST

/* ---------------------------------------------------------------- unshuffle */

START_TEST(unshuffle_golden)
{
    golden *g = load(UNSHUFFLE, _i);
    size_t keep = (size_t)param_i64(g, "len_keep");
    const golden_tensor *xm = tensor(g, "x_masked", GOLDEN_F32), *tok = tensor(g, "mask_token", GOLDEN_F32),
                        *restore = tensor(g, "ids_restore", GOLDEN_I64),
                        *want = tensor(g, "restored", GOLDEN_F32);
    size_t n = (size_t)restore->shape[0], l = (size_t)restore->shape[1], d = tok->numel;
    T_UINT_EQ(xm->numel, n * keep * d);
    T_UINT_EQ(want->numel, n * l * d);
    float *out = t_alloc(n * l * d * 4 + 4, T_CANARY);
    int32_t *r32 = malloc(n * l * 4);
    for (size_t i = 0; i < n * l; i++) r32[i] = (int32_t)((int64_t *)restore->data)[i];

    T_OK(sm_unshuffle(xm->data, tok->data, restore->data, SM_INDEX_I64, n, l, keep, d * 4, out));
    T_MEM_EQ(out, want->data, n * l * d * 4);
    T_TRUE(t_all_bytes(out + n * l * d, 4, T_CANARY));
    memset(out, T_CANARY, n * l * d * 4);
    T_OK(sm_unshuffle(xm->data, tok->data, r32, SM_INDEX_I32, n, l, keep, d * 4, out));
    T_MEM_EQ(out, want->data, n * l * d * 4);
    free(out), free(r32);
    golden_free(g);
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("golden");
    TCase *tc[4];
    static const char *const names[] = { "masking", "rand", "gather", "unshuffle" };
    const TTest *fns[] = { masking_golden, rand_golden, gather_golden, unshuffle_golden };
    for (int k = 0; k < 4; k++) {
        files[k] = golden_list(prefixes[k], &n_files[k]);
        tc[k] = tcase_create(names[k]);
        tcase_set_timeout(tc[k], T_TIMEOUT_SHORT);
        if (!files[k] || n_files[k] == 0) {
            /* A missing folder or an empty family is a failure, not a pass. */
            fprintf(stderr, "no golden files %s*.txt: %s\n", prefixes[k], golden_error());
            exit(1);
        }
        tcase_add_loop_test(tc[k], fns[k], 0, (int)n_files[k]);
        suite_add_tcase(s, tc[k]);
    }
    tcase_add_test(tc[MASKING], masking_seed_document);
    return s;
}
