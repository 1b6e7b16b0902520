/* Helpers shared by the entry points that work row by row. */
#ifndef SIMDMASK_WORK_H
#define SIMDMASK_WORK_H

#include "internal.h"

sm_status sm__check_rng(const sm_rng *rng);

/* sm_random_masking's checks of m (sizes, types, ratio, alignment, every
 * output against every input, m->rng and m itself); sets *len_keep. */
sm_status sm__masking_check(const sm_masking *m, size_t *len_keep);

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

/* 64-byte aligned scratch: threads parts of bytes each (rounded up to *stride),
 * then extra bytes at threads x *stride. Reuses the calling thread's kept
 * block when it is large enough (see work.c); NULL when out of memory. */
void *sm__scratch(int threads, size_t bytes, size_t extra, size_t *stride);
void sm__scratch_free(void *p);

/* First index of idx[count] (int32 or int64) outside [0, limit), or -1. */
ptrdiff_t sm__find_bad_index(const void *idx, sm_index_type t, size_t count, uint64_t limit);

/* Value of idx[i] as int64. */
static inline int64_t sm__index_at(const void *idx, sm_index_type t, size_t i)
{
    return t == SM_INDEX_I32 ? ((const int32_t *)idx)[i] : ((const int64_t *)idx)[i];
}

/* Whether a row gather writing out_bytes in rows of row_bytes should use the
 * non-temporal kernels. Above the last-level cache (32 MiB here) streaming
 * stores skip the read-for-ownership of each output line: 38 MB of 3072-byte
 * rows, AVX-512, % of memcpy: 86 % streaming vs 75 % plain; at 4 MiB the
 * plain stores win (92 % vs 68 %), and 64-byte rows lose with streaming
 * stores at every size (38 MB: 18 % vs 22 %). 24 MiB leaves the source room
 * in the cache. */
#define SM__NT_MIN_BYTES ((size_t)24 << 20)
static inline bool sm__use_nt(size_t out_bytes, size_t row_bytes)
{
    return out_bytes >= SM__NT_MIN_BYTES && row_bytes >= 256;
}

#endif
