/* Dispatch: the list of backends, forcing one by name, automatic choice,
 * SIMDMASK_BACKEND at first use (each test runs in a fresh process that has
 * not chosen yet), CPU feature names, version and status texts. */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static const char *auto_choice(void)
{
    for (size_t i = 0; i < sm_backend_count(); i++)
        if (sm_backend_supported(i)) return sm_backend_name(i);
    return NULL;
}

START_TEST(list)
{
    size_t n = sm_backend_count();
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_eq(sm__backend_count(), n);
    /* Best first, scalar last: it needs nothing, so it is always supported. */
    ck_assert_str_eq(sm_backend_name(n - 1), "scalar");
    ck_assert_int_eq(sm_backend_supported(n - 1), 1);
    ck_assert_uint_eq(sm__backend(n - 1)->required, 0);
    ck_assert_ptr_null(sm__backend(n));
    for (size_t i = 0; i < n; i++) {
        const struct sm_kernels *k = sm__backend(i);
        ck_assert_ptr_nonnull(k);
        ck_assert_str_eq(k->name, sm_backend_name(i));
        ck_assert_int_eq(sm_backend_supported(i), (sm_cpu_features() & k->required) == k->required);
        ck_assert_int_eq(sm_backend_supported(i), sm__supported(k));
        for (size_t j = 0; j < i; j++) ck_assert_str_ne(sm_backend_name(i), sm_backend_name(j));
        /* Every required slot is filled (a backend points what it does not
         * optimise at scalar); the *_nt slots are optional. */
        ck_assert(k->philox_rows && k->mt_uniform && k->argsort_noise && k->argsort_f32);
        ck_assert(k->inverse_perm && k->mask_f32 && k->mask_u8 && k->widen_u32_i64);
        ck_assert(k->gather_rows_u32 && k->gather_rows_i64 && k->unshuffle_u32 && k->unshuffle_i64);
    }
}
END_TEST

/* The run's backend as meson registered it: SIMDMASK_BACKEND=<name>. */
START_TEST(run_backend_from_environment)
{
    const char *want = getenv("SIMDMASK_BACKEND");
    if (!t_forked || !want || !*want || strcmp(want, "auto") == 0) return;
    ck_assert_str_eq(sm_backend_active(), want);
    ck_assert_str_eq(sm_backend_reason(), "SIMDMASK_BACKEND");
}
END_TEST

/* SIMDMASK_BACKEND=<each name, "auto", "", unknown> read at first use. */
START_TEST(environment_at_first_use)
{
    if (!t_forked) return; /* needs a library that has not chosen yet */
    size_t n = sm_backend_count();
    const char *name = (size_t)_i < n ? sm_backend_name((size_t)_i)
                     : (size_t)_i == n ? "auto" : (size_t)_i == n + 1 ? "" : "no-such-backend";
    setenv("SIMDMASK_BACKEND", name, 1);
    if ((size_t)_i < n && sm_backend_supported((size_t)_i)) {
        ck_assert_str_eq(sm_backend_active(), name);
        ck_assert_str_eq(sm_backend_reason(), "SIMDMASK_BACKEND");
    } else {
        /* Unusable or no choice: the automatic one, and the reason says so. */
        ck_assert_str_eq(sm_backend_active(), auto_choice());
        ck_assert_str_eq(sm_backend_reason(), "auto");
    }
}
END_TEST

START_TEST(no_environment_is_auto)
{
    if (!t_forked) return;
    unsetenv("SIMDMASK_BACKEND");
    ck_assert_str_eq(sm_backend_active(), auto_choice());
    ck_assert_str_eq(sm_backend_reason(), "auto");
}
END_TEST

