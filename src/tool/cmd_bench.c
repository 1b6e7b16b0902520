/* simdmask bench: a quick timing of the whole masking step on every backend
 * compiled in that this CPU runs. The Google Benchmark suite in bench/ is
 * the full measurement; this one needs nothing but the tool. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "simdmask.h"
#include "topology.h"
#include "tool.h"

static const char usage[] =
    "usage: simdmask bench [--n N] [--l L] [--d D] [--ratio R] [--threads T]\n"
    "                      [--rng philox|torch] [--reps K]\n"
    "\n"
    "Times sm_random_masking producing x_masked, mask and ids_restore from\n"
    "x[N][L][D] float32 (MAE's random_masking) on every backend compiled in that\n"
    "this CPU runs; prints the median of K calls per backend: ns per call, ns per\n"
    "sample row, GB/s of x_masked written, and the speedup over scalar. Threads\n"
    "are bound to cores with hwloc (the binding is printed).\n"
    "\n"
    "  --n N        samples (default 64)\n"
    "  --l L        tokens per sample (default 196: ViT-B/16 on 224 x 224)\n"
    "  --d D        floats per token (default 768: ViT-B)\n"
    "  --ratio R    mask ratio in [0, 1] (default 0.75)\n"
    "  --threads T  OpenMP threads (default 0: OpenMP's default)\n"
    "  --rng NAME   philox (default) or torch\n"
    "  --reps K     timed calls per backend (default 11; 2 warm-up calls before)\n";

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int sm__cmd_bench(int argc, char **argv)
{
    size_t n = 64, l = 196, d = 768, reps = 11;
    double ratio = 0.75;
    int threads = 0;
    const char *rng_name = "philox";
    const sm__opt opts[] = {
        { "n", SM__OPT_COUNT, &n, NULL },
        { "l", SM__OPT_COUNT, &l, NULL },
        { "d", SM__OPT_COUNT, &d, NULL },
        { "ratio", SM__OPT_RATIO, &ratio, NULL },
        { "threads", SM__OPT_THREADS, &threads, NULL },
        { "rng", SM__OPT_STRING, &rng_name, NULL },
        { "reps", SM__OPT_COUNT, &reps, NULL },
    };
    int s = sm__tool_parse("bench", argc, argv, opts, sizeof opts / sizeof opts[0], usage);
    if (s >= 0) return s;
    sm_rng_kind kind;
    if (strcmp(rng_name, "philox") == 0)
        kind = SM_RNG_PHILOX;
    else if (strcmp(rng_name, "torch") == 0)
        kind = SM_RNG_TORCH;
    else
        return sm__tool_usage_error("bench", "--rng: unknown generator '%s' (philox or torch)",
                                    rng_name);
    if (reps > 100000) return sm__tool_usage_error("bench", "--reps: at most 100000");
    size_t len_keep, nl, nld, row_bytes;
    sm_len_keep(l, ratio, &len_keep);
    if (__builtin_mul_overflow(n, l, &nl) || __builtin_mul_overflow(nl, d, &nld) ||
        __builtin_mul_overflow(d, sizeof(float), &row_bytes) || nld > SIZE_MAX / 8)
        return sm__tool_usage_error("bench", "--n %zu x --l %zu x --d %zu is too large", n, l, d);
    sm_set_num_threads(threads);

    float *x = sm__tool_alloc(nld, sizeof(float));
    float *x_masked = sm__tool_alloc(nld, sizeof(float));
    float *mask = sm__tool_alloc(nl, sizeof(float));
    int64_t *restore = sm__tool_alloc(nl, sizeof(int64_t));
    double *times = sm__tool_alloc(reps, sizeof(double));
    int status = SM__EXIT_OK;
    if (!x || !x_masked || !mask || !restore || !times) {
        status = sm__tool_fail("bench", "out of memory for %zu x %zu x %zu floats", n, l, d);
        goto done;
    }
    for (size_t i = 0; i < nld; i++) x[i] = (float)(i & 0xFFFF);

    sm__topo topo;
    sm__topo_load(&topo);
    char binding[512];
    sm__topo_bind_omp(&topo, sm_get_num_threads(), binding, sizeof binding);
    printf("sm_random_masking: x[%zu][%zu][%zu] float32, ratio %g (len_keep %zu), rng %s, "
           "%d thread%s, median of %zu\n",
           n, l, d, ratio, len_keep, rng_name, sm_get_num_threads(),
           sm_get_num_threads() == 1 ? "" : "s", reps);
    double load = -1;
    getloadavg(&load, 1);
    printf("cpu %s (%s), %d cores, load average %.2f; binding: %s\n", topo.cpu_model,
           topo.cpu_id, topo.cores, load, binding);
    /* A bound team on busy cores waits at every barrier for a descheduled
     * member: on a 2-core machine at load 9 we saw 30x slower medians. */
    if (topo.cores > 0 && load > (double)topo.cores)
        printf("note: the load average exceeds the %d cores; other processes share them and the "
               "figures are noisy (fewer --threads helps)\n",
               topo.cores);
    printf("%-8s %14s %12s %8s %8s\n", "backend", "ns/call", "ns/row", "GB/s", "speedup");

    double xm_bytes = (double)n * (double)len_keep * (double)row_bytes;
    double scalar_ns = 0;
    size_t nb = sm_backend_count();
    /* Scalar first (it is last in the list) so that every row can show its speedup. */
    for (size_t pass = 0; pass < nb; pass++) {
        size_t i = (pass + nb - 1) % nb;
        const char *name = sm_backend_name(i);
        if (!sm_backend_supported(i)) {
            printf("%-8s %14s\n", name, "not supported by this CPU");
            continue;
        }
        sm_backend_set(name);
        sm_rng rng;
        sm_rng_init(&rng, kind, 0, 0);
        sm_masking m = {
            .n = n, .l = l, .mask_ratio = ratio, .rng = &rng,
            .x = x, .row_bytes = row_bytes,
            .x_masked = x_masked, .mask = mask, .ids_restore = restore,
        };
        sm_status st = SM_OK;
        for (size_t r = 0; r < 2 && st == SM_OK; r++) st = sm_random_masking(&m);
        for (size_t r = 0; r < reps && st == SM_OK; r++) {
            double t0 = now_ns();
            st = sm_random_masking(&m);
            times[r] = now_ns() - t0;
        }
        if (st != SM_OK) {
            status = sm__tool_fail("bench", "%s: %s: %s", name, sm_strerror(st), sm_last_error());
            break;
        }
        qsort(times, reps, sizeof *times, by_value);
        double med = reps % 2 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
        if (strcmp(name, "scalar") == 0) scalar_ns = med;
        printf("%-8s %14.0f %12.1f %8.2f", name, med, med / (double)n, xm_bytes / med);
        if (scalar_ns > 0)
            printf(" %7.2fx\n", scalar_ns / med);
        else
            printf(" %8s\n", "-");
    }
    sm_backend_set(NULL);
    sm__topo_free(&topo);
done:
    free(x), free(x_masked), free(mask), free(restore), free(times);
    return status;
}
