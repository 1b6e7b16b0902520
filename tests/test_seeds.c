/* Check suite for the seeds kernels: masked softmax, focus-range masking,
 * patchify, position embeddings, the MAE loss. References: PyTorch 1.13 /
 * numpy golden files (tests/golden), the scalar backend, and invariants.
 *
 * Tolerances (README "Seeds kernels" says why):
 *   softmax vs PyTorch and vs scalar: softmax_ulp(cols) = 8 + cols / 256 ulp
 *     per element (ulp distance on the ordered integer line, so tiny and
 *     subnormal outputs are held to the same count), NaN exactly where
 *     PyTorch has NaN. Measured: <= 7 ulp at cols <= 1024, 16 at 4096
 *     (SSE4 vs scalar); AVX2 equals PyTorch (AVX2 capability) bit for bit;
 *   position embeddings (float64) vs numpy: 1e-15 absolute (|values| <= 1);
 *   loss vs PyTorch: 2e-6 relative; grad, mean, var, per-patch loss: 4e-6
 *     relative + 1e-7 absolute;
 *   patchify, focus masking (torch generator): bit for bit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "testutil.h"

typedef golden sg_file;
typedef golden_tensor sg_tensor;
#define sg_get golden_tensor_get
#define sg_free golden_free

/* A value of a golden tensor of any dtype, as double / as int64. */
static double gv(const golden_tensor *t, size_t i)
{
    switch (t->dtype) {
    case GOLDEN_F32: return ((const float *)t->data)[i];
    case GOLDEN_F64: return ((const double *)t->data)[i];
    case GOLDEN_I64: return (double)((const int64_t *)t->data)[i];
    case GOLDEN_I32: return ((const int32_t *)t->data)[i];
    case GOLDEN_U8: return ((const uint8_t *)t->data)[i];
    }
    return NAN;
}

static int64_t gi(const golden_tensor *t, size_t i)
{
    switch (t->dtype) {
    case GOLDEN_I64: return ((const int64_t *)t->data)[i];
    case GOLDEN_I32: return ((const int32_t *)t->data)[i];
    case GOLDEN_U8: return ((const uint8_t *)t->data)[i];
    default: return (int64_t)gv(t, i);
    }
}

static double sg_param(const golden *g, const char *key)
{
    double v = NAN;
    ck_assert_msg(golden_param_f64(g, key, &v) == 0, "param %s missing", key);
    return v;
}

/* exp is 1 ulp (SLEEF u10) or < 1 (glibc), x - max is the same IEEE
 * operation everywhere, 1 / sum and the product 0.5 ulp each: what moves is
 * the float row sum, whose rounding grows with the additions per lane
 * (cols / lanes), hence the cols term. */
static int64_t softmax_ulp(size_t cols)
{
    return 8 + (int64_t)(cols / 256);
}

static sg_file *load(const char *name)
{
    sg_file *g = golden_load(name);
    ck_assert_msg(g != NULL, "cannot read golden file %s: %s", name, golden_error());
    return g;
}

/* ------------------------------------------------------- softmax kernels */

typedef void (*softmax_fn)(const float *, const uint8_t *, float, size_t, float *);

static const struct {
    const char *name;
    softmax_fn fn;
    uint32_t required;
} impls[] = {
    { "scalar", sm__scalar_masked_softmax, 0 },
#ifdef __x86_64__
    { "sse4", sm__sse4_masked_softmax, SM_CPU_SSE41 | SM_CPU_SSE42 },
    { "avx2", sm__avx2_masked_softmax, SM_CPU_AVX2 | SM_CPU_FMA },
    { "avx512", sm__avx512_masked_softmax,
      SM_CPU_AVX512F | SM_CPU_AVX512BW | SM_CPU_AVX512VL | SM_CPU_AVX512DQ },
#endif
#ifdef __aarch64__
    { "neon", sm__neon_masked_softmax, 0 },
#endif
};
#define N_IMPLS (int)(sizeof impls / sizeof impls[0])

static int impl_usable(int i)
{
    return (sm_cpu_features() & impls[i].required) == impls[i].required;
}

static int64_t ordered(float f)
{
    int32_t i;
    memcpy(&i, &f, 4);
    return i < 0 ? -(int64_t)(i & 0x7FFFFFFF) : i;
}

/* ulp distance; NaN must meet NaN (returns a huge value otherwise). */
static int64_t ulp_dist(float a, float b)
{
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : INT64_MAX;
    int64_t d = ordered(a) - ordered(b);
    return d < 0 ? -d : d;
}

static void softmax_rows(softmax_fn fn, const float *x, size_t r, size_t c, const uint8_t *mask,
                         size_t mask_rows, float fill, float *out)
{
    for (size_t i = 0; i < r; i++)
        fn(x + i * c, mask ? mask + (mask_rows == 1 ? 0 : i * c) : NULL, fill, c, out + i * c);
}