START_TEST(force_by_name)
{
    for (size_t i = 0; i < sm_backend_count(); i++) {
        const char *before = sm_backend_active();
        if (sm_backend_supported(i)) {
            T_OK(sm_backend_set(sm_backend_name(i)));
            ck_assert_str_eq(sm_backend_active(), sm_backend_name(i));
            ck_assert_str_eq(sm_backend_reason(), "sm_backend_set");
        } else {
            T_EXPECT_FAIL(sm_backend_set(sm_backend_name(i)), SM_EUNSUPPORTED);
            ck_assert_str_eq(sm_backend_active(), before);
        }
        const char *now = sm_backend_active(), *why = sm_backend_reason();
        T_EXPECT_FAIL(sm_backend_set("no-such-backend"), SM_ENOTFOUND);
        ck_assert_str_eq(sm_backend_active(), now);
        ck_assert_str_eq(sm_backend_reason(), why);
    }
    T_OK(sm_backend_set(NULL));
    ck_assert_str_eq(sm_backend_active(), auto_choice());
    ck_assert_str_eq(sm_backend_reason(), "auto");
    T_OK(sm_backend_set("scalar"));
    T_OK(sm_backend_set("auto"));
    ck_assert_str_eq(sm_backend_active(), auto_choice());
    ck_assert_str_eq(sm_backend_reason(), "auto");
}
END_TEST

START_TEST(cpu_features)
{
    uint32_t f = sm_cpu_features();
    ck_assert_uint_eq(f, sm_cpu_features()); /* detected once, stable */
    for (int b = 0; b < 32; b++) {
        uint32_t bit = 1u << b;
        const char *name = sm_cpu_feature_name(bit);
        if (f & bit) ck_assert_msg(name != NULL, "feature bit %d is set but has no name", b);
        for (int c = 0; c < b && name; c++) {
            const char *other = sm_cpu_feature_name(1u << c);
            if (other) ck_assert_str_ne(name, other);
        }
    }
#if defined(__aarch64__)
    ck_assert(f & SM_CPU_NEON); /* part of the aarch64 base */
#endif
#if defined(__x86_64__)
    /* Levels imply their parts: AVX2 without AVX, or AVX-512 without AVX2,
     * would be a detection bug. */
    if (f & SM_CPU_AVX2) ck_assert(f & SM_CPU_AVX);
    if (f & SM_CPU_AVX512F) ck_assert(f & SM_CPU_AVX2);
    if (f & SM_CPU_SSE42) ck_assert(f & SM_CPU_SSE41);
#endif
}
END_TEST

START_TEST(version_and_texts)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", SIMDMASK_VERSION_MAJOR, SIMDMASK_VERSION_MINOR,
             SIMDMASK_VERSION_PATCH);
    ck_assert_str_eq(sm_version(), want);
    ck_assert_str_eq(SIMDMASK_VERSION_STRING, want);
    for (int a = SM_OK; a <= SM_EALIAS; a++) {
        ck_assert_ptr_nonnull(sm_strerror((sm_status)a));
        ck_assert_uint_gt(strlen(sm_strerror((sm_status)a)), 0);
        for (int b = SM_OK; b < a; b++) ck_assert_str_ne(sm_strerror((sm_status)a), sm_strerror((sm_status)b));
    }
    ck_assert_str_ne(sm_strerror((sm_status)(SM_EALIAS + 1)), sm_strerror(SM_OK));
}
END_TEST

START_TEST(thread_count)
{
    ck_assert_int_ge(sm_get_num_threads(), 1);
    T_OK(sm_set_num_threads(3));
    ck_assert_int_eq(sm_get_num_threads(), 3);
    T_OK(sm_set_num_threads(0));
    ck_assert_int_ge(sm_get_num_threads(), 1);
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("dispatch");
    TCase *tc = tcase_create("dispatch");
    tcase_set_timeout(tc, T_TIMEOUT_SHORT);
    tcase_add_test(tc, list);
    tcase_add_test(tc, run_backend_from_environment);
    tcase_add_loop_test(tc, environment_at_first_use, 0, (int)sm_backend_count() + 3);
    tcase_add_test(tc, no_environment_is_auto);
    tcase_add_test(tc, force_by_name);
    tcase_add_test(tc, cpu_features);
    tcase_add_test(tc, version_and_texts);
    tcase_add_test(tc, thread_count);
    suite_add_tcase(s, tc);
    return s;
}
