/* Shapes, data and small helpers shared by the benchmark files. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "internal.h"

const size_t bench_sort_l[] = { 49, 196, 576, 1024, 1568, 4096, 16384, 65536 };
const size_t bench_sort_l_count = sizeof bench_sort_l / sizeof bench_sort_l[0];

size_t bench_sort_rows(size_t l)
{
    size_t r = ((size_t)1 << 16) / l;
    return r ? r : 1;
}

const size_t bench_gather_row_bytes[] = { 64, 256, 1024, 3072, 8192 };
const size_t bench_gather_row_bytes_count =
    sizeof bench_gather_row_bytes / sizeof bench_gather_row_bytes[0];
const int bench_gather_keep_pct[] = { 25, 10 };
const size_t bench_gather_keep_count =
    sizeof bench_gather_keep_pct / sizeof bench_gather_keep_pct[0];

size_t bench_gather_n(size_t row_bytes)
{
    size_t n = BENCH_GATHER_SRC_BYTES / (row_bytes * BENCH_GATHER_L);
    return n ? n : 1;
}

size_t bench_gather_k(int keep_pct)
{
    /* MAE's len_keep = int(L * (1 - r)) with r = 1 - keep_pct / 100. */
    size_t k;
    sm_len_keep(BENCH_GATHER_L, 1.0 - keep_pct / 100.0, &k);
    return k ? k : 1;
}

/* MAE ViT-B/16 at 224 px: 196 tokens of 768 float32, 75 % masked; ViT-L
 * rows in bfloat16 (1024 x 2 bytes); VideoMAE ViT-B: 8 clips of 1568 tubes,
 * 90 % masked; a long-sequence case: 16 x 16384 tokens of 64 float32. */
const struct bench_masking_shape bench_masking_shapes[] = {
    { "mae_vit_b", 256, 196, 768 * 4, 0.75, "float32", 768 },
    /* One sample a call, as a data-loader worker masks in __getitem__: what
     * a call costs beyond its copy. */
    { "vit_b_sample", 1, 196, 768 * 4, 0.75, "float32", 768 },
    { "vit_l_bf16", 256, 196, 1024 * 2, 0.75, "bfloat16", 1024 },
    { "videomae", 8, 1568, 768 * 4, 0.9, "float32", 768 },
    { "long", 16, 16384, 64 * 4, 0.75, "float32", 64 },
};
const size_t bench_masking_shape_count =
    sizeof bench_masking_shapes / sizeof bench_masking_shapes[0];

struct bench_opts bench_opts = { false, 1 };

void *bench_alloc(size_t bytes)
{
    size_t rounded = (bytes + 63) / 64 * 64;
    void *p = aligned_alloc(64, rounded ? rounded : 64);
    if (!p) {
        fprintf(stderr, "simdmask_bench: cannot allocate %zu bytes\n", bytes);
        exit(1);
    }
    memset(p, 0, rounded);
    return p;
}

/* Registration copies, freed together once the benchmarks have run. */
static void **kept;
static size_t n_kept, cap_kept;

void *bench_keep(const void *cfg, size_t bytes)
{
    if (n_kept == cap_kept) {
        cap_kept = cap_kept ? 2 * cap_kept : 256;
        kept = realloc(kept, cap_kept * sizeof *kept);
        if (!kept) {
            fprintf(stderr, "simdmask_bench: out of memory\n");
            exit(1);
        }
    }
    void *p = bench_alloc(bytes);
    memcpy(p, cfg, bytes);
    kept[n_kept++] = p;
    return p;
}

void bench_free_kept(void)
{
    for (size_t i = 0; i < n_kept; i++) free(kept[i]);
    free(kept);
    kept = NULL;
    n_kept = cap_kept = 0;
}

void bench_noise(float *out, size_t n_rows, size_t l, uint64_t row0)
{
    sm__scalar_philox_rows(0x5EED, 3, row0, n_rows, l, out);
}

gb_bench *bench_register(gb_fn fn, void *arg, const char *fmt, ...)
{
    char name[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    return gb_register(name, fn, arg);
}

/* No list to keep: whatever dispatch.c compiled in, minus what this CPU
 * cannot run. */
static const struct sm_kernels *supported[16];
static size_t n_supported;

static void find_backends(void)
{
    if (n_supported) return;
    for (size_t i = 0; i < sm__backend_count() && n_supported < 16; i++)
        if (sm__supported(sm__backend(i))) supported[n_supported++] = sm__backend(i);
}

size_t bench_backend_count(void)
{
    find_backends();
    return n_supported;
}

const struct sm_kernels *bench_backend(size_t i)
{
    find_backends();
    return i < n_supported ? supported[i] : NULL;
}

void bench_print_shapes(void)
{
    printf("{\n  \"sort_l\": [");
    for (size_t i = 0; i < bench_sort_l_count; i++)
        printf("%s%zu", i ? ", " : "", bench_sort_l[i]);
    printf("],\n  \"sort_rows\": [");
    for (size_t i = 0; i < bench_sort_l_count; i++)
        printf("%s%zu", i ? ", " : "", bench_sort_rows(bench_sort_l[i]));
    printf("],\n  \"noise\": {\"n\": %d, \"l\": %d},\n", BENCH_NOISE_N, BENCH_NOISE_L);
    printf("  \"gather\": {\"l\": %d, \"row_bytes\": [", BENCH_GATHER_L);
    for (size_t i = 0; i < bench_gather_row_bytes_count; i++)
        printf("%s%zu", i ? ", " : "", bench_gather_row_bytes[i]);
    printf("], \"n\": [");
    for (size_t i = 0; i < bench_gather_row_bytes_count; i++)
        printf("%s%zu", i ? ", " : "", bench_gather_n(bench_gather_row_bytes[i]));
    printf("], \"keep_pct\": [");
    for (size_t i = 0; i < bench_gather_keep_count; i++)
        printf("%s%d", i ? ", " : "", bench_gather_keep_pct[i]);
    printf("], \"k\": [");
    for (size_t i = 0; i < bench_gather_keep_count; i++)
        printf("%s%zu", i ? ", " : "", bench_gather_k(bench_gather_keep_pct[i]));
    printf("]},\n  \"masking\": [\n");
    for (size_t i = 0; i < bench_masking_shape_count; i++) {
        const struct bench_masking_shape *s = &bench_masking_shapes[i];
        printf("    {\"name\": \"%s\", \"n\": %zu, \"l\": %zu, \"d\": %zu, \"dtype\": \"%s\", "
               "\"row_bytes\": %zu, \"ratio\": %g}%s\n",
               s->name, s->n, s->l, s->d, s->dtype, s->row_bytes, s->ratio,
               i + 1 < bench_masking_shape_count ? "," : "");
    }
    printf("  ],\n  \"threads\": [1%s", bench_opts.all_threads > 1 ? ", " : "");
    if (bench_opts.all_threads > 1) printf("%d", bench_opts.all_threads);
    printf("],\n  \"quick\": %s\n}\n", bench_opts.quick ? "true" : "false");
}