static int64_t max_ulp(const float *a, const golden_tensor *ref, size_t n)
{
    int64_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t d = ulp_dist(a[i], (float)gv(ref, i));
        if (d > m) m = d;
    }
    return m;
}

static void to_f32(const sg_tensor *t, float *out)
{
    for (size_t i = 0; i < t->numel; i++) out[i] = (float)gv(t, i);
}

static void to_u8(const sg_tensor *t, uint8_t *out)
{
    for (size_t i = 0; i < t->numel; i++) out[i] = (uint8_t)gi(t, i);
}

START_TEST(softmax_golden_6x37)
{
    if (!impl_usable(_i)) return;
    sg_file *g = load("masked_softmax_6x37.txt");
    const sg_tensor *s = sg_get(g, "scores"), *cm = sg_get(g, "col_mask");
    ck_assert(s && cm);
    size_t r = (size_t)s->shape[0], c = (size_t)s->shape[1];
    float *x = malloc(r * c * 4), *out = malloc(r * c * 4);
    uint8_t *m = malloc(c), *all = malloc(c);
    to_f32(s, x);
    to_u8(cm, m);
    memset(all, 1, c);
    struct { const char *t; const uint8_t *mask; float fill; } cases[] = {
        { "softmax_fill_-1e9", m, -1e9f },
        { "softmax_fill_-inf", m, -INFINITY },
        { "softmax_allmasked_fill_-1e9", all, -1e9f },
        { "softmax_allmasked_fill_-inf", all, -INFINITY },
    };
    for (size_t k = 0; k < 4; k++) {
        const sg_tensor *ref = sg_get(g, cases[k].t);
        ck_assert_msg(ref != NULL, "%s missing", cases[k].t);
        softmax_rows(impls[_i].fn, x, r, c, cases[k].mask, 1, cases[k].fill, out);
        int64_t u = max_ulp(out, ref, r * c);
        ck_assert_msg(u <= softmax_ulp(c), "%s %s: %lld ulp from PyTorch", impls[_i].name,
                      cases[k].t, (long long)u);
        /* AVX2 is PyTorch's own computation at its AVX2 capability (same
         * SLEEF exp, lane sums and tree): bit for bit */
        if (!strcmp(impls[_i].name, "avx2"))
            ck_assert_msg(u == 0, "avx2 %s: %lld ulp from PyTorch", cases[k].t, (long long)u);
    }
    /* all masked: exactly 1/cols with -1e9, NaN with -inf */
    softmax_rows(impls[_i].fn, x, r, c, all, 1, -1e9f, out);
    for (size_t i = 0; i < r * c; i++) ck_assert(out[i] == 1.0f / (float)c);
    softmax_rows(impls[_i].fn, x, r, c, all, 1, -INFINITY, out);
    for (size_t i = 0; i < r * c; i++) ck_assert(isnan(out[i]));
    free(x), free(out), free(m), free(all);
    sg_free(g);
}
END_TEST

START_TEST(softmax_golden_seed333512)
{
    if (!impl_usable(_i)) return;
    sg_file *g = load("masked_softmax_seed333512.txt");
    const sg_tensor *s = sg_get(g, "scores"), *cm = sg_get(g, "col_mask"),
                    *ref = sg_get(g, "softmax");
    ck_assert(s && cm && ref);
    float fill = (float)sg_param(g, "fill");
    ck_assert(fill == SM_SOFTMAX_FILL);
    size_t r = (size_t)s->shape[0], c = (size_t)s->shape[1];
    float *x = malloc(s->numel * 4), *out = malloc(s->numel * 4);
    uint8_t *m = malloc(cm->numel);
    to_f32(s, x);
    to_u8(cm, m);
    softmax_rows(impls[_i].fn, x, r, c, m, 1, fill, out);
    int64_t u = max_ulp(out, ref, r * c);
    ck_assert_msg(u <= softmax_ulp(c), "%s: %lld ulp", impls[_i].name, (long long)u);
    if (!strcmp(impls[_i].name, "avx2")) ck_assert_int_eq(u, 0);
    /* the blog's printout: row 0 is 0.231 0 0 0.769 0 */
    ck_assert(fabsf(out[0] - 0.231f) < 5e-4f && out[1] == 0.0f && fabsf(out[3] - 0.769f) < 5e-4f);
    free(x), free(out), free(m);
    sg_free(g);
}
END_TEST

static uint32_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

/* Every vector kernel against scalar on lengths around every lane count,
 * [1, C] and [R, C] masks, fills -1e9 and -inf; rows sum to 1. */
