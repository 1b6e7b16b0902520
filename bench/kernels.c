/* Per-backend kernel benchmarks: the kernel table's slots called directly,
 * one thread, for every backend compiled in and supported by this CPU. A
 * slot a backend leaves at the scalar kernel is not measured again (the
 * context's "shared_with_scalar" lists them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* ------------------------------------------------------------------ noise */

struct noise_cfg {
    const struct sm_kernels *k;
    bool torch;
};

static void bm_noise(gb_state *st, void *arg)
{
    const struct noise_cfg *c = arg;
    size_t count = (size_t)BENCH_NOISE_N * BENCH_NOISE_L;
    float *out = bench_alloc(count * sizeof(float));
    sm_rng rng;
    sm_rng_init(&rng, SM_RNG_TORCH, 42, 0);
    uint64_t row = 0;
    while (gb_keep_running(st)) {
        if (c->torch) {
            c->k->mt_uniform(rng.mt, &rng.mti, out, count);
        } else {
            c->k->philox_rows(42, 0, row, BENCH_NOISE_N, BENCH_NOISE_L, out);
            row += BENCH_NOISE_N;
        }
    }
    gb_set_items_processed(st, gb_iterations(st) * (int64_t)count);
    gb_counter(st, "floats", (double)count, GB_COUNTER_DEFAULT);
    if (c->k != &sm__kernels_scalar) {
        /* A figure for wrong bits would mean nothing: same draw, both tables. */
        float *want = bench_alloc(count * sizeof(float));
        sm_rng a, b;
        sm_rng_init(&a, SM_RNG_TORCH, 7, 0);
        b = a;
        if (c->torch) {
            c->k->mt_uniform(a.mt, &a.mti, out, count);
            sm__scalar_mt_uniform(b.mt, &b.mti, want, count);
        } else {
            c->k->philox_rows(7, 1, 5, BENCH_NOISE_N, BENCH_NOISE_L, out);
            sm__scalar_philox_rows(7, 1, 5, BENCH_NOISE_N, BENCH_NOISE_L, want);
        }
        if (memcmp(out, want, count * sizeof(float)) != 0)
            gb_skip_with_error(st, "output differs from the scalar backend's");
        free(want);
    }
    free(out);
}

/* ---------------------------------------------------------------- argsort */

struct sort_cfg {
    const struct sm_kernels *k;
    enum bench_keys keys;
    size_t l;
};

/* Marks the run failed when a backend's output differs from scalar's on the
 * same input (the tests say why; the benchmark only refuses the figure). */
static void check_same(gb_state *st, const struct sm_kernels *k, const void *got,
                       const void *want, size_t bytes)
{
    if (k != &sm__kernels_scalar && memcmp(got, want, bytes) != 0)
        gb_skip_with_error(st, "output differs from the scalar backend's");
}

static void bm_argsort(gb_state *st, void *arg)
{
    const struct sort_cfg *c = arg;
    size_t l = c->l, rows = bench_sort_rows(l);
    float *keys = bench_alloc(rows * l * sizeof(float));
    uint32_t *idx = bench_alloc(rows * l * sizeof(uint32_t));
    void *scratch = bench_alloc(SM__ARGSORT_SCRATCH(l));
    if (c->keys == KEYS_NOISE)
        bench_noise(keys, rows, l, 0);
    else
        bench_floats(keys, rows * l, 1);
    while (gb_keep_running(st)) {
        for (size_t r = 0; r < rows; r++) {
            if (c->keys == KEYS_NOISE)
                c->k->argsort_noise(keys + r * l, l, idx + r * l, scratch);
            else
                c->k->argsort_f32(keys + r * l, l, 0, idx + r * l, scratch);
        }
    }
    gb_set_items_processed(st, gb_iterations(st) * (int64_t)(rows * l));
    gb_counter(st, "rows", (double)rows, GB_COUNTER_DEFAULT);
    gb_counter(st, "rows_per_second", (double)rows,
               GB_COUNTER_PER_ITERATION_INVARIANT | GB_COUNTER_RATE);
    if (c->k != &sm__kernels_scalar) {
        uint32_t *want = bench_alloc(rows * l * sizeof(uint32_t));
        for (size_t r = 0; r < rows; r++) {
            if (c->keys == KEYS_NOISE)
                sm__scalar_argsort_noise(keys + r * l, l, want + r * l, scratch);
            else
                sm__scalar_argsort_f32(keys + r * l, l, 0, want + r * l, scratch);
        }
        check_same(st, c->k, idx, want, rows * l * sizeof(uint32_t));
        free(want);
    }
    free(keys);
    free(idx);
    free(scratch);
}

