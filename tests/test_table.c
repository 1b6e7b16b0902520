/* Every kernel of the backend under test against the scalar kernel on the
 * same inputs, bit for bit: lengths around every vector width and sort
 * cut-over (1..70 exhaustively, then up to 5000), unaligned buffers, ties
 * and special floats, canaries past every output. On the scalar run this
 * compares scalar with itself; each SIMD run is where it bites. */
#include <stdlib.h>

#include "testutil.h"

static const struct sm_kernels *K, *S;

static void setup(void)
{
    K = t_backend();
    S = t_scalar();
}

static size_t draw_len(t_rand *r, int iter)
{
    if (iter < 70) return (size_t)iter + 1;
    static const size_t edges[] = { 127, 128, 129, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097 };
    if (t_below(r, 3) == 0) return edges[t_below(r, sizeof edges / sizeof edges[0])];
    return 1 + t_below(r, t_below(r, 4) ? 400 : 5000);
}

static void *scratch_for(size_t l)
{
    void *p = aligned_alloc(64, (SM__ARGSORT_SCRATCH(l) + 63) & ~(size_t)63);
    ck_assert_ptr_nonnull(p);
    return p;
}

static float bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

#define CANARY_EQ(a, b, bytes, extra)                                                          \
    do {                                                                                       \
        T_MSG(memcmp(a, b, bytes) == 0, "%s differs from scalar (iter %d, %zu bytes)", K->name, \
              iter, (size_t)(bytes));                                                          \
        T_TRUE(t_all_bytes((const char *)(a) + (bytes), extra, T_CANARY));                    \
    } while (0)

START_TEST(philox_rows)
{
    t_rand r = { 0x100 };
    for (int iter = 0; iter < 300; iter++) {
        size_t n = 1 + t_below(&r, 9), l = draw_len(&r, iter % 100);
        uint64_t seed = t_next(&r), row = iter & 1 ? t_next(&r) : t_below(&r, 1000);
        uint32_t stream = (uint32_t)t_next(&r);
        float *a = t_alloc(n * l * 4 + 16, T_CANARY), *b = t_alloc(n * l * 4 + 16, T_CANARY);
        S->philox_rows(seed, stream, row, n, l, a);
        K->philox_rows(seed, stream, row, n, l, b);
        CANARY_EQ(b, a, n * l * 4, 16);
        free(a), free(b);
    }
}
END_TEST

START_TEST(mt_uniform)
{
    t_rand r = { 0x200 };
    for (int iter = 0; iter < 200; iter++) {
        sm_rng g;
        T_OK(sm_rng_init(&g, SM_RNG_TORCH, t_next(&r), 0));
        /* Start anywhere in the 624-word block, including at 0 and 624. */
        size_t skip = iter < 3 ? (size_t)iter * 312 : t_below(&r, 2000);
        float *tmp = malloc(skip * 4 + 4);
        S->mt_uniform(g.mt, &g.mti, tmp, skip);
        free(tmp);
        uint32_t mt_a[SM_MT_N], mt_b[SM_MT_N], mti_a = g.mti, mti_b = g.mti;
        memcpy(mt_a, g.mt, sizeof mt_a);
        memcpy(mt_b, g.mt, sizeof mt_b);
        size_t count = iter < 70 ? (size_t)iter + 1 : 1 + t_below(&r, 4000);
        float *a = t_alloc(count * 4 + 16, T_CANARY), *b = t_alloc(count * 4 + 16, T_CANARY);
        S->mt_uniform(mt_a, &mti_a, a, count);
        K->mt_uniform(mt_b, &mti_b, b, count);
        CANARY_EQ(b, a, count * 4, 16);
        T_UINT_EQ(mti_b, mti_a);
        T_MEM_EQ(mt_b, mt_a, sizeof mt_a);
        free(a), free(b);
    }
}
END_TEST

START_TEST(argsort_noise)
{
    t_rand r = { 0x300 };
    for (int iter = 0; iter < 400; iter++) {
        size_t l = draw_len(&r, iter % 150);
        float *noise = malloc(l * 4);
        /* Few distinct values make ties; full 24-bit values are the usual case. */
        uint32_t range = t_below(&r, 3) == 0 ? 1u + (uint32_t)t_below(&r, 16) : 1u << 24;
        for (size_t i = 0; i < l; i++) noise[i] = (float)t_below(&r, range) * 0x1p-24f;
        if (t_below(&r, 4) == 0) noise[t_below(&r, l)] = bits(0x3F7FFFFF); /* 1 - 2^-24 */
        uint32_t *a = t_alloc(l * 4 + 16, T_CANARY), *b = t_alloc(l * 4 + 16, T_CANARY);
        void *sa = scratch_for(l), *sb = scratch_for(l);
        S->argsort_noise(noise, l, a, sa);
        K->argsort_noise(noise, l, b, sb);
        CANARY_EQ(b, a, l * 4, 16);
        free(noise), free(a), free(b), free(sa), free(sb);
    }
}
END_TEST