START_TEST(softmax_vs_scalar)
{
    if (!impl_usable(_i)) return;
    static const size_t cols[] = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 37, 64, 197, 1000, 1024, 4099 };
    uint64_t seed = 42;
    for (size_t ci = 0; ci < sizeof cols / sizeof cols[0]; ci++) {
        size_t c = cols[ci], r = 5;
        float *x = malloc(r * c * 4), *a = malloc(r * c * 4), *b = malloc(r * c * 4);
        uint8_t *m = malloc(r * c);
        /* scores spread over +-40: exp underflows to subnormals and zero */
        for (size_t i = 0; i < r * c; i++) {
            x[i] = ((float)(lcg(&seed) % 2000001) - 1000000.0f) * 4e-5f;
            m[i] = lcg(&seed) % 4 == 0;
        }
        for (int mode = 0; mode < 4; mode++) {
            const uint8_t *mask = mode == 0 ? NULL : m;
            size_t mr = mode == 1 ? 1 : r;
            float fill = mode == 3 ? -INFINITY : -1e9f;
            softmax_rows(sm__scalar_masked_softmax, x, r, c, mask, mr, fill, a);
            softmax_rows(impls[_i].fn, x, r, c, mask, mr, fill, b);
            for (size_t i = 0; i < r * c; i++)
                ck_assert_msg(ulp_dist(a[i], b[i]) <= softmax_ulp(c),
                              "%s c=%zu mode %d [%zu]: %a vs scalar %a", impls[_i].name, c,
                              mode, i, (double)b[i], (double)a[i]);
            for (size_t i = 0; i < r; i++) {
                double s = 0;
                int masked_all = 1;
                for (size_t j = 0; j < c; j++) {
                    s += b[i * c + j];
                    if (!mask || !mask[(mr == 1 ? 0 : i * c) + j]) masked_all = 0;
                }
                if (masked_all && fill == -INFINITY)
                    ck_assert(isnan(s));
                else
                    ck_assert_msg(fabs(s - 1.0) < 1e-5, "%s c=%zu row %zu sums to %.9g",
                                  impls[_i].name, c, i, s);
            }
        }
        /* in place equals out of place, bit for bit */
        softmax_rows(impls[_i].fn, x, r, c, m, r, -1e9f, a);
        memcpy(b, x, r * c * 4);
        softmax_rows(impls[_i].fn, b, r, c, m, r, -1e9f, b);
        ck_assert_mem_eq(a, b, r * c * 4);
        free(x), free(a), free(b), free(m);
    }
}
END_TEST

/* A NaN score makes its row NaN; +inf too (inf - inf); as PyTorch. */
START_TEST(softmax_nan_inf)
{
    if (!impl_usable(_i)) return;
    for (size_t c = 1; c < 40; c += 3) {
        float x[40], out[40];
        for (size_t j = 0; j < c; j++) x[j] = (float)j * 0.1f;
        x[c / 2] = NAN;
        impls[_i].fn(x, NULL, -1e9f, c, out);
        for (size_t j = 0; j < c; j++) ck_assert(isnan(out[j]));
        x[c / 2] = INFINITY;
        impls[_i].fn(x, NULL, -1e9f, c, out);
        for (size_t j = 0; j < c; j++) ck_assert(isnan(out[j]));
        /* masked NaN is replaced by the fill: the row is fine */
        uint8_t m[40] = { 0 };
        x[c / 2] = NAN;
        m[c / 2] = 1;
        impls[_i].fn(x, m, -1e9f, c, out);
        for (size_t j = 0; j < c; j++) ck_assert(!isnan(out[j]));
    }
}
END_TEST