/* ------------------------------------------------------------- ids_restore */

static void bm_ids_restore(gb_state *st, void *arg)
{
    const struct sort_cfg *c = arg;
    size_t l = c->l, rows = bench_sort_rows(l);
    float *noise = bench_alloc(rows * l * sizeof(float));
    uint32_t *perm = bench_alloc(rows * l * sizeof(uint32_t));
    uint32_t *inv = bench_alloc(rows * l * sizeof(uint32_t));
    void *scratch = bench_alloc(SM__ARGSORT_SCRATCH(l));
    bench_noise(noise, rows, l, 0);
    for (size_t r = 0; r < rows; r++)
        sm__scalar_argsort_noise(noise + r * l, l, perm + r * l, scratch);
    while (gb_keep_running(st)) {
        for (size_t r = 0; r < rows; r++) c->k->inverse_perm(perm + r * l, l, inv + r * l);
    }
    gb_set_items_processed(st, gb_iterations(st) * (int64_t)(rows * l));
    gb_counter(st, "rows", (double)rows, GB_COUNTER_DEFAULT);
    gb_counter(st, "rows_per_second", (double)rows,
               GB_COUNTER_PER_ITERATION_INVARIANT | GB_COUNTER_RATE);
    if (c->k != &sm__kernels_scalar) {
        uint32_t *want = bench_alloc(rows * l * sizeof(uint32_t));
        for (size_t r = 0; r < rows; r++) sm__scalar_inverse_perm(perm + r * l, l, want + r * l);
        check_same(st, c->k, inv, want, rows * l * sizeof(uint32_t));
        free(want);
    }
    free(noise);
    free(perm);
    free(inv);
    free(scratch);
}

/* ------------------------------------------------------------- row gather */

struct gather_cfg {
    const struct sm_kernels *k;
    size_t row_bytes;
    int keep_pct;
};

/* The kept indices of MAE: the first k of a random permutation per sample. */
uint32_t *bench_gather_indices(size_t n, size_t k)
{
    size_t l = BENCH_GATHER_L;
    float *noise = bench_alloc(n * l * sizeof(float));
    uint32_t *perm = bench_alloc(l * sizeof(uint32_t));
    uint32_t *idx = bench_alloc(n * k * sizeof(uint32_t));
    void *scratch = bench_alloc(SM__ARGSORT_SCRATCH(l));
    bench_noise(noise, n, l, 0);
    for (size_t r = 0; r < n; r++) {
        sm__scalar_argsort_noise(noise + r * l, l, perm, scratch);
        memcpy(idx + r * k, perm, k * sizeof(uint32_t));
    }
    free(noise);
    free(perm);
    free(scratch);
    return idx;
}

static void bm_gather(gb_state *st, void *arg)
{
    const struct gather_cfg *c = arg;
    size_t rb = c->row_bytes, l = BENCH_GATHER_L;
    size_t n = bench_gather_n(rb), k = bench_gather_k(c->keep_pct);
    char *src = bench_alloc(n * l * rb);
    char *out = bench_alloc(n * k * rb);
    memset(src, 0x5A, n * l * rb);
    uint32_t *idx = bench_gather_indices(n, k);
    while (gb_keep_running(st)) {
        for (size_t r = 0; r < n; r++)
            c->k->gather_rows_u32(src + r * l * rb, rb, idx + r * k, k, out + r * k * rb);
    }
    /* Bytes written (= bytes read): memcpy of as many bytes is the floor. */
    gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)(n * k * rb));
    gb_counter(st, "rows", (double)(n * k), GB_COUNTER_DEFAULT);
    if (c->k != &sm__kernels_scalar) {
        char *want = bench_alloc(n * k * rb);
        for (size_t i = 0; i < n * l * rb; i++) src[i] = (char)(i * 131 + 7); /* rows differ */
        for (size_t r = 0; r < n; r++) {
            c->k->gather_rows_u32(src + r * l * rb, rb, idx + r * k, k, out + r * k * rb);
            sm__scalar_gather_rows_u32(src + r * l * rb, rb, idx + r * k, k, want + r * k * rb);
        }
        check_same(st, c->k, out, want, n * k * rb);
        free(want);
    }
    free(src);
    free(out);
    free(idx);
}

