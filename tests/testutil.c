#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

static const struct sm_kernels *find_backend(const char *name)
{
    for (size_t i = 0; i < sm__backend_count(); i++)
        if (strcmp(sm__backend(i)->name, name) == 0) return sm__backend(i);
    return NULL;
}

const struct sm_kernels *t_backend(void)
{
    const char *want = getenv("SIMDMASK_BACKEND");
    if (want && *want && strcmp(want, "auto") != 0) {
        const struct sm_kernels *k = find_backend(want);
        if (k) return k;
    }
    /* The automatic choice, found without making the library choose. */
    for (size_t i = 0; i < sm__backend_count(); i++)
        if (sm__supported(sm__backend(i))) return sm__backend(i);
    return t_scalar();
}

void t_use_scalar(void)
{
    T_OK(sm_backend_set("scalar"));
}

void t_use_tested(void)
{
    T_OK(sm_backend_set(t_backend()->name));
}

void *t_alloc(size_t n, int c)
{
    void *p = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(p);
    memset(p, c, n ? n : 1);
    return p;
}

bool t_all_bytes(const void *p, size_t n, int c)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != (unsigned char)c) return false;
    return true;
}

bool t_forked;

static char sentinel[256];

void t_arm(void)
{
    /* Any failing call records a message; this one is known and harmless. */
    sm_status st = sm_backend_set("t-sentinel");
    ck_assert_int_eq(st, SM_ENOTFOUND);
    if (!sentinel[0]) snprintf(sentinel, sizeof sentinel, "%s", sm_last_error());
}

const char *t_sentinel(void)
{
    return sentinel;
}

void t_add_cases(Suite *s, const struct t_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, T_TIMEOUT_LONG);
        tcase_add_loop_test(tc, cases[i].fn, 0, cases[i].loops);
        suite_add_tcase(s, tc);
    }
}

int main(void)
{
    const char *want = getenv("SIMDMASK_BACKEND");
    if (want && *want && strcmp(want, "auto") != 0) {
        const struct sm_kernels *k = find_backend(want);
        if (!k) {
            fprintf(stderr, "SIMDMASK_BACKEND=%s: no such backend compiled in\n", want);
            return 1;
        }
        if (!sm__supported(k)) {
            printf("SKIP: this CPU lacks backend %s\n", want);
            return 77;
        }
    }
    /* Nothing here selects the active backend: in fork mode every test
     * starts from a library that has not chosen yet, so the dispatch suite
     * can check SIMDMASK_BACKEND's first-use handling. */
    printf("backend under test: %s\n", t_backend()->name);

    SRunner *sr = srunner_create(sm_test_suite());
    t_forked = srunner_fork_status(sr) == CK_FORK;
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
