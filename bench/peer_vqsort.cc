// A second thin C++ shim, beside gbench_c.cc: Highway's vqsort has only a C++
// interface, so this file exposes the one call the C benchmarks need.
#include "peer_vqsort.h"

#include <hwy/contrib/sort/vqsort.h>

extern "C" void peer_vqsort_u64(uint64_t *keys, size_t n)
{
    // A Sorter holds vqsort's small state; one per thread, made once.
    static thread_local hwy::Sorter sorter;
    sorter(keys, n, hwy::SortAscending());
}
