/* Kernel-level comparison of every compiled-in, supported backend's kernel
 * table with the scalar table, bit for bit, on the same inputs: sizes around
 * every vector width and tail, ties, extreme keys, every float class. Written
 * for the NEON backend (run under qemu-aarch64 in CI); on other hosts it
 * checks whatever vector backends are compiled in, and exits 77 (skip) when
 * there are none. */
#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdmask.h"
#include "kernels.h"

/* Same declarations as src/internal.h, which the tests do not include. */
size_t sm__backend_count(void);
const struct sm_kernels *sm__backend(size_t i);
bool sm__supported(const struct sm_kernels *k);

static const struct sm_kernels *const S = &sm__kernels_scalar;

/* The backends under test: compiled in, supported here, not scalar. */
static const struct sm_kernels *tested[8];
static int n_tested;

static void find_backends(void)
{
    n_tested = 0;
    for (size_t i = 0; i < sm__backend_count(); i++) {
        const struct sm_kernels *k = sm__backend(i);
        if (k != S && sm__supported(k) && n_tested < 8) tested[n_tested++] = k;
    }
}

/* xorshift64*: inputs that do not come from the code under test. */
static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return (uint32_t)((rs * 0x2545F4914F6CDD1Dull) >> 32);
}

static void *xmalloc(size_t n)
{
    void *p = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_ptr_nonnull(p);
    memset(p, 0xA5, n);
    return p;
}

/* Row lengths: every length up to 70 (all tails of 4, 16 and 32), around the
 * packed-key limit of 256, the MAE lengths and a few long rows. */
static const size_t lens[] = { 97, 127, 128, 129, 196, 255, 256, 257, 300, 511, 512, 513,
                               784, 1000, 1568, 3137 };
#define N_LENS (70 + sizeof lens / sizeof lens[0])
static size_t len_at(size_t i)
{
    return i < 70 ? i + 1 : lens[i - 70];
}

/* ------------------------------------------------------------------ philox */

START_TEST(philox_rows)
{
    static const uint64_t seeds[] = { 0, 1, 0xDEADBEEF12345678ull, UINT64_MAX };
    static const uint64_t rows[] = { 0, 7, 0xFFFFFFFEull, 0x123456789ull };
    for (int b = 0; b < n_tested; b++)
        for (size_t si = 0; si < 4; si++)
            for (size_t li = 0; li < N_LENS; li += (li < 70 ? 1 : 2)) {
                size_t l = len_at(li), n = 3;
                float *a = xmalloc(n * l * 4), *e = xmalloc(n * l * 4);
                uint32_t stream = rnd();
                S->philox_rows(seeds[si], stream, rows[si], n, l, e);
                tested[b]->philox_rows(seeds[si], stream, rows[si], n, l, a);
                ck_assert_msg(memcmp(a, e, n * l * 4) == 0, "%s philox seed %zu l %zu", tested[b]->name,
                              si, l);
                free(a);
                free(e);
            }
}
END_TEST

/* ----------------------------------------------------------------- mt19937 */

START_TEST(mt_uniform)
{
    /* Draw sizes that start and end inside, at and across twists. */
    static const size_t counts[] = { 1, 3, 620, 4, 624, 625, 1, 1247, 2000, 5, 6, 7, 4096, 623 };
    for (int b = 0; b < n_tested; b++)
        for (uint64_t seed = 0; seed < 3; seed++) {
            sm_rng g;
            ck_assert_int_eq(sm_rng_init(&g, SM_RNG_TORCH, seed * 2324, 0), SM_OK);
            uint32_t mt_e[SM_MT_N], mt_a[SM_MT_N], mti_e = g.mti, mti_a = g.mti;
            memcpy(mt_e, g.mt, sizeof mt_e);
            memcpy(mt_a, g.mt, sizeof mt_a);
            for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
                size_t n = counts[c];
                float *a = xmalloc(n * 4), *e = xmalloc(n * 4);
                S->mt_uniform(mt_e, &mti_e, e, n);
                tested[b]->mt_uniform(mt_a, &mti_a, a, n);
                ck_assert_msg(memcmp(a, e, n * 4) == 0, "%s mt seed %d draw %zu", tested[b]->name,
                              (int)seed, c);
                ck_assert_uint_eq(mti_a, mti_e);
                ck_assert_mem_eq(mt_a, mt_e, sizeof mt_a);
                free(a);
                free(e);
            }
        }
}
END_TEST

/* ----------------------------------------------------------------- argsort */

/* Noise as the generators make it, k * 2^-24; kind 0: all 24 bits, 1: few
 * distinct values (many ties), 2: the extremes 0 and 2^24 - 1 only. */
static void noise_row(float *x, size_t l, int kind)
{
    for (size_t i = 0; i < l; i++) {
        uint32_t k = rnd() & 0xFFFFFF;
        if (kind == 1) k = k % 5 * 1000003 % 0x1000000;
        if (kind == 2) k = (k & 1) ? 0xFFFFFF : 0;
        x[i] = (float)k * (1.0f / 16777216.0f);
    }
}