START_TEST(argsort_f32)
{
    static const uint32_t specials[] = { 0x7FC00000, 0xFFC00000, 0x7F800001, 0x7F800000, 0xFF800000,
                                         0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF,
                                         0x3F800000, 0xBF800000, 0x7F7FFFFF, 0xFF7FFFFF };
    t_rand r = { 0x400 };
    for (int iter = 0; iter < 400; iter++) {
        size_t l = draw_len(&r, iter % 150);
        float *keys = malloc(l * 4);
        int family = (int)t_below(&r, 4);
        for (size_t i = 0; i < l; i++) {
            int f = family == 3 ? (int)t_below(&r, 3) : family;
            keys[i] = f == 0 ? bits(specials[t_below(&r, sizeof specials / sizeof specials[0])])
                    : f == 1 ? (float)t_range(&r, -4, 4)
                             : bits((uint32_t)t_next(&r));
        }
        int desc = iter & 1;
        uint32_t *a = t_alloc(l * 4 + 16, T_CANARY), *b = t_alloc(l * 4 + 16, T_CANARY);
        void *sa = scratch_for(l), *sb = scratch_for(l);
        S->argsort_f32(keys, l, desc, a, sa);
        K->argsort_f32(keys, l, desc, b, sb);
        CANARY_EQ(b, a, l * 4, 16);
        free(keys), free(a), free(b), free(sa), free(sb);
    }
}
END_TEST

static void random_perm(t_rand *r, uint32_t *p, size_t l)
{
    for (size_t i = 0; i < l; i++) p[i] = (uint32_t)i;
    for (size_t i = l; i > 1; i--) {
        size_t j = t_below(r, i);
        uint32_t t = p[i - 1];
        p[i - 1] = p[j], p[j] = t;
    }
}

START_TEST(permutations_and_masks)
{
    t_rand r = { 0x500 };
    for (int iter = 0; iter < 400; iter++) {
        size_t l = draw_len(&r, iter % 150);
        uint32_t *perm = malloc(l * 4), keep = (uint32_t)t_below(&r, l + 1);
        random_perm(&r, perm, l);
        uint32_t *ia = t_alloc(l * 4 + 16, T_CANARY), *ib = t_alloc(l * 4 + 16, T_CANARY);
        S->inverse_perm(perm, l, ia);
        K->inverse_perm(perm, l, ib);
        CANARY_EQ(ib, ia, l * 4, 16);
        float *fa = t_alloc(l * 4 + 16, T_CANARY), *fb = t_alloc(l * 4 + 16, T_CANARY);
        S->mask_f32(perm, l, keep, fa);
        K->mask_f32(perm, l, keep, fb);
        CANARY_EQ(fb, fa, l * 4, 16);
        uint8_t *ua = t_alloc(l + 16, T_CANARY), *ub = t_alloc(l + 16, T_CANARY);
        size_t off = t_below(&r, 8); /* uint8 masks start anywhere */
        S->mask_u8(perm, l, keep, ua + off);
        K->mask_u8(perm, l, keep, ub + off);
        T_MEM_EQ(ub, ua, l + 16);
        /* Widening: values with the top bit set must not be sign-extended. */
        uint32_t *w = malloc(l * 4);
        for (size_t i = 0; i < l; i++) w[i] = (uint32_t)t_next(&r);
        int64_t *wa = t_alloc(l * 8 + 16, T_CANARY), *wb = t_alloc(l * 8 + 16, T_CANARY);
        S->widen_u32_i64(w, l, wa);
        K->widen_u32_i64(w, l, wb);
        CANARY_EQ(wb, wa, l * 8, 16);
        for (size_t i = 0; i < l; i++) T_TRUE(wa[i] == (int64_t)w[i] && wa[i] >= 0);
        free(perm), free(ia), free(ib), free(fa), free(fb), free(ua), free(ub), free(w), free(wa), free(wb);
    }
}
END_TEST

static size_t draw_row_bytes(t_rand *r)
{
    static const size_t sizes[] = { 1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64,
                                    65, 96, 127, 128, 129, 192, 255, 256, 257, 768, 1024, 3072 };
    return sizes[t_below(r, sizeof sizes / sizeof sizes[0])];
}

