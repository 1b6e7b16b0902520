/* Generators: the torch stream (continuation across calls, masking drawing
 * from the same stream), philox rows independent of the batch, value ranges,
 * thread-count independence, and the backend under test against scalar. */
#include <stdlib.h>

#include "testutil.h"

static const int thread_counts[] = { 1, 2, 3, 7 };

/* torch.rand floats are k * 2^-24, k < 2^24; philox's too. */
static void expect_24bit(const float *v, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        T_TRUE(v[i] >= 0.0f && v[i] < 1.0f);
        float k = v[i] * 16777216.0f;
        T_TRUE(k == (float)(uint32_t)k);
    }
}

/* Cutting a torch stream into calls of any shape gives the same stream. */
START_TEST(torch_stream_continues)
{
    t_rand r = { 31 };
    enum { TOTAL = 3000 };
    float *want = malloc(TOTAL * 4), *got = malloc(TOTAL * 4);
    for (int iter = 0; iter < 40; iter++) {
        uint64_t seed = t_next(&r);
        sm_rng a, b;
        T_OK(sm_rng_init(&a, SM_RNG_TORCH, seed, 0));
        T_OK(sm_rng_uniform(&a, want, 1, TOTAL));
        expect_24bit(want, TOTAL);
        T_OK(sm_rng_init(&b, SM_RNG_TORCH, seed, 0));
        size_t done = 0;
        while (done < TOTAL) {
            size_t l = 1 + t_below(&r, 700), n = 1 + t_below(&r, 3);
            if (done + n * l > TOTAL) n = 1, l = TOTAL - done;
            T_OK(sm_rng_uniform(&b, got + done, n, l));
            done += n * l;
        }
        T_MEM_EQ(got, want, TOTAL * 4);
        T_RNG_EQ(a, b); /* same state, same words counted */
        T_UINT_EQ(a.row, TOTAL);
    }
    free(want), free(got);
}
END_TEST

/* A generator is a value: a copy replays the draw. */
START_TEST(rng_copy_replays)
{
    for (int kind = 0; kind < 2; kind++) {
        sm_rng a, b;
        float x[100], y[100];
        T_OK(sm_rng_init(&a, (sm_rng_kind)kind, 99, 5));
        T_OK(sm_rng_uniform(&a, x, 3, 10)); /* move off the start */
        b = a;
        T_OK(sm_rng_uniform(&a, x, 10, 10));
        T_OK(sm_rng_uniform(&b, y, 10, 10));
        T_MEM_EQ(x, y, sizeof x);
    }
}
END_TEST

/* Torch-mode masking noise is sm_rng_uniform's stream, and the two can be
 * interleaved on one generator as torch.rand and random_masking calls are. */
START_TEST(torch_masking_noise_is_the_stream)
{
    t_rand r = { 7 };
    for (int iter = 0; iter < 60; iter++) {
        uint64_t seed = t_next(&r);
        size_t n = 1 + t_below(&r, 5), l = 1 + t_below(&r, 300), pre = t_below(&r, 1000);
        float *stream = malloc((pre + 2 * n * l) * 4 + 4), *noise = malloc((pre > n * l ? pre : n * l) * 4);
        sm_rng a, b;
        T_OK(sm_rng_init(&a, SM_RNG_TORCH, seed, 0));
        T_OK(sm_rng_uniform(&a, stream, 1, pre + 2 * n * l));
        T_OK(sm_rng_init(&b, SM_RNG_TORCH, seed, 0));
        if (pre) T_OK(sm_rng_uniform(&b, noise, 1, pre));
        sm_masking m = { .n = n, .l = l, .mask_ratio = 0.75, .rng = &b, .noise = noise };
        T_OK(sm_random_masking(&m));
        T_MEM_EQ(noise, stream + pre, n * l * 4);
        /* Without a noise output the library draws into its own buffer: the
         * generator must still advance by n * l words. */
        sm_masking m2 = { .n = n, .l = l, .mask_ratio = 0.75, .rng = &b };
        T_OK(sm_random_masking(&m2));
        T_UINT_EQ(b.row, pre + 2 * n * l);
        T_RNG_EQ(a, b);
        free(stream), free(noise);
    }
}
END_TEST

/* Philox: row r of a batch equals drawing row r alone (rng.row = r), so a
 * row's noise does not depend on N; rng.row advances by N. */