/* ---------------------------------------------------------------- register */

static char shared[1024];

static bool same_as_scalar(const struct sm_kernels *k, const void *slot, const void *scalar_slot,
                           const char *what)
{
    if (k == &sm__kernels_scalar || slot != scalar_slot) return false;
    char item[96];
    snprintf(item, sizeof item, "%s%s.%s", shared[0] ? " " : "", k->name, what);
    if (!strstr(shared, item + (item[0] == ' ')) && strlen(shared) + strlen(item) < sizeof shared)
        strcat(shared, item);
    return true;
}

const char *bench_shared_with_scalar(void)
{
    return shared[0] ? shared : "none";
}

#define SLOT_SHARED(k, slot) \
    same_as_scalar((k), (const void *)(k)->slot, (const void *)sm__kernels_scalar.slot, #slot)

void bench_register_kernels(void)
{
    for (size_t i = 0; i < bench_backend_count(); i++) {
        const struct sm_kernels *k = bench_backend(i);
        if (!SLOT_SHARED(k, philox_rows)) {
            struct noise_cfg c = { k, false };
            bench_register(bm_noise, bench_keep(&c, sizeof c), "noise_philox/%s/N:%d/L:%d",
                           k->name, BENCH_NOISE_N, BENCH_NOISE_L);
        }
        if (!SLOT_SHARED(k, mt_uniform)) {
            struct noise_cfg c = { k, true };
            bench_register(bm_noise, bench_keep(&c, sizeof c), "noise_torch/%s/N:%d/L:%d",
                           k->name, BENCH_NOISE_N, BENCH_NOISE_L);
        }
    }
    for (int keys = KEYS_NOISE; keys <= KEYS_F32; keys++) {
        for (size_t j = 0; j < bench_sort_l_count; j++) {
            for (size_t i = 0; i < bench_backend_count(); i++) {
                const struct sm_kernels *k = bench_backend(i);
                bool dup = keys == KEYS_NOISE ? SLOT_SHARED(k, argsort_noise)
                                              : SLOT_SHARED(k, argsort_f32);
                if (dup) continue;
                struct sort_cfg c = { k, (enum bench_keys)keys, bench_sort_l[j] };
                gb_unit(bench_register(bm_argsort, bench_keep(&c, sizeof c), "%s/%s/L:%zu",
                                       keys == KEYS_NOISE ? "argsort_noise" : "argsort_f32",
                                       k->name, c.l),
                        GB_US);
            }
        }
    }
    for (size_t j = 0; j < bench_sort_l_count; j++) {
        for (size_t i = 0; i < bench_backend_count(); i++) {
            const struct sm_kernels *k = bench_backend(i);
            if (SLOT_SHARED(k, inverse_perm)) continue;
            struct sort_cfg c = { k, KEYS_NOISE, bench_sort_l[j] };
            gb_unit(bench_register(bm_ids_restore, bench_keep(&c, sizeof c),
                                   "ids_restore/%s/L:%zu", k->name, c.l),
                    GB_US);
        }
    }
    for (size_t b = 0; b < bench_gather_row_bytes_count; b++) {
        for (size_t p = 0; p < bench_gather_keep_count; p++) {
            for (size_t i = 0; i < bench_backend_count(); i++) {
                const struct sm_kernels *k = bench_backend(i);
                if (SLOT_SHARED(k, gather_rows_u32)) continue;
                struct gather_cfg c = { k, bench_gather_row_bytes[b], bench_gather_keep_pct[p] };
                gb_unit(bench_register(bm_gather, bench_keep(&c, sizeof c),
                                       "gather_rows/%s/row_bytes:%zu/keep:%d", k->name,
                                       c.row_bytes, c.keep_pct),
                        GB_US);
            }
        }
    }
}