START_TEST(gathers)
{
    t_rand r = { 0x600 };
    for (int iter = 0; iter < 400; iter++) {
        size_t l = 1 + t_below(&r, iter < 200 ? 70 : 400), k = t_below(&r, l + 1), rb = draw_row_bytes(&r);
        size_t so = t_below(&r, 16), oo = t_below(&r, 16); /* unaligned source and output */
        char *src = malloc(l * rb + 16);
        for (size_t i = 0; i < l * rb + 16; i++) src[i] = (char)t_next(&r);
        uint32_t *i32 = malloc(l * 4 + 4);
        int64_t *i64 = malloc(l * 8 + 8);
        for (size_t i = 0; i < l; i++) i64[i] = i32[i] = (uint32_t)t_below(&r, l);
        char *a = t_alloc(l * rb + 32, T_CANARY), *b = t_alloc(l * rb + 32, T_CANARY);
        S->gather_rows_u32(src + so, rb, i32, k, a + oo);
        K->gather_rows_u32(src + so, rb, i32, k, b + oo);
        T_MEM_EQ(b, a, l * rb + 32);
        S->gather_rows_i64(src + so, rb, i64, k, a + oo);
        K->gather_rows_i64(src + so, rb, i64, k, b + oo);
        T_MEM_EQ(b, a, l * rb + 32);
        T_TRUE(t_all_bytes(a + oo + k * rb, l * rb + 32 - oo - k * rb, T_CANARY));
        /* unshuffle: len_keep kept rows, a token, indices anywhere in [0, l). */
        char *tok = malloc(rb + 16);
        for (size_t i = 0; i < rb + 16; i++) tok[i] = (char)t_next(&r);
        memset(a, T_CANARY, l * rb + 32), memset(b, T_CANARY, l * rb + 32);
        S->unshuffle_u32(src + so, tok + oo, i32, l, k, rb, a + oo);
        K->unshuffle_u32(src + so, tok + oo, i32, l, k, rb, b + oo);
        T_MEM_EQ(b, a, l * rb + 32);
        memset(b, T_CANARY, l * rb + 32);
        K->unshuffle_i64(src + so, tok + oo, i64, l, k, rb, b + oo);
        T_MEM_EQ(b, a, l * rb + 32);
        /* The optional non-temporal twins write the same bytes. */
        if (K->unshuffle_u32_nt) {
            memset(b, T_CANARY, l * rb + 32);
            K->unshuffle_u32_nt(src + so, tok + oo, i32, l, k, rb, b + oo);
            T_MEM_EQ(b, a, l * rb + 32);
        }
        if (K->unshuffle_i64_nt) {
            memset(b, T_CANARY, l * rb + 32);
            K->unshuffle_i64_nt(src + so, tok + oo, i64, l, k, rb, b + oo);
            T_MEM_EQ(b, a, l * rb + 32);
        }
        memset(a, T_CANARY, l * rb + 32);
        S->gather_rows_u32(src + so, rb, i32, k, a + oo);
        if (K->gather_rows_u32_nt) {
            memset(b, T_CANARY, l * rb + 32);
            K->gather_rows_u32_nt(src + so, rb, i32, k, b + oo);
            T_MEM_EQ(b, a, l * rb + 32);
        }
        if (K->gather_rows_i64_nt) {
            memset(b, T_CANARY, l * rb + 32);
            K->gather_rows_i64_nt(src + so, rb, i64, k, b + oo);
            T_MEM_EQ(b, a, l * rb + 32);
        }
        memset(a, T_CANARY, l * rb + 32);
        S->unshuffle_u32(src + so, tok + oo, i32, l, k, rb, a + oo);
        T_TRUE(t_all_bytes(a, oo, T_CANARY) && t_all_bytes(a + oo + l * rb, 32 - oo, T_CANARY));
        free(src), free(i32), free(i64), free(a), free(b), free(tok);
    }
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("table");
    struct { const char *name; const TTest *fn; } tests[] = {
        { "philox_rows", philox_rows }, { "mt_uniform", mt_uniform },
        { "argsort_noise", argsort_noise }, { "argsort_f32", argsort_f32 },
        { "permutations_and_masks", permutations_and_masks }, { "gathers", gathers },
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        TCase *tc = tcase_create(tests[i].name);
        tcase_add_checked_fixture(tc, setup, NULL);
        tcase_set_timeout(tc, T_TIMEOUT_LONG);
        tcase_add_test(tc, tests[i].fn);
        suite_add_tcase(s, tc);
    }
    return s;
}
