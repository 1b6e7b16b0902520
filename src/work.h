/* Helpers shared by the entry points that work row by row. */
#ifndef SIMDMASK_WORK_H
#define SIMDMASK_WORK_H

#include "internal.h"

sm_status sm__check_rng(const sm_rng *rng);

/* Draws n_rows rows of noise and advances rng (arguments already checked). */
void sm__draw_rows(const struct sm_kernels *k, sm_rng *rng, float *noise, size_t n_rows, size_t l);

/* A buffer to check for overlap with the others: NULL or 0 bytes never overlaps. */
struct sm__span {
    const char *name;
    const void *p;
    size_t bytes;
    bool output;
};

/* SM_EINVAL unless p (NULL allowed) is aligned to `align` bytes, the size of
 * the elements of a typed array (float, int32, int64). Kernels load those as
 * C objects, and a misaligned one is undefined behaviour (gcc's vectoriser
 * peels loops assuming element alignment); byte buffers such as rows of x
 * take any alignment. */
sm_status sm__check_align(const char *name, const void *p, size_t align);

/* SM_EALIAS if an output span overlaps any other span. */
sm_status sm__check_spans(const struct sm__span *s, size_t n);

/* 64-byte aligned per-thread scratch: threads x bytes, rounded up. */
void *sm__scratch(int threads, size_t bytes, size_t *stride);
void sm__scratch_free(void *p);

/* First index of idx[count] (int32 or int64) outside [0, limit), or -1. */
ptrdiff_t sm__find_bad_index(const void *idx, sm_index_type t, size_t count, uint64_t limit);

/* Value of idx[i] as int64. */
static inline int64_t sm__index_at(const void *idx, sm_index_type t, size_t i)
{
    return t == SM_INDEX_I32 ? ((const int32_t *)idx)[i] : ((const int64_t *)idx)[i];
}

#endif
