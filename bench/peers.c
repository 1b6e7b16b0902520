/* Peers measured in the same run as the backends, so that ratios hold on a
 * noisy machine: C qsort and Highway's vqsort for the argsort rows, memcpy
 * for the row gathers (their floor). PyTorch runs beside, from
 * bench/torch_peer.py. A peer that is not built is skipped with a note in the
 * context, never stood in for. */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#ifdef BENCH_HAVE_VQSORT
#include "peer_vqsort.h"
#endif

enum sorter { SORT_QSORT, SORT_VQSORT };
struct peer_sort_cfg {
    enum sorter sorter;
    enum bench_keys keys;
    size_t l;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* An argsort as a general sort can do it: pack (order-preserving key << 32 |
 * index), sort the uint64s, keep the low halves. Distinct packed values make
 * any sort stable; the packing and unpacking are timed, as the library's
 * kernels do the same work inside. Noise keys are k * 2^-24, so k itself is
 * the key; float keys go through sm__float_key (PyTorch's order). */
static void bm_peer_argsort(gb_state *st, void *arg)
{
    const struct peer_sort_cfg *c = arg;
    size_t l = c->l, rows = bench_sort_rows(l);
    float *keys = bench_alloc(rows * l * sizeof(float));
    uint32_t *idx = bench_alloc(rows * l * sizeof(uint32_t));
    uint64_t *packed = bench_alloc(l * sizeof(uint64_t));
    if (c->keys == KEYS_NOISE)
        bench_noise(keys, rows, l, 0);
    else
        bench_floats(keys, rows * l, 1);
    while (gb_keep_running(st)) {
        for (size_t r = 0; r < rows; r++) {
            const float *row = keys + r * l;
            if (c->keys == KEYS_NOISE)
                for (size_t i = 0; i < l; i++)
                    packed[i] = (uint64_t)(uint32_t)(row[i] * 0x1p24f) << 32 | i;
            else
                for (size_t i = 0; i < l; i++)
                    packed[i] = (uint64_t)sm__float_key(row[i]) << 32 | i;
#ifdef BENCH_HAVE_VQSORT
            if (c->sorter == SORT_VQSORT)
                peer_vqsort_u64(packed, l);
            else
#endif
                qsort(packed, l, sizeof *packed, cmp_u64);
            uint32_t *out = idx + r * l;
            for (size_t i = 0; i < l; i++) out[i] = (uint32_t)packed[i];
        }
    }
    gb_set_items_processed(st, gb_iterations(st) * (int64_t)(rows * l));
    gb_counter(st, "rows", (double)rows, GB_COUNTER_DEFAULT);
    gb_counter(st, "rows_per_second", (double)rows,
               GB_COUNTER_PER_ITERATION_INVARIANT | GB_COUNTER_RATE);
    free(keys);
    free(idx);
    free(packed);
}

struct peer_gather_cfg {
    size_t row_bytes;
    int keep_pct;
};

/* The floor of a row gather: memcpy of the bytes it writes, contiguous, per
 * sample (the kept fraction of each sample's rows). */
static void bm_memcpy(gb_state *st, void *arg)
{
    const struct peer_gather_cfg *c = arg;
    size_t rb = c->row_bytes, l = BENCH_GATHER_L;
    size_t n = bench_gather_n(rb), k = bench_gather_k(c->keep_pct);
    char *src = bench_alloc(n * l * rb);
    char *out = bench_alloc(n * k * rb);
    memset(src, 0x5A, n * l * rb);
    while (gb_keep_running(st)) {
        for (size_t r = 0; r < n; r++) memcpy(out + r * k * rb, src + r * l * rb, k * rb);
        /* Keeps the copies from being dropped as dead stores. */
        __asm__ volatile("" : : "r"(out) : "memory");
    }
    gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)(n * k * rb));
    gb_counter(st, "rows", (double)(n * k), GB_COUNTER_DEFAULT);
    free(src);
    free(out);
}

void bench_register_peers(void)
{
    static const char *const sorter_name[] = { "qsort", "vqsort" };
    for (int keys = KEYS_NOISE; keys <= KEYS_F32; keys++) {
        for (size_t j = 0; j < bench_sort_l_count; j++) {
            for (int s = SORT_QSORT; s <= SORT_VQSORT; s++) {
#ifndef BENCH_HAVE_VQSORT
                if (s == SORT_VQSORT) continue; /* noted in the context */
#endif
                struct peer_sort_cfg c = { (enum sorter)s, (enum bench_keys)keys, bench_sort_l[j] };
                gb_unit(bench_register(bm_peer_argsort, bench_keep(&c, sizeof c), "%s/%s/L:%zu",
                                       keys == KEYS_NOISE ? "argsort_noise" : "argsort_f32",
                                       sorter_name[s], c.l),
                        GB_US);
            }
        }
    }
    for (size_t b = 0; b < bench_gather_row_bytes_count; b++) {
        for (size_t p = 0; p < bench_gather_keep_count; p++) {
            struct peer_gather_cfg c = { bench_gather_row_bytes[b], bench_gather_keep_pct[p] };
            gb_unit(bench_register(bm_memcpy, bench_keep(&c, sizeof c),
                                   "gather_rows/memcpy/row_bytes:%zu/keep:%d", c.row_bytes,
                                   c.keep_pct),
                    GB_US);
        }
    }
}

const char *bench_peer_notes(void)
{
#ifdef BENCH_HAVE_VQSORT
    return "qsort: glibc; vqsort: Highway (libhwy-contrib); memcpy: glibc";
#else
    return "qsort: glibc; vqsort: skipped, Highway's libhwy-dev was not found at build time; "
           "memcpy: glibc";
#endif
}
