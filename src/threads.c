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

/* libgomp enters even a one-thread region through the team machinery: ~1.1 us
 * and a futex system call per region here (10,000 empty regions, strace), and
 * on this VM a system call also costs the gather its TLB. The AVX-512 gather
 * kernel, 16 MiB source, 4 MiB out of 1024-byte rows, one thread, best of 30
 * interleaved rounds: the kernel loop alone 43.7 GB/s, the same loop after
 * an empty one-thread region 38.2. */
void sm__parallel(int t, size_t n, sm__range_fn *fn, void *ctx)
{
    if (n == 0) return;
    if (t <= 1 || n == 1) {
        fn(ctx, 0, n, 0);
        return;
    }
#pragma omp parallel num_threads(t)
    {
        /* The team may be smaller than t (OMP_THREAD_LIMIT, nesting). */
        size_t nt = (size_t)omp_get_num_threads(), id = (size_t)omp_get_thread_num();
        size_t q = n / nt, r = n % nt;
        size_t begin = id * q + (id < r ? id : r), end = begin + q + (id < r);
        if (begin < end) fn(ctx, begin, end, (int)id);
    }
}
