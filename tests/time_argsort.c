/*
 * Timing of the argsort kernels, ns per row, every backend in one run so that
 * ratios are comparable on a shared machine (not a test; not installed).
 *
 *   time_argsort            noise and float-key rows at MAE's and the
 *                           targets' lengths, every backend, ratio to scalar
 *   time_argsort paths [KIND]  every path of every ISA over a length sweep,
 *                           to place the cut-overs: the median of 41
 *                           rounds, each timing every path once in turn;
 *                           KIND (noise, uniform or logu) limits it to one
 *                           kind of keys
 *
 * Otherwise each figure is the best of 15 trials of >= 1 ms (the least
 * disturbed by other work on a shared machine) over a set of distinct
 * rows (>= 1 MiB of keys, so caches hold what a masking step would hold).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../bench/floats.h"
#include "kernels.h"
#include "simdmask.h"

typedef void (*path_fn)(const float *, size_t, int, int, int, uint32_t *, void *);

static const struct isa {
    const char *name;
    uint32_t required;
    void (*noise)(const float *, size_t, uint32_t *, void *);
    void (*f32)(const float *, size_t, int, uint32_t *, void *);
    path_fn path;
} isas[] = {
    { "scalar", 0, sm__scalar_argsort_noise, sm__scalar_argsort_f32, NULL },
#ifdef SM_HAVE_ARGSORT_SSE4
    { "sse4", SM_CPU_SSE41 | SM_CPU_SSE42 | SM_CPU_POPCNT, sm__sse4_argsort_noise,
      sm__sse4_argsort_f32, sm__sse4_argsort_path },
#endif
#ifdef SM_HAVE_ARGSORT_AVX2
    { "avx2", SM_CPU_AVX2 | SM_CPU_FMA | SM_CPU_BMI2, sm__avx2_argsort_noise, sm__avx2_argsort_f32,
      sm__avx2_argsort_path },
#endif
#ifdef SM_HAVE_ARGSORT_AVX512
    { "avx512", SM_CPU_AVX512F | SM_CPU_AVX512BW | SM_CPU_AVX512VL | SM_CPU_AVX512DQ,
      sm__avx512_argsort_noise, sm__avx512_argsort_f32, sm__avx512_argsort_path },
#endif
};
#define N_ISAS (sizeof isas / sizeof isas[0])

static uint64_t rng_state = 12345;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static float *keys;
static uint32_t *idx;
static void *scratch;
static size_t n_rows;

/* Kinds of keys: noise k * 2^-24; floats uniform in [0, 1) with full
 * mantissas; the benchmark suite's float keys (bench_floats: both signs,
 * magnitudes log-uniform over 2^-20 .. 2^20, repeats, NaN, +-0). */
enum { KIND_NOISE, KIND_UNIFORM, KIND_LOGU, N_KINDS };
static const char *const kind_names[] = { "noise", "uniform", "logu" };

static void fill(size_t l, int kind)
{
    n_rows = (1u << 18) / l + 1;
    if (n_rows > 256) n_rows = 256;
    if (kind == KIND_LOGU) {
        bench_floats(keys, n_rows * l, 1);
        return;
    }
    for (size_t i = 0; i < n_rows * l; i++)
        keys[i] = kind == KIND_NOISE ? (float)(rnd() >> 40) * (1.0f / 16777216.0f)
                                     : (float)((double)(rnd() >> 11) * (1.0 / 9007199254740992.0));
}

/* ns per row over one trial of >= 1 ms; path < 0: the kernel's own choice. */
static double time_trial(const struct isa *isa, size_t l, int kind, int path)
{
    size_t rows = 0;
    double t0 = now(), t;
    do {
        for (size_t r = 0; r < n_rows; r++) {
            const float *k = keys + r * l;
            if (path >= 0) isa->path(k, l, kind != KIND_NOISE, 0, path, idx, scratch);
            else if (kind == KIND_NOISE) isa->noise(k, l, idx, scratch);
            else isa->f32(k, l, 0, idx, scratch);
        }
        rows += n_rows;
        t = now() - t0;
    } while (t < 1e-3);
    return t / (double)rows * 1e9;
}

