/* Shared by the files of src/: errors, dispatch, threads, overflow checks. */
#ifndef SIMDMASK_INTERNAL_H
#define SIMDMASK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "simdmask.h"
#include "kernels.h"

/* Records a formatted message for sm_last_error() and returns status. */
sm_status sm__fail(sm_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The active kernel table, chosen on first use. */
const struct sm_kernels *sm__active(void);

/* Backends compiled in, best first (for tests and benchmarks). */
size_t sm__backend_count(void);
const struct sm_kernels *sm__backend(size_t i);
/* Whether this CPU runs a kernel table. */
bool sm__supported(const struct sm_kernels *k);

/* CPU features, detected once (cpu_x86.c / cpu_arm.c). */
uint32_t sm__detect_cpu_features(void);

/* Threads for a loop over `work` rows: 1 when the work is too small to split. */
int sm__threads_for(size_t rows, size_t bytes_per_row);

/* fn(ctx, begin, end, thread) over [0, n) split in contiguous ranges, one per
 * thread (OpenMP's static schedule); thread < t indexes per-thread scratch.
 * With t == 1 fn runs on the caller's thread without an OpenMP region. */
typedef void sm__range_fn(void *ctx, size_t begin, size_t end, int thread);
void sm__parallel(int t, size_t n, sm__range_fn *fn, void *ctx);

/* a * b into *out; false on overflow. */
static inline bool sm__mul(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

/* Whether [a, a + an) and [b, b + bn) overlap (empty ranges never do). */
static inline bool sm__overlap(const void *a, size_t an, const void *b, size_t bn)
{
    uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b;
    if (an == 0 || bn == 0 || a == NULL || b == NULL) return false;
    return pa < pb + bn && pb < pa + an;
}

static inline size_t sm__index_size(sm_index_type t)
{
    return t == SM_INDEX_I32 ? 4 : 8;
}

#endif
