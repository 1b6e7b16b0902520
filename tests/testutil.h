/* Shared by the Check suites: the backend under test, a small deterministic
 * PRNG for inputs, canary-filled buffers and error assertions.
 *
 * Each test_<name>.c defines sm_test_suite(); testutil.c holds main(), which
 * honours SIMDMASK_BACKEND the way meson sets it for each registered run: a
 * backend this CPU lacks makes the whole run exit 77 (meson: SKIP). */
#ifndef SM_TESTUTIL_H
#define SM_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "simdmask.h"
#include "internal.h"
#include "kernels.h"

/* Defined by each suite file. */
Suite *sm_test_suite(void);

/* Kernel table of the backend under test (SIMDMASK_BACKEND, else the
 * automatic choice) and the scalar reference. */
const struct sm_kernels *t_backend(void);
#define t_scalar() (&sm__kernels_scalar)

/* Whether each test runs in its own process (Check's fork mode, the
 * default), starting from a library that has not selected a backend yet. */
extern bool t_forked;

/* Makes the public API run on scalar / on the backend under test. */
void t_use_scalar(void);
void t_use_tested(void);

/* Check timeouts in seconds, per test. The slowest test takes under 2 s
 * natively (argsort, masking); Check multiplies these by
 * CK_TIMEOUT_MULTIPLIER, which the aarch64 run under qemu sets to 10. */
#define T_TIMEOUT_SHORT 10
#define T_TIMEOUT_LONG 60

/* One Check test case per test, so that CK_RUN_CASE=<name> runs one alone;
 * each is run `loops` times (_i = 0 .. loops - 1) with T_TIMEOUT_LONG. */
struct t_case {
    const char *name;
    const TTest *fn;
    int loops;
};
void t_add_cases(Suite *s, const struct t_case *cases, size_t n);

/* splitmix64: reproducible inputs; every failure message prints the seed. */
typedef struct { uint64_t s; } t_rand;
static inline uint64_t t_next(t_rand *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* Uniform in [0, n) (n > 0; the modulo bias is irrelevant here). */
static inline uint64_t t_below(t_rand *r, uint64_t n)
{
    return t_next(r) % n;
}
/* Uniform in [lo, hi]. */
static inline int64_t t_range(t_rand *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)t_below(r, (uint64_t)(hi - lo + 1));
}

/* Assertions that cost nothing when they hold. Check's own ck_assert_* send
 * a record to the parent process on every call in fork mode (a pipe write
 * each: the masking suite made ~10^6 of them and took 50 s instead of
 * 0.6 s), so the tests test first and call Check only to report a failure.
 * Arguments are evaluated twice on failure: pass no side effects. */
#define T_TRUE(c)                                                                              \
    do {                                                                                       \
        if (!(c)) ck_assert(c);                                                                \
    } while (0)
#define T_MSG(c, ...)                                                                          \
    do {                                                                                       \
        if (!(c)) ck_assert_msg(c, __VA_ARGS__);                                               \
    } while (0)
#define T_INT_EQ(a, b)                                                                         \
    do {                                                                                       \
        if ((intmax_t)(a) != (intmax_t)(b)) ck_assert_int_eq(a, b);                            \
    } while (0)
#define T_UINT_EQ(a, b)                                                                        \
    do {                                                                                       \
        if ((uintmax_t)(a) != (uintmax_t)(b)) ck_assert_uint_eq(a, b);                         \
    } while (0)
#define T_MEM_EQ(a, b, n)                                                                      \
    do {                                                                                       \
        if (memcmp(a, b, n) != 0) ck_assert_mem_eq(a, b, n);                                   \
    } while (0)

/* Field by field: sm_rng has trailing padding that memcmp would read. */
#define T_RNG_EQ(a, b)                                                                         \
    do {                                                                                       \
        T_UINT_EQ((a).kind, (b).kind);                                                         \
        T_UINT_EQ((a).stream, (b).stream);                                                     \
        T_UINT_EQ((a).seed, (b).seed);                                                         \
        T_UINT_EQ((a).row, (b).row);                                                           \
        T_UINT_EQ((a).mti, (b).mti);                                                           \
        T_MEM_EQ((a).mt, (b).mt, sizeof (a).mt);                                               \
    } while (0)

/* malloc'ed buffer of n bytes (at least 1) filled with byte c. */
void *t_alloc(size_t n, int c);
/* Whether every byte of p[0..n) is c. */
bool t_all_bytes(const void *p, size_t n, int c);

#define T_CANARY 0xA5

/* Error assertions: t_arm() records a sentinel message; after the failing
 * call, T_EXPECT_FAIL checks the status and that sm_last_error() is a new,
 * non-empty message (not the stale sentinel). */
void t_arm(void);
const char *t_sentinel(void);
#define T_EXPECT_FAIL(call, want)                                                              \
    do {                                                                                       \
        t_arm();                                                                               \
        sm_status st_ = (call);                                                                \
        if (st_ != (want)) ck_assert_msg(st_ == (want), "%s: status %d (%s), expected %d (%s); message \"%s\"",    \
                      #call, (int)st_, sm_strerror(st_), (int)(want), sm_strerror(want),       \
                      sm_last_error());                                                        \
        T_MSG(sm_last_error()[0] != '\0', "%s: empty message", #call);                        \
        T_MSG(strcmp(sm_last_error(), t_sentinel()) != 0,                                      \
                      "%s: failed without setting a message", #call);                         \
    } while (0)

#define T_OK(call)                                                                             \
    do {                                                                                       \
        sm_status st_ = (call);                                                                \
        if (st_ != SM_OK) ck_assert_msg(st_ == SM_OK, "%s: %s: %s", #call, sm_strerror(st_), sm_last_error());   \
    } while (0)

#endif