/* Best of 15 trials. */
static double time_rows(const struct isa *isa, size_t l, int kind, int path)
{
    double best = 1e30;
    for (int trial = 0; trial < 15; trial++) {
        double t = time_trial(isa, l, kind, path);
        if (t < best) best = t;
    }
    return best;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int supported(const struct isa *isa)
{
    return (sm_cpu_features() & isa->required) == isa->required;
}

int main(int argc, char **argv)
{
    const size_t max_l = 1u << 17;
    keys = malloc((1u << 18) * sizeof *keys + max_l * 4 * 2);
    idx = malloc(max_l * sizeof *idx);
    scratch = aligned_alloc(64, (SM__ARGSORT_SCRATCH(max_l) + 63) / 64 * 64);
    if (!keys || !idx || !scratch) return 1;

    if (argc > 1 && strcmp(argv[1], "paths") == 0) {
        static const size_t ls[] = { 16,   32,   49,   64,   100,  128,   196,   256,
                                     384,  512,  576,  768,  1024, 1568,  2048,  3072,
                                     4096, 6144, 8192, 12288, 16384, 32768, 65536, 131072 };
        static const char *names[] = { "u32net", "u64merge", "radixwide", "radix8", "bucket0", "bucket1", "bucket2" };
        for (int kind = 0; kind < N_KINDS; kind++) {
            if (argc > 2 && strcmp(argv[2], kind_names[kind]) != 0) continue;
            printf("%s keys: ns/row by path\n%-8s %6s", kind_names[kind], "isa", "L");
            for (int p = 0; p < 7; p++) printf(" %10s", names[p]);
            printf("\n");
            for (size_t i = 1; i < N_ISAS; i++) {
                if (!supported(&isas[i])) continue;
                for (size_t j = 0; j < sizeof ls / sizeof ls[0]; j++) {
                    size_t l = ls[j];
                    fill(l, kind);
                    printf("%-8s %6zu", isas[i].name, l);
                    /* The paths a length allows, timed in turn, round after
                     * round, so that a busy moment costs each alike. */
                    enum { ROUNDS = 41 };
                    double t[7][ROUNDS];
                    int ok[7];
                    /* Beyond what the paths take, the merges stop at 8192
                     * and the radixes start at 64: too slow there to matter. */
                    for (int p = 0; p < 7; p++)
                        ok[p] = sm__argsort_path_takes(kind != KIND_NOISE, p, l) &&
                                !(p == 1 && l > 8192) && !(p >= 2 && p <= 3 && l < 64);
                    for (int round = 0; round < ROUNDS; round++)
                        for (int p = 0; p < 7; p++)
                            if (ok[p]) t[p][round] = time_trial(&isas[i], l, kind, p);
                    for (int p = 0; p < 7; p++) {
                        if (!ok[p]) {
                            printf(" %10s", "-");
                            continue;
                        }
                        qsort(t[p], ROUNDS, sizeof t[p][0], cmp_double);
                        printf(" %10.0f", t[p][ROUNDS / 2]);
                    }
                    printf("\n");
                    fflush(stdout);
                }
            }
        }
        return 0;
    }

    static const size_t ls[] = { 49, 196, 576, 1024, 1568, 4096, 16384, 65536 };
    static const double target[] = { 55, 170, 1600, 3200, 5000, 14000, 50000, 240000 };
    for (int kind = 0; kind < N_KINDS; kind++) {
        printf("%s keys, ns/row (x faster than scalar); AVX-512 target%s\n%6s %8s",
               kind_names[kind], kind ? " x2" : "", "L", "target");
        for (size_t i = 0; i < N_ISAS; i++)
            if (supported(&isas[i])) printf(" %16s", isas[i].name);
        printf("\n");
        for (size_t j = 0; j < sizeof ls / sizeof ls[0]; j++) {
            size_t l = ls[j];
            fill(l, kind);
            printf("%6zu %8.0f", l, target[j] * (kind ? 2 : 1));
            double scalar = 0;
            for (size_t i = 0; i < N_ISAS; i++) {
                if (!supported(&isas[i])) continue;
                double t = time_rows(&isas[i], l, kind, -1);
                if (i == 0) scalar = t, printf(" %16.0f", t);
                else printf(" %9.0f (%4.1fx)", t, scalar / t);
            }
            printf("\n");
            fflush(stdout);
        }
    }
    return 0;
}