START_TEST(softmax_entry)
{
    float x[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, out[12], ref[12], sentinel[12];
    uint8_t m[8] = { 0, 1, 0, 0 };
    for (int i = 0; i < 12; i++) sentinel[i] = out[i] = -7.0f;
    /* every table fills the slot (the entry point would fall back to scalar) */
    ck_assert_ptr_nonnull(t_backend()->masked_softmax);
    ck_assert_int_eq(sm_masked_softmax(NULL, 3, 4, m, 1, -1e9f, out), SM_EINVAL);
    ck_assert_int_eq(sm_masked_softmax(x, 0, 4, m, 1, -1e9f, out), SM_EINVAL);
    ck_assert_int_eq(sm_masked_softmax(x, 3, 4, m, 2, -1e9f, out), SM_EINVAL);
    ck_assert_int_eq(sm_masked_softmax(x, 3, 4, NULL, 1, -1e9f, out), SM_EINVAL);
    ck_assert_int_eq(sm_masked_softmax(x, 3, 4, m, 0, -1e9f, out), SM_EINVAL);
    ck_assert_int_eq(sm_masked_softmax(x, SIZE_MAX / 2, 4, m, 1, -1e9f, out), SM_EOVERFLOW);
    ck_assert_int_eq(sm_masked_softmax(x, 2, 4, NULL, 0, -1e9f, x + 1), SM_EALIAS);
    ck_assert_int_eq(sm_masked_softmax(x, 1, 4, (uint8_t *)out, 1, -1e9f, out), SM_EALIAS);
    ck_assert_mem_eq(out, sentinel, sizeof out);
    ck_assert_str_ne(sm_last_error(), "");
    ck_assert_int_eq(sm_masked_softmax(x, 3, 4, m, 1, -1e9f, out), SM_OK);
    softmax_rows(sm__scalar_masked_softmax, x, 3, 4, m, 1, -1e9f, ref);
    for (int i = 0; i < 12; i++) ck_assert(ulp_dist(out[i], ref[i]) <= softmax_ulp(4));
    ck_assert(out[1] == 0.0f && out[5] == 0.0f);
    ck_assert_int_eq(sm_masked_softmax(x, 3, 4, NULL, 0, -1e9f, x), SM_OK); /* in place */
    for (int i = 0; i < 12; i++) ck_assert(x[i] > 0.0f && x[i] < 1.0f);
}
END_TEST

/* ---------------------------------------------------------------- patchify */

START_TEST(patchify_golden)
{
    sg_file *g = load("patchify_2x3x32x32_p8.txt");
    const sg_tensor *im = sg_get(g, "imgs"), *pt = sg_get(g, "patches");
    ck_assert(im && pt);
    size_t p = (size_t)sg_param(g, "patch");
    float *x = malloc(im->numel * 4), *ref = malloc(pt->numel * 4), *out = malloc(pt->numel * 4),
          *back = malloc(im->numel * 4);
    to_f32(im, x);
    to_f32(pt, ref);
    ck_assert_int_eq(sm_patchify(x, (size_t)im->shape[0], (size_t)im->shape[1],
                                 (size_t)im->shape[2], (size_t)im->shape[3], p, 4, out), SM_OK);
    ck_assert_mem_eq(out, ref, pt->numel * 4);
    ck_assert_int_eq(sm_unpatchify(out, (size_t)im->shape[0], (size_t)im->shape[1],
                                   (size_t)im->shape[2], (size_t)im->shape[3], p, 4, back), SM_OK);
    ck_assert_mem_eq(back, x, im->numel * 4);
    free(x), free(ref), free(out), free(back);
    sg_free(g);
}
END_TEST

/* Any C, H != W, 2- and 4-byte elements: against the einsum's definition,
 * and unpatchify inverts patchify. */
START_TEST(patchify_shapes)
{
    static const size_t shapes[][5] = {
        { 1, 1, 4, 4, 2 }, { 2, 2, 6, 9, 3 }, { 3, 5, 8, 4, 4 }, { 1, 3, 224, 160, 16 },
        { 2, 4, 7, 14, 7 }, { 1, 3, 5, 5, 1 },
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (size_t es = 2; es <= 4; es += 2) {
            size_t n = shapes[s][0], c = shapes[s][1], h = shapes[s][2], w = shapes[s][3],
                   p = shapes[s][4], count = n * c * h * w, gh = h / p, gw = w / p;
            uint8_t *img = malloc(count * es), *pat = malloc(count * es), *back = malloc(count * es);
            for (size_t i = 0; i < count * es; i++) img[i] = (uint8_t)(i * 131 + i / 7);
            ck_assert_int_eq(sm_patchify(img, n, c, h, w, p, es, pat), SM_OK);
            for (size_t in = 0; in < n; in++)
                for (size_t ch = 0; ch < c; ch++)
                    for (size_t y = 0; y < h; y++)
                        for (size_t x = 0; x < w; x++) {
                            size_t src = ((in * c + ch) * h + y) * w + x;
                            size_t dst = (in * gh * gw + (y / p) * gw + x / p) * p * p * c +
                                         ((y % p) * p + x % p) * c + ch;
                            ck_assert(!memcmp(img + src * es, pat + dst * es, es));
                        }
            memset(back, 0, count * es);
            ck_assert_int_eq(sm_unpatchify(pat, n, c, h, w, p, es, back), SM_OK);
            ck_assert_mem_eq(back, img, count * es);
            free(img), free(pat), free(back);
        }
}
END_TEST

START_TEST(patchify_errors)
{
    float a[64] = { 0 }, b[64];
    ck_assert_int_eq(sm_patchify(a, 1, 1, 8, 6, 4, 4, b), SM_EINVAL); /* 6 % 4 */
    ck_assert_int_eq(sm_patchify(a, 1, 1, 4, 4, 2, 8, b), SM_EINVAL);
    ck_assert_int_eq(sm_patchify(a, 1, 1, 4, 4, 0, 4, b), SM_EINVAL);
    ck_assert_int_eq(sm_patchify(NULL, 1, 1, 4, 4, 2, 4, b), SM_EINVAL);
    ck_assert_int_eq(sm_patchify(a, 1, 1, 4, 4, 2, 4, a + 8), SM_EALIAS);
    ck_assert_int_eq(sm_unpatchify(a, SIZE_MAX, 2, 4, 4, 2, 4, b), SM_EOVERFLOW);
}
END_TEST

/* ----------------------------------------------------- position embedding */

static void check_pos_embed(const char *file)
{
    sg_file *g = load(file);
    const sg_tensor *ref = sg_get(g, "pos_embed");
    ck_assert(ref != NULL);
    size_t d = (size_t)sg_param(g, "embed_dim"), gs = (size_t)sg_param(g, "grid_size");
    size_t rows = gs * gs + 1;
    ck_assert_uint_eq(ref->numel, rows * d);
    double *o = malloc(rows * d * 8);
    float *f = malloc(rows * d * 4);
    ck_assert_int_eq(sm_pos_embed_2d(d, gs, gs, 1, SM_F64, o), SM_OK);
    double worst = 0;
    for (size_t i = 0; i < rows * d; i++) {
        double e = fabs(o[i] - gv(ref, i));
        if (e > worst) worst = e;
    }
    ck_assert_msg(worst <= 1e-15, "%s: %g from numpy", file, worst);
    /* float32: the double rounded (MAE's .float()); within 1 float ulp of numpy's */
    ck_assert_int_eq(sm_pos_embed_2d(d, gs, gs, 1, SM_F32, f), SM_OK);
    for (size_t i = 0; i < rows * d; i++) {
        ck_assert(f[i] == (float)o[i]);
        ck_assert(ulp_dist(f[i], (float)gv(ref, i)) <= 1);
    }
    /* without the cls row: the same rows, shifted */
    ck_assert_int_eq(sm_pos_embed_2d(d, gs, gs, 0, SM_F64, o), SM_OK);
    for (size_t i = 0; i < gs * gs * d; i++) ck_assert(fabs(o[i] - gv(ref, d + i)) <= 1e-15);
    for (size_t i = 0; i < d; i++) ck_assert(gv(ref, i) == 0.0);
    /* 2-D = [1-D(column), 1-D(row)] with D/2 each */
    double *one = malloc(gs * (d / 2) * 8);
    ck_assert_int_eq(sm_pos_embed_1d(d / 2, NULL, gs, SM_F64, one), SM_OK);
    for (size_t i = 0; i < gs; i++)
        for (size_t j = 0; j < gs; j++) {
            ck_assert_mem_eq(o + (i * gs + j) * d, one + j * (d / 2), d / 2 * 8);
            ck_assert_mem_eq(o + (i * gs + j) * d + d / 2, one + i * (d / 2), d / 2 * 8);
        }
    free(o), free(f), free(one);
    sg_free(g);
}

START_TEST(pos_embed_golden)
{
    check_pos_embed("pos_embed_2d_sincos_d16_g4.txt");
    check_pos_embed("pos_embed_2d_sincos_d64_g14.txt");
}
END_TEST

START_TEST(pos_embed_1d_and_errors)
{
    /* 1-D at given positions: sin/cos of pos / 10000^(k/(D/2)) */
    double pos[3] = { 0.0, 2.5, 100.0 }, o[3 * 8];
    ck_assert_int_eq(sm_pos_embed_1d(8, pos, 3, SM_F64, o), SM_OK);
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 4; k++) {
            double om = 1.0 / pow(10000.0, k / 4.0);
            ck_assert(fabs(o[r * 8 + k] - sin(pos[r] * om)) < 1e-15);
            ck_assert(fabs(o[r * 8 + 4 + k] - cos(pos[r] * om)) < 1e-15);
        }
    /* non-square grid: row i * gw + j */
    double a[7 * 3 * 8];
    ck_assert_int_eq(sm_pos_embed_2d(8, 3, 7, 0, SM_F64, a), SM_OK);
    ck_assert(fabs(a[(2 * 7 + 5) * 8 + 0] - sin(5.0)) < 1e-15);
    ck_assert(fabs(a[(2 * 7 + 5) * 8 + 4] - sin(2.0)) < 1e-15);
    ck_assert_int_eq(sm_pos_embed_2d(6, 2, 2, 0, SM_F64, a), SM_EINVAL);
    ck_assert_int_eq(sm_pos_embed_2d(8, 0, 2, 0, SM_F64, a), SM_EINVAL);
    ck_assert_int_eq(sm_pos_embed_2d(8, 2, 2, 0, (sm_float_type)5, a), SM_EINVAL);
    ck_assert_int_eq(sm_pos_embed_1d(7, NULL, 2, SM_F64, a), SM_EINVAL);
    ck_assert_int_eq(sm_pos_embed_1d(8, NULL, 2, SM_F64, NULL), SM_EINVAL);
}
END_TEST

/* -------------------------------------------------------------------- loss */

START_TEST(loss_golden)
{
    sg_file *g = load("mae_loss_2x16x192.txt");
    const sg_tensor *t = sg_get(g, "target_patches"), *p = sg_get(g, "pred"),
                    *m = sg_get(g, "mask"), *l0 = sg_get(g, "loss"),
                    *l1 = sg_get(g, "loss_norm_pix");
    ck_assert(t && p && m && l0 && l1);
    float *tf = malloc(t->numel * 4), *pf = malloc(p->numel * 4), *mf = malloc(m->numel * 4);
    to_f32(t, tf), to_f32(p, pf), to_f32(m, mf);
    for (int norm = 0; norm < 2; norm++) {
        float loss = NAN;
        sm_mae_loss a = { .n = (size_t)t->shape[0], .l = (size_t)t->shape[1],
                          .d = (size_t)t->shape[2], .pred = pf, .target = tf, .mask = mf,
                          .norm_pix = norm, .loss = &loss };
        ck_assert_int_eq(sm_mae_loss_compute(&a), SM_OK);
        double ref = gv(norm ? l1 : l0, 0);
        ck_assert_msg(fabs(loss - ref) <= 2e-6 * fabs(ref), "norm_pix %d: %.9g vs %.9g", norm,
                      (double)loss, ref);
    }
    free(tf), free(pf), free(mf);
    sg_free(g);
}
END_TEST

static int close_to(double a, double b, double rel, double abs_)
{
    return fabs(a - b) <= rel * fabs(b) + abs_;
}

START_TEST(loss_grad_golden)
{
    sg_file *g = load("mae_loss_grad_seed3_2x49x48.txt");
    const sg_tensor *t = sg_get(g, "target"), *p = sg_get(g, "pred"), *m = sg_get(g, "mask");
    ck_assert(t && p && m);
    size_t n = (size_t)t->shape[0], l = (size_t)t->shape[1], d = (size_t)t->shape[2], nl = n * l;
    float *tf = malloc(t->numel * 4), *pf = malloc(p->numel * 4), *mf = malloc(m->numel * 4);
    float *grad = malloc(t->numel * 4), *pl = malloc(nl * 4), *mean = malloc(nl * 4),
          *var = malloc(nl * 4);
    to_f32(t, tf), to_f32(p, pf), to_f32(m, mf);
    for (int norm = 0; norm < 2; norm++) {
        float loss;
        sm_mae_loss a = { .n = n, .l = l, .d = d, .pred = pf, .target = tf, .mask = mf,
                          .norm_pix = norm, .loss = &loss, .patch_loss = pl, .mean = mean,
                          .var = var, .grad = grad };
        ck_assert_int_eq(sm_mae_loss_compute(&a), SM_OK);
        const char *sfx = norm ? "_norm_pix" : "";
        char name[64];
        snprintf(name, sizeof name, "loss%s", sfx);
        ck_assert(close_to(loss, gv(sg_get(g, name), 0), 2e-6, 0));
        snprintf(name, sizeof name, "grad%s", sfx);
        const sg_tensor *rg = sg_get(g, name);
        for (size_t i = 0; i < t->numel; i++)
            ck_assert_msg(close_to(grad[i], gv(rg, i), 4e-6, 1e-9), "%s[%zu] %g vs %g", name, i,
                          (double)grad[i], gv(rg, i));
        snprintf(name, sizeof name, "patch_loss%s", sfx);
        const sg_tensor *rp = sg_get(g, name);
        for (size_t i = 0; i < nl; i++) ck_assert(close_to(pl[i], gv(rp, i), 4e-6, 1e-7));
        const sg_tensor *rm = sg_get(g, "mean"), *rv = sg_get(g, "var");
        for (size_t i = 0; i < nl; i++) {
            ck_assert(close_to(mean[i], gv(rm, i), 4e-6, 1e-7));
            ck_assert(close_to(var[i], gv(rv, i), 4e-6, 1e-7));
        }
    }
    free(tf), free(pf), free(mf), free(grad), free(pl), free(mean), free(var);
    sg_free(g);
}
END_TEST

START_TEST(loss_empty_mask_and_errors)
{
    float t[2 * 3 * 4], p[2 * 3 * 4], m[6] = { 0 }, loss = -1.0f, grad[24];
    for (int i = 0; i < 24; i++) t[i] = (float)i, p[i] = 0.5f, grad[i] = -3.0f;
    sm_mae_loss a = { .n = 2, .l = 3, .d = 4, .pred = p, .target = t, .mask = m, .loss = &loss,
                      .grad = grad };
    ck_assert_int_eq(sm_mae_loss_compute(&a), SM_ENOREMOVED);
    ck_assert(loss == -1.0f && grad[0] == -3.0f);
    ck_assert_str_eq(sm_strerror(SM_ENOREMOVED), "no removed patch");
    a.norm_pix = 1;
    a.d = 1;
    a.l = 12;
    m[0] = 1;
    ck_assert_int_eq(sm_mae_loss_compute(&a), SM_EINVAL); /* unbiased var of 1 value */
    a.d = 4, a.l = 3;
    a.grad = p;
    ck_assert_int_eq(sm_mae_loss_compute(&a), SM_EALIAS);
    a.grad = NULL;
    a.loss = NULL;
    ck_assert_int_eq(sm_mae_loss_compute(&a), SM_EINVAL);
    /* one removed patch: loss is that patch's MSE */
    a.loss = &loss;
    a.norm_pix = 0;
    ck_assert_int_eq(sm_mae_loss_compute(&a), SM_OK);
    double e = 0;
    for (int k = 0; k < 4; k++) e += (0.5 - k) * (0.5 - k);
    ck_assert(loss == (float)(e / 4));
}
END_TEST

/* ----------------------------------------------------------- focus masking */

static void check_focus_golden(const char *file)
{
    sg_file *g = load(file);
    const sg_tensor *noise = sg_get(g, "noise"), *shuf = sg_get(g, "ids_shuffle"),
                    *rest = sg_get(g, "ids_restore"), *mask = sg_get(g, "mask"),
                    *nxt = sg_get(g, "next_rand"), *ids = sg_get(g, "ids_mask");
    ck_assert(noise && shuf && rest && mask && nxt && ids);
    size_t n = (size_t)noise->shape[0], l = (size_t)noise->shape[1];
    sm_rng rng;
    sm_rng_init(&rng, SM_RNG_TORCH, (uint64_t)sg_param(g, "seed"), 0);
    float *nz = malloc(n * l * 4), *mk = malloc(n * l * 4), next[4];
    int64_t *sh = malloc(n * l * 8), *rs = malloc(n * l * 8);
    sm_masking m = { .n = n, .l = l, .mask_ratio = sg_param(g, "mask_ratio"), .rng = &rng,
                     .noise = nz, .ids_shuffle = sh, .ids_restore = rs, .mask = mk };
    sm_focus f = { (size_t)sg_param(g, "begin"), (size_t)sg_param(g, "end"),
                   sg_param(g, "focus_rate") };
    ck_assert_int_eq(sm_focus_masking(&m, &f), SM_OK);
    ck_assert_uint_eq(m.len_keep, (size_t)sg_param(g, "len_keep"));
    for (size_t i = 0; i < n * l; i++) {
        ck_assert_msg(nz[i] == (float)gv(noise, i), "%s noise[%zu] %a vs %a", file, i,
                      (double)nz[i], gv(noise, i));
        ck_assert(sh[i] == gi(shuf, i) && rs[i] == gi(rest, i) && mk[i] == (float)gv(mask, i));
    }
    /* the multinomial's picks are exactly the 1.1 entries */
    size_t k = (size_t)ids->shape[1];
    for (size_t r = 0; r < n; r++)
        for (size_t j = 0; j < k; j++) ck_assert(nz[r * l + (size_t)gi(ids, r * k + j)] == 1.1f);
    /* the stream continues as torch.rand after the masking */
    ck_assert_int_eq(sm_rng_uniform(&rng, next, 1, 4), SM_OK);
    for (int i = 0; i < 4; i++) ck_assert(next[i] == (float)gv(nxt, i));
    free(nz), free(mk), free(sh), free(rs);
    sg_free(g);
}

START_TEST(focus_golden_torch)
{
    check_focus_golden("focus_masking_seed7_4x196_r0.75.txt");
    check_focus_golden("focus_masking_seed2324_3x10_r0.9.txt");
    check_focus_golden("focus_masking_seed11_64x196_r0.5.txt");
    check_focus_golden("focus_masking_seed5_2x49_r0.25.txt");
}
END_TEST

/* Both generators: exactly L - len_keep positions forced, all removed,
 * reproducible; the focus range is removed more often at rate 0.9. */
START_TEST(focus_properties)
{
    enum { N = 64, L = 196 };
    static float nz[N * L], mk[N * L], nz2[N * L];
    for (int kind = 0; kind < 2; kind++) {
        sm_rng rng, rng2;
        /* Zeroed first and copied bytewise: the struct has tail padding,
         * which ck_assert_mem_eq below compares (valgrind: uninitialised). */
        memset(&rng, 0, sizeof rng);
        sm_rng_init(&rng, kind ? SM_RNG_TORCH : SM_RNG_PHILOX, 99, 3);
        memcpy(&rng2, &rng, sizeof rng);
        sm_masking m = { .n = N, .l = L, .mask_ratio = 0.75, .rng = &rng, .noise = nz, .mask = mk };
        sm_focus f = { 50, 100, 0.9 };
        ck_assert_int_eq(sm_focus_masking(&m, &f), SM_OK);
        size_t len_mask = L - m.len_keep, in_range = 0;
        for (size_t r = 0; r < N; r++) {
            size_t forced = 0;
            for (size_t c = 0; c < L; c++)
                if (nz[r * L + c] == 1.1f) {
                    forced++;
                    ck_assert(mk[r * L + c] == 1.0f); /* focus positions always removed */
                    in_range += c >= 50 && c < 100;
                } else {
                    ck_assert(nz[r * L + c] >= 0.0f && nz[r * L + c] < 1.0f);
                }
            ck_assert_uint_eq(forced, len_mask);
        }
        /* 50 of 196 positions weigh 9x: ~all 50 fall among the 147 removed */
        ck_assert_msg(in_range > N * 45, "kind %d: %zu focus positions removed", kind, in_range);
        m.rng = &rng2;
        m.noise = nz2;
        ck_assert_int_eq(sm_focus_masking(&m, &f), SM_OK);
        ck_assert_mem_eq(nz, nz2, sizeof nz);
        ck_assert_mem_eq(&rng, &rng2, sizeof rng);
        /* philox: a row's draw depends only on (seed, stream, row) */
        if (!kind) {
            sm_rng one;
            sm_rng_init(&one, SM_RNG_PHILOX, 99, 3);
            one.row = 5;
            sm_masking m1 = { .n = 1, .l = L, .mask_ratio = 0.75, .rng = &one, .noise = nz2 };
            ck_assert_int_eq(sm_focus_masking(&m1, &f), SM_OK);
            ck_assert_mem_eq(nz2, nz + 5 * L, L * 4);
        }
    }
}
END_TEST

START_TEST(focus_errors)
{
    enum { N = 2, L = 10 };
    sm_rng rng, before;
    memset(&rng, 0, sizeof rng); /* tail padding compared below */
    sm_rng_init(&rng, SM_RNG_TORCH, 1, 0);
    memcpy(&before, &rng, sizeof rng);
    float nz[N * L];
    for (int i = 0; i < N * L; i++) nz[i] = -5.0f;
    sm_masking m = { .n = N, .l = L, .mask_ratio = 0.5, .rng = &rng, .noise = nz };
    sm_focus f = { 4, 11, 0.8 };
    ck_assert_int_eq(sm_focus_masking(&m, &f), SM_ERANGE); /* past L: an error, not a resize */
    f.begin = 6, f.end = 5;
    ck_assert_int_eq(sm_focus_masking(&m, &f), SM_ERANGE);
    f.begin = 0, f.end = 5, f.focus_rate = 1.5;
    ck_assert_int_eq(sm_focus_masking(&m, &f), SM_EINVAL);
    f.focus_rate = 0.0, f.end = 10; /* every weight 0 */
    ck_assert_int_eq(sm_focus_masking(&m, &f), SM_EINVAL);
    f.focus_rate = 0.5;
    m.mask_type = (sm_mask_type)9; /* rejected by the masking checks after the draw */
    ck_assert_int_eq(sm_focus_masking(&m, &f), SM_EINVAL);
    m.mask_type = SM_MASK_F32;
    m.noise_in = nz;
    ck_assert_int_eq(sm_focus_masking(&m, &f), SM_EINVAL);
    ck_assert_int_eq(sm_focus_masking(NULL, &f), SM_EINVAL);
    ck_assert_mem_eq(&rng, &before, sizeof rng); /* generator untouched */
    for (int i = 0; i < N * L; i++) ck_assert(nz[i] == -5.0f);
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("seeds");
    TCase *t = tcase_create("softmax");
    tcase_add_loop_test(t, softmax_golden_6x37, 0, N_IMPLS);
    tcase_add_loop_test(t, softmax_golden_seed333512, 0, N_IMPLS);
    tcase_add_loop_test(t, softmax_vs_scalar, 0, N_IMPLS);
    tcase_add_loop_test(t, softmax_nan_inf, 0, N_IMPLS);
    tcase_add_test(t, softmax_entry);
    suite_add_tcase(s, t);
    t = tcase_create("patchify");
    tcase_add_test(t, patchify_golden);
    tcase_add_test(t, patchify_shapes);
    tcase_add_test(t, patchify_errors);
    suite_add_tcase(s, t);
    t = tcase_create("pos_embed");
    tcase_add_test(t, pos_embed_golden);
    tcase_add_test(t, pos_embed_1d_and_errors);
    suite_add_tcase(s, t);
    t = tcase_create("loss");
    tcase_add_test(t, loss_golden);
    tcase_add_test(t, loss_grad_golden);
    tcase_add_test(t, loss_empty_mask_and_errors);
    suite_add_tcase(s, t);
    t = tcase_create("focus");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, focus_golden_torch);
    tcase_add_test(t, focus_properties);
    tcase_add_test(t, focus_errors);
    suite_add_tcase(s, t);
    return s;
}