START_TEST(philox_rows_independent_of_batch)
{
    t_rand r = { 8 };
    for (int iter = 0; iter < 200; iter++) {
        uint64_t seed = t_next(&r), row0 = iter & 1 ? t_next(&r) : t_below(&r, 1000);
        uint32_t stream = (uint32_t)t_next(&r);
        size_t n = 1 + t_below(&r, 20), l = 1 + t_below(&r, 260);
        float *batch = malloc(n * l * 4), *one = malloc(l * 4);
        sm_rng g;
        T_OK(sm_rng_init(&g, SM_RNG_PHILOX, seed, stream));
        g.row = row0;
        T_OK(sm_rng_uniform(&g, batch, n, l));
        T_UINT_EQ(g.row, row0 + n);
        expect_24bit(batch, n * l);
        for (size_t i = 0; i < n; i++) {
            sm_rng h;
            T_OK(sm_rng_init(&h, SM_RNG_PHILOX, seed, stream));
            h.row = row0 + i;
            T_OK(sm_rng_uniform(&h, one, 1, l));
            T_MEM_EQ(one, batch + i * l, l * 4);
        }
        /* A shorter row is a prefix of a longer one (columns are counters). */
        if (l > 1) {
            sm_rng h;
            T_OK(sm_rng_init(&h, SM_RNG_PHILOX, seed, stream));
            h.row = row0;
            T_OK(sm_rng_uniform(&h, one, 1, l - 1));
            T_MEM_EQ(one, batch, (l - 1) * 4);
        }
        free(batch), free(one);
    }
}
END_TEST

/* Seed, stream and row each change the noise (a stuck input would not). */
START_TEST(philox_inputs_matter)
{
    float base[64], other[64];
    sm_rng g;
    T_OK(sm_rng_init(&g, SM_RNG_PHILOX, 1, 1));
    T_OK(sm_rng_uniform(&g, base, 1, 64));
    const uint64_t seeds[] = { 0, 2, 1ull << 32 | 1 };
    for (int i = 0; i < 3; i++) {
        T_OK(sm_rng_init(&g, SM_RNG_PHILOX, seeds[i], 1));
        T_OK(sm_rng_uniform(&g, other, 1, 64));
        T_TRUE(memcmp(base, other, sizeof base) != 0);
    }
    T_OK(sm_rng_init(&g, SM_RNG_PHILOX, 1, 2));
    T_OK(sm_rng_uniform(&g, other, 1, 64));
    T_TRUE(memcmp(base, other, sizeof base) != 0);
    const uint64_t rows[] = { 1, 1ull << 32 };
    for (int i = 0; i < 2; i++) {
        T_OK(sm_rng_init(&g, SM_RNG_PHILOX, 1, 1));
        g.row = rows[i];
        T_OK(sm_rng_uniform(&g, other, 1, 64));
        T_TRUE(memcmp(base, other, sizeof base) != 0);
    }
}
END_TEST

/* Enough rows that the library splits the work (64 KiB per thread). */
START_TEST(threads_do_not_change_noise)
{
    for (int kind = 0; kind < 2; kind++) {
        size_t n = 600, l = 197;
        float *want = malloc(n * l * 4), *got = malloc(n * l * 4);
        for (size_t t = 0; t < sizeof thread_counts / sizeof thread_counts[0]; t++) {
            T_OK(sm_set_num_threads(thread_counts[t]));
            sm_rng g;
            T_OK(sm_rng_init(&g, (sm_rng_kind)kind, 1234, 9));
            g.row = kind == SM_RNG_PHILOX ? 5 : 0;
            T_OK(sm_rng_uniform(&g, t ? got : want, n, l));
            if (t) T_MEM_EQ(got, want, n * l * 4);
        }
        T_OK(sm_set_num_threads(0));
        free(want), free(got);
    }
}
END_TEST

/* The public API on the backend under test against the same calls on scalar. */
START_TEST(backend_matches_scalar)
{
    t_rand r = { 99 };
    for (int iter = 0; iter < 100; iter++) {
        sm_rng_kind kind = (sm_rng_kind)(iter & 1);
        uint64_t seed = t_next(&r);
        uint32_t stream = (uint32_t)t_next(&r);
        size_t n = 1 + t_below(&r, 8), l = 1 + t_below(&r, 1500);
        float *a = malloc(n * l * 4), *b = malloc(n * l * 4);
        sm_rng ga, gb;
        T_OK(sm_rng_init(&ga, kind, seed, stream));
        ga.row = kind == SM_RNG_PHILOX ? t_next(&r) : 0;
        gb = ga;
        /* Two draws each, so that torch's continuation is compared too. */
        t_use_scalar();
        T_OK(sm_rng_uniform(&ga, a, n, l));
        T_OK(sm_rng_uniform(&ga, a, n, l));
        t_use_tested();
        T_OK(sm_rng_uniform(&gb, b, n, l));
        T_OK(sm_rng_uniform(&gb, b, n, l));
        T_MSG(memcmp(a, b, n * l * 4) == 0, "%s: kind %d seed %llx n %zu l %zu",
                      t_backend()->name, kind, (unsigned long long)seed, n, l);
        T_RNG_EQ(ga, gb);
        free(a), free(b);
    }
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("rng");
    tcase_set_timeout(tc, T_TIMEOUT_LONG);
    tcase_add_test(tc, torch_stream_continues);
    tcase_add_test(tc, rng_copy_replays);
    tcase_add_test(tc, torch_masking_noise_is_the_stream);
    tcase_add_test(tc, philox_rows_independent_of_batch);
    tcase_add_test(tc, philox_inputs_matter);
    tcase_add_test(tc, threads_do_not_change_noise);
    tcase_add_test(tc, backend_matches_scalar);
    suite_add_tcase(s, tc);
    return s;
}