START_TEST(argsort_noise)
{
    for (int b = 0; b < n_tested; b++)
        for (size_t li = 0; li < N_LENS; li++)
            for (int kind = 0; kind < 3; kind++) {
                size_t l = len_at(li);
                float *x = xmalloc(l * 4);
                uint32_t *a = xmalloc(l * 4), *e = xmalloc(l * 4);
                void *scratch = xmalloc(SM__ARGSORT_SCRATCH(l));
                noise_row(x, l, kind);
                S->argsort_noise(x, l, e, scratch);
                memset(scratch, 0x5A, SM__ARGSORT_SCRATCH(l));
                tested[b]->argsort_noise(x, l, a, scratch);
                ck_assert_msg(memcmp(a, e, l * 4) == 0, "%s argsort_noise l %zu kind %d",
                              tested[b]->name, l, kind);
                free(x);
                free(a);
                free(e);
                free(scratch);
            }
}
END_TEST

static float bits_f(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* kind 0: random bit patterns (every class, NaNs with any payload and sign);
 * 1: few values (+-0, +-inf, NaN, +-1, a denormal) so ties dominate;
 * 2: ordinary floats in [-1, 1). */
static void float_row(float *x, size_t l, int kind)
{
    const float few[] = { 0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, bits_f(0x7FC12345u),
                          1.0f, -1.0f, bits_f(1), bits_f(0x80000001u) };
    for (size_t i = 0; i < l; i++) {
        uint32_t r = rnd();
        if (kind == 0) x[i] = bits_f(r);
        else if (kind == 1) x[i] = few[r % (sizeof few / sizeof few[0])];
        else x[i] = (float)(int32_t)r * (1.0f / 2147483648.0f);
    }
}

START_TEST(argsort_f32)
{
    for (int b = 0; b < n_tested; b++)
        for (size_t li = 0; li < N_LENS; li++)
            for (int kind = 0; kind < 3; kind++)
                for (int desc = 0; desc < 2; desc++) {
                    size_t l = len_at(li);
                    float *x = xmalloc(l * 4);
                    uint32_t *a = xmalloc(l * 4), *e = xmalloc(l * 4);
                    void *scratch = xmalloc(SM__ARGSORT_SCRATCH(l));
                    float_row(x, l, kind);
                    S->argsort_f32(x, l, desc, e, scratch);
                    memset(scratch, 0x5A, SM__ARGSORT_SCRATCH(l));
                    tested[b]->argsort_f32(x, l, desc, a, scratch);
                    ck_assert_msg(memcmp(a, e, l * 4) == 0, "%s argsort_f32 l %zu kind %d desc %d",
                                  tested[b]->name, l, kind, desc);
                    free(x);
                    free(a);
                    free(e);
                    free(scratch);
                }
}
END_TEST

/* ------------------------------------------------------- permutations, mask */

static void random_perm(uint32_t *p, size_t l)
{
    for (size_t i = 0; i < l; i++) p[i] = (uint32_t)i;
    for (size_t i = l; i > 1; i--) {
        size_t j = rnd() % i;
        uint32_t t = p[i - 1];
        p[i - 1] = p[j];
        p[j] = t;
    }
}

START_TEST(perm_mask_widen)
{
    for (int b = 0; b < n_tested; b++)
        for (size_t li = 0; li < N_LENS; li++) {
            size_t l = len_at(li);
            uint32_t *p = xmalloc(l * 4), *ia = xmalloc(l * 4), *ie = xmalloc(l * 4);
            random_perm(p, l);
            S->inverse_perm(p, l, ie);
            tested[b]->inverse_perm(p, l, ia);
            ck_assert_msg(memcmp(ia, ie, l * 4) == 0, "%s inverse_perm l %zu", tested[b]->name, l);

            float *fa = xmalloc(l * 4), *fe = xmalloc(l * 4);
            uint8_t *ua = xmalloc(l), *ue = xmalloc(l);
            for (uint32_t keep = 0; keep <= l; keep += (l < 40 ? 1 : 37)) {
                S->mask_f32(ie, l, keep, fe);
                tested[b]->mask_f32(ie, l, keep, fa);
                ck_assert_msg(memcmp(fa, fe, l * 4) == 0, "%s mask_f32 l %zu keep %u",
                              tested[b]->name, l, keep);
                S->mask_u8(ie, l, keep, ue);
                tested[b]->mask_u8(ie, l, keep, ua);
                ck_assert_msg(memcmp(ua, ue, l) == 0, "%s mask_u8 l %zu keep %u", tested[b]->name,
                              l, keep);
            }

            /* Values with the top bit set: a sign-extending widen would differ. */
            for (size_t i = 0; i < l; i++) p[i] = rnd();
            int64_t *wa = xmalloc(l * 8), *we = xmalloc(l * 8);
            S->widen_u32_i64(p, l, we);
            tested[b]->widen_u32_i64(p, l, wa);
            ck_assert_msg(memcmp(wa, we, l * 8) == 0, "%s widen l %zu", tested[b]->name, l);
            free(p), free(ia), free(ie), free(fa), free(fe), free(ua), free(ue), free(wa), free(we);
        }
}
END_TEST

/* ------------------------------------------------------------------ gathers */

/* Row sizes below, at and around 4, 8, 16, 64 bytes and a ViT-B row (768
 * floats); source and output at odd offsets, so nothing is aligned. */
static const size_t row_sizes[] = { 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33,
                                    48, 63, 64, 65, 100, 127, 128, 129, 3072 };

START_TEST(gathers)
{
    for (int b = 0; b < n_tested; b++)
        for (size_t ri = 0; ri < sizeof row_sizes / sizeof row_sizes[0]; ri++)
            for (size_t l = 1; l <= 50; l += 7) {
                size_t rb = row_sizes[ri], k = l - l / 3;
                char *src = xmalloc(l * rb + 1), *tok = xmalloc(rb + 3);
                char *oa = xmalloc(l * rb + 3), *oe = xmalloc(l * rb + 3);
                for (size_t i = 0; i < l * rb + 1; i++) src[i] = (char)rnd();
                for (size_t i = 0; i < rb + 3; i++) tok[i] = (char)rnd();
                uint32_t *p = xmalloc(l * 4), *r = xmalloc(l * 4);
                int64_t *p64 = xmalloc(l * 8), *r64 = xmalloc(l * 8);
                random_perm(p, l);
                S->inverse_perm(p, l, r);
                for (size_t i = 0; i < l; i++) p64[i] = p[i], r64[i] = r[i];

                memset(oa, 0, l * rb + 3);
                memset(oe, 0, l * rb + 3);
                S->gather_rows_u32(src + 1, rb, p, k, oe + 3);
                tested[b]->gather_rows_u32(src + 1, rb, p, k, oa + 3);
                ck_assert_msg(memcmp(oa, oe, l * rb + 3) == 0, "%s gather_u32 rb %zu l %zu",
                              tested[b]->name, rb, l);
                S->gather_rows_i64(src + 1, rb, p64, k, oe + 3);
                tested[b]->gather_rows_i64(src + 1, rb, p64, k, oa + 3);
                ck_assert_msg(memcmp(oa, oe, l * rb + 3) == 0, "%s gather_i64 rb %zu l %zu",
                              tested[b]->name, rb, l);

                /* kept rows = the first k of src; the rest come from tok */
                S->unshuffle_u32(src + 1, tok + 3, r, l, k, rb, oe + 3);
                tested[b]->unshuffle_u32(src + 1, tok + 3, r, l, k, rb, oa + 3);
                ck_assert_msg(memcmp(oa, oe, l * rb + 3) == 0, "%s unshuffle_u32 rb %zu l %zu",
                              tested[b]->name, rb, l);
                memset(oa, 0, l * rb + 3);
                S->unshuffle_i64(src + 1, tok + 3, r64, l, k, rb, oe + 3);
                tested[b]->unshuffle_i64(src + 1, tok + 3, r64, l, k, rb, oa + 3);
                ck_assert_msg(memcmp(oa, oe, l * rb + 3) == 0, "%s unshuffle_i64 rb %zu l %zu",
                              tested[b]->name, rb, l);
                free(src), free(tok), free(oa), free(oe), free(p), free(r), free(p64), free(r64);
            }
}
END_TEST

/* Every AArch64 Linux CPU has Advanced SIMD (HWCAP_ASIMD): detection must
 * say so and, unless the environment forces a backend, pick neon. */
START_TEST(aarch64_detection)
{
#if defined(__aarch64__)
    ck_assert_msg(sm_cpu_features() & SM_CPU_NEON, "HWCAP detection misses neon");
    const char *env = getenv("SIMDMASK_BACKEND");
    if (!env || !*env) ck_assert_str_eq(sm_backend_active(), "neon");
#endif
}
END_TEST

int main(void)
{
    find_backends();
    if (n_tested == 0) {
        printf("no vector backend compiled in and supported here: skipped\n");
        return 77;
    }
    for (int b = 0; b < n_tested; b++) printf("comparing %s with scalar\n", tested[b]->name);
    Suite *s = suite_create("kernels vs scalar");
    TCase *tc = tcase_create("kernels");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, philox_rows);
    tcase_add_test(tc, mt_uniform);
    tcase_add_test(tc, argsort_noise);
    tcase_add_test(tc, argsort_f32);
    tcase_add_test(tc, perm_mask_widen);
    tcase_add_test(tc, gathers);
    tcase_add_test(tc, aarch64_detection);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
