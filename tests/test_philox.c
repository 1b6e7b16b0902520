/* Philox4x32-10 known answers: the library's noise against Random123's own
 * implementation (Salmon et al.'s reference code, Debian librandom123-dev),
 * word for word, through the public API and through the backend's kernel. */
#include <stdlib.h>

#include <Random123/philox.h>

#include "testutil.h"

/* The float the SPEC makes of output word w. */
static float word_to_float(uint32_t w)
{
    return (float)(w >> 8) * (1.0f / 16777216.0f);
}

/* Column c of row `row` per the SPEC: word c % 4 of philox(counter (c / 4,
 * stream, row lo, row hi), key (seed lo, seed hi)). */
static float reference(uint64_t seed, uint32_t stream, uint64_t row, size_t c)
{
    philox4x32_ctr_t ctr = { { (uint32_t)(c / 4), stream, (uint32_t)row, (uint32_t)(row >> 32) } };
    philox4x32_key_t key = { { (uint32_t)seed, (uint32_t)(seed >> 32) } };
    philox4x32_ctr_t w = philox4x32_R(10, ctr, key);
    return word_to_float(w.v[c % 4]);
}

/* Random123's kat_vectors for philox4x32 with 10 rounds: the first is the
 * SPEC's known answer. Checks that the reference itself is the right one. */
START_TEST(random123_kat_vectors)
{
    static const struct { uint32_t ctr[4], key[2], out[4]; } kat[] = {
        { { 0, 0, 0, 0 }, { 0, 0 }, { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 } },
        { { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, { 0xffffffff, 0xffffffff },
          { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd } },
        { { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, { 0xa4093822, 0x299f31d0 },
          { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 } },
    };
    for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        philox4x32_ctr_t c = { { kat[i].ctr[0], kat[i].ctr[1], kat[i].ctr[2], kat[i].ctr[3] } };
        philox4x32_key_t k = { { kat[i].key[0], kat[i].key[1] } };
        philox4x32_ctr_t w = philox4x32_R(10, c, k);
        for (int j = 0; j < 4; j++) T_UINT_EQ(w.v[j], kat[i].out[j]);
    }
}
END_TEST

/* SPEC: key (0, 0), counter (0, 0, 0, 0) gives 6627e8d5 e169c58d bc57ac4c
 * 9b00dbd8; seed 0, stream 0, row 0, columns 0..3 are their top 24 bits. */
START_TEST(spec_known_answer)
{
    static const uint32_t words[4] = { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 };
    float noise[5], kern[5];
    sm_rng rng;
    T_OK(sm_rng_init(&rng, SM_RNG_PHILOX, 0, 0));
    T_OK(sm_rng_uniform(&rng, noise, 1, 4));
    t_backend()->philox_rows(0, 0, 0, 1, 4, kern);
    for (int i = 0; i < 4; i++) {
        T_UINT_EQ((uint32_t)(noise[i] * 16777216.0f), words[i] >> 8);
        T_TRUE(noise[i] == word_to_float(words[i]));
        T_TRUE(kern[i] == word_to_float(words[i]));
    }
}
END_TEST

/* Many (seed, stream, row, column) through sm_rng_uniform: rows start at
 * rng.row, which is set to values that cross the 32-bit boundary. */
START_TEST(api_matches_random123)
{
    t_rand r = { 0x9417 };
    float *noise = malloc(16 * 70 * sizeof(float));
    for (int iter = 0; iter < 400; iter++) {
        uint64_t seed = iter < 8 ? (uint64_t)iter : t_next(&r);
        uint32_t stream = iter % 3 == 0 ? 0 : (uint32_t)t_next(&r);
        uint64_t row0 = iter % 4 == 0 ? t_below(&r, 100)
                      : iter % 4 == 1 ? 0xFFFFFFFFull - t_below(&r, 8)
                                      : t_next(&r);
        size_t n = 1 + t_below(&r, 16), l = 1 + t_below(&r, 70);
        sm_rng rng;
        T_OK(sm_rng_init(&rng, SM_RNG_PHILOX, seed, stream));
        rng.row = row0;
        T_OK(sm_rng_uniform(&rng, noise, n, l));
        T_UINT_EQ(rng.row, row0 + n);
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < l; c++)
                T_MSG(noise[i * l + c] == reference(seed, stream, row0 + i, c),
                              "seed %llx stream %x row %llx col %zu",
                              (unsigned long long)seed, stream, (unsigned long long)(row0 + i), c);
    }
    free(noise);
}
END_TEST

/* The same through the kernel table of the backend under test, with batches
 * of rows in one kernel call and lengths that are not multiples of 4. */
START_TEST(kernel_matches_random123)
{
    const struct sm_kernels *k = t_backend();
    t_rand r = { 0x5eed };
    float *noise = malloc(9 * 300 * sizeof(float) + 4);
    for (int iter = 0; iter < 300; iter++) {
        uint64_t seed = t_next(&r), row0 = iter & 1 ? t_next(&r) : t_below(&r, 1u << 20);
        uint32_t stream = (uint32_t)t_next(&r);
        size_t n = 1 + t_below(&r, 9), l = 1 + t_below(&r, iter < 200 ? 40 : 300);
        memset(noise, T_CANARY, n * l * 4 + 4);
        k->philox_rows(seed, stream, row0, n, l, noise);
        T_TRUE(t_all_bytes(noise + n * l, 4, T_CANARY));
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < l; c++)
                T_MSG(noise[i * l + c] == reference(seed, stream, row0 + i, c),
                              "%s: seed %llx stream %x row %llx col %zu of %zu", k->name,
                              (unsigned long long)seed, stream, (unsigned long long)(row0 + i), c, l);
    }
    free(noise);
}
END_TEST

/* Masking with the philox generator draws the same noise. */
START_TEST(masking_noise_matches_random123)
{
    t_rand r = { 77 };
    float noise[6 * 200];
    for (int iter = 0; iter < 50; iter++) {
        uint64_t seed = t_next(&r), row0 = t_next(&r) >> (iter % 64);
        uint32_t stream = (uint32_t)iter;
        size_t n = 1 + t_below(&r, 6), l = 1 + t_below(&r, 200);
        sm_rng rng;
        T_OK(sm_rng_init(&rng, SM_RNG_PHILOX, seed, stream));
        rng.row = row0;
        sm_masking m = { .n = n, .l = l, .mask_ratio = 0.5, .rng = &rng, .noise = noise };
        T_OK(sm_random_masking(&m));
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < l; c++)
                T_TRUE(noise[i * l + c] == reference(seed, stream, row0 + i, c));
    }
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("philox");
    TCase *tc = tcase_create("random123");
    tcase_set_timeout(tc, T_TIMEOUT_SHORT);
    tcase_add_test(tc, random123_kat_vectors);
    tcase_add_test(tc, spec_known_answer);
    tcase_add_test(tc, api_matches_random123);
    tcase_add_test(tc, kernel_matches_random123);
    tcase_add_test(tc, masking_noise_matches_random123);
    suite_add_tcase(s, tc);
    return s;
}
