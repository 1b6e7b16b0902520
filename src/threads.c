#include <omp.h>
#include <stdatomic.h>

#include "internal.h"

static _Atomic int num_threads; /* 0: OpenMP's default */

sm_status sm_set_num_threads(int n)
{
    if (n < 0) return sm__fail(SM_EINVAL, "thread count %d is negative", n);
    atomic_store(&num_threads, n);
    return SM_OK;
}

int sm_get_num_threads(void)
{
    int n = atomic_load(&num_threads);
    return n > 0 ? n : omp_get_max_threads();
}

/* A thread costs ~5 us to wake; below ~64 KiB of work per extra thread the
 * split loses, so small calls stay on the caller's thread. */
int sm__threads_for(size_t rows, size_t bytes_per_row)
{
    int t = sm_get_num_threads();
    size_t bytes = rows * bytes_per_row;
    size_t useful = bytes / 65536 + 1;
    if ((size_t)t > useful) t = (int)useful;
    if ((size_t)t > rows) t = (int)rows;
    return t < 1 ? 1 : t;
}
