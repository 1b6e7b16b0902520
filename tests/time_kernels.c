/* Quick timing of the x86 kernels, per backend, as ratios taken in one run
 * (not a test; the benchmark suite in bench/ is the reference harness).
 *   build/tests/time_kernels [what [threads]]
 *   what: noise perm gather gather4 gather38 unshuffle span mask all (default) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "internal.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static uint64_t rs = 88172645463325252ull;
static uint64_t rnd(void)
{
    rs ^= rs << 13, rs ^= rs >> 7, rs ^= rs << 17;
    return rs;
}

/* q = a random permutation of 0..n-1 (Fisher-Yates on rnd). */
static void random_perm(uint32_t *q, size_t n)
{
    for (size_t i = 0; i < n; i++) q[i] = (uint32_t)i;
    for (size_t i = n; i > 1; i--) {
        size_t j = rnd() % i;
        uint32_t t = q[i - 1];
        q[i - 1] = q[j], q[j] = t;
    }
}

/* Best of reps of fn(arg), seconds. */
#define BEST(reps, stmt)                                                   \
    ({                                                                     \
        double best_ = 1e30;                                               \
        for (int r_ = 0; r_ < (reps); r_++) {                              \
            double t0_ = now();                                            \
            stmt;                                                          \
            double t_ = now() - t0_;                                       \
            if (t_ < best_) best_ = t_;                                    \
        }                                                                  \
        best_;                                                             \
    })

static volatile uint32_t sink;

static void noise(const struct sm_kernels *k)
{
    static float out[1 << 20];
    size_t n_rows = 256, l = 196;
    static const size_t ls[] = { 8, 16, 49, 196, 576, 1568 };
    double t;
    for (int i = 0; i < 6; i++) {
        l = ls[i];
        t = BEST(50, for (size_t r = 0; r < n_rows; r++) k->philox_rows(1, 2, r, 1, l, out + r * l));
        printf("noise/%s/philox/L:%-5zu     %.3f ns/float\n", k->name, l, t * 1e9 / (n_rows * l));
    }
    l = 196;
    t = BEST(20, k->philox_rows(1, 2, 3, 16, 65536, out));
    printf("noise/%s/philox/L:65536    %.3f ns/float\n", k->name, t * 1e9 / (16 * 65536));
    sm_rng g;
    sm_rng_init(&g, SM_RNG_TORCH, 0, 0);
    t = BEST(20, k->mt_uniform(g.mt, &g.mti, out, 1 << 20));
    printf("noise/%s/torch/1M         %.3f ns/float\n", k->name, t * 1e9 / (1 << 20));
    t = BEST(50, k->mt_uniform(g.mt, &g.mti, out, 256 * 196));
    printf("noise/%s/torch/256x196    %.3f ns/float\n", k->name, t * 1e9 / (256 * 196));
    t = BEST(50, for (int r = 0; r < 1000; r++) k->mt_uniform(g.mt, &g.mti, out + 7 * r, 7));
    printf("noise/%s/torch/7-at-a-time %.3f ns/float\n", k->name, t * 1e9 / 7000);
    sink = (uint32_t)out[5];
}

static void perm(const struct sm_kernels *k)
{
    static const size_t ls[] = { 49, 196, 1568, 65536 };
    uint32_t *p = malloc(65536 * 4 * 64), *inv = malloc(65536 * 4);
    float *f = malloc(65536 * 4);
    for (size_t li = 0; li < 4; li++) {
        size_t l = ls[li], rows = (1 << 20) / l;
        if (rows > 64) rows = 64;
        for (size_t r = 0; r < rows; r++) random_perm(p + r * l, l);
        double t = BEST(200, for (size_t r = 0; r < rows; r++) k->inverse_perm(p + r * l, l, inv));
        printf("perm/%s/inverse/L:%-6zu    %.3f ns/element\n", k->name, l, t * 1e9 / (rows * l));
        t = BEST(200, for (size_t r = 0; r < rows; r++) k->mask_f32(p + r * l, l, (uint32_t)l / 4, f));
        printf("perm/%s/mask_f32/L:%-6zu   %.3f ns/element\n", k->name, l, t * 1e9 / (rows * l));
    }
    free(p), free(inv), free(f);
}

/* Row gather of n samples of l rows, k kept each, vs memcpy of the output. */
static void gather(const struct sm_kernels *k, size_t rb, size_t out_bytes)
{
    size_t l = 196, kk = 49, n = out_bytes / (kk * rb);
    if (n < 1) n = 1;
    size_t src_bytes = n * l * rb, ob = n * kk * rb;
    char *src = aligned_alloc(64, (src_bytes + 63) & ~(size_t)63), *out = aligned_alloc(64, (ob + 63) & ~(size_t)63);
    char *cpy = aligned_alloc(64, (ob + 63) & ~(size_t)63);
    memset(src, 1, src_bytes), memset(out, 2, ob), memset(cpy, 3, ob);
    uint32_t *idx = malloc(n * kk * 4);
    for (size_t i = 0; i < n * kk; i++) idx[i] = (uint32_t)(rnd() % l);
    int reps = ob > (8u << 20) ? 10 : 100;
    double tm = BEST(reps, memcpy(out, cpy, ob));
    double tg = BEST(reps, for (size_t i = 0; i < n; i++) k->gather_rows_u32(src + i * l * rb, rb, idx + i * kk, kk, out + i * kk * rb));
    double tn = k->gather_rows_u32_nt
                    ? BEST(reps, for (size_t i = 0; i < n; i++) k->gather_rows_u32_nt(src + i * l * rb, rb, idx + i * kk, kk, out + i * kk * rb))
                    : tg;
    printf("gather/%s/row:%zu/out:%zuKiB  memcpy %.2f GB/s  gather %.2f GB/s (%.0f%%)  nt %.2f GB/s (%.0f%%)\n", k->name, rb,
           ob >> 10, ob / tm * 1e-9, ob / tg * 1e-9, 100 * tm / tg, ob / tn * 1e-9, 100 * tm / tn);
    free(src), free(out), free(cpy), free(idx);
}

/* Decoder restore: n samples of l rows from keep kept rows and a token. */
static void unshuffle(const struct sm_kernels *k, size_t rb, size_t out_bytes)
{
    size_t l = 196, keep = 49, n = out_bytes / (l * rb);
    if (n < 1) n = 1;
    size_t ob = n * l * rb;
    char *kept = aligned_alloc(64, n * keep * rb), *out = aligned_alloc(64, ob), *cpy = aligned_alloc(64, ob);
    char *token = aligned_alloc(64, rb);
    memset(kept, 1, n * keep * rb), memset(out, 2, ob), memset(cpy, 3, ob), memset(token, 4, rb);
    uint32_t *restore = malloc(n * l * 4);
    for (size_t r = 0; r < n; r++) random_perm(restore + r * l, l);
    double tm = BEST(30, memcpy(out, cpy, ob));
    double tu = BEST(30, for (size_t r = 0; r < n; r++) k->unshuffle_u32(kept + r * keep * rb, token, restore + r * l, l, keep, rb, out + r * l * rb));
    printf("unshuffle/%s/row:%zu/out:%zuKiB  memcpy %.2f GB/s  unshuffle %.2f GB/s (%.0f%%)\n", k->name, rb, ob >> 10,
           ob / tm * 1e-9, ob / tu * 1e-9, 100 * tm / tu);
    free(kept), free(out), free(cpy), free(token), free(restore);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* KiB of this process's anonymous memory in transparent huge pages. */
static size_t anon_huge_kib(void)
{
    size_t kib = 0;
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (!f) return 0;
    char line[256];
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "AnonHugePages: %zu kB", &kib) == 1) break;
    fclose(f);
    return kib;
}

/* Byte offset of page a's line: the 16 pages of each 64 KiB share one offset
 * and the next 16 take the next one, so that on contiguous memory (huge
 * pages) the lines fill every set of a 1 MiB 16-way L2 (index bits 6..15)
 * rather than 64 of them. */
static size_t line_in_page(size_t a)
{
    return a / 16 % 64 * 64;
}

/* ns per load of a chase through one line in each of np pages, in a random
 * cycle; the lines sit at different offsets in their pages (line_in_page) so
 * that the cache holds them all (np lines: at most 512 KiB) and what grows
 * with np is translation. huge: the buffer is madvise'd for transparent huge pages;
 * *huge_kib: how much of it the kernel gave in huge pages. */
static double page_reach(size_t np, int huge, size_t *huge_kib)
{
    if (np < 2) return 0;
    size_t before = anon_huge_kib();
    size_t bytes = (np * 4096 + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
    char *buf = aligned_alloc(2u << 20, bytes);
    uint32_t *cyc = malloc(np * sizeof(uint32_t));
#ifdef MADV_HUGEPAGE
    if (huge) madvise(buf, bytes, MADV_HUGEPAGE);
#else
    (void)huge;
#endif
    memset(buf, 0, bytes);
    *huge_kib = anon_huge_kib() - before;
    random_perm(cyc, np);
    for (size_t j = 0; j < np; j++) {
        size_t a = cyc[j], b = cyc[(j + 1) % np];
        *(void **)(buf + a * 4096 + line_in_page(a)) = buf + b * 4096 + line_in_page(b);
    }
    void *p = buf + cyc[0] * 4096 + line_in_page(cyc[0]);
    for (size_t j = 0; j < 2 * np; j++) p = *(void **)p;
    size_t loads = 4u << 20;
    double t = BEST(3, for (size_t j = 0; j < loads; j++) p = *(void **)p);
    sink = (uint32_t)(uintptr_t)p;
    free(buf), free(cyc);
    return t / loads * 1e9;
}

/* What the spread of a gather's rows costs, apart from the copy: the same
 * bytes in the same random order, with the kept rows drawn from the first K,
 * the first 2K or all L rows of each sample (all L is MAE's case; the
 * benchmark's memcpy floor reads the first K). 16 MiB source as in the
 * benchmark suite; the four runs are interleaved in random order, 60 rounds,
 * medians. Pages: distinct 4 KiB pages one pass touches, source and output.
 * Then the host's page reach (page_reach), on 4 KiB and on huge pages. */
static void span(const struct sm_kernels *k)
{
    enum { L = 196, ROUNDS = 60 };
    static const size_t rbs[] = { 256, 1024, 3072 };
    static const double keeps[] = { 0.25, 0.10 };
    for (size_t bi = 0; bi < 3; bi++) {
        for (size_t ki = 0; ki < 2; ki++) {
            size_t rb = rbs[bi], kk, n = ((size_t)16 << 20) / (L * rb);
            sm_len_keep(L, 1 - keeps[ki], &kk);
            size_t ob = n * kk * rb, spans[3] = { kk, 2 * kk, L };
            char *src = aligned_alloc(64, n * L * rb), *out = aligned_alloc(64, ob);
            unsigned char *seen = calloc(n * L * rb / 4096 + 1, 1);
            memset(src, 1, n * L * rb), memset(out, 2, ob);
            uint32_t *idx[3];
            size_t pages[4];
            for (int s = 0; s < 3; s++) {
                idx[s] = malloc(n * kk * 4);
                memset(seen, 0, n * L * rb / 4096 + 1);
                pages[s] = ob / 4096;
                for (size_t r = 0; r < n; r++) {
                    uint32_t q[L];
                    random_perm(q, spans[s]);
                    for (size_t i = 0; i < kk; i++) {
                        idx[s][r * kk + i] = q[i];
                        size_t a = (r * L + q[i]) * rb;
                        for (size_t p = a / 4096; p <= (a + rb - 1) / 4096; p++) pages[s] += !seen[p], seen[p] = 1;
                    }
                }
            }
            pages[3] = pages[0]; /* memcpy reads the rows the first-K gather reads */
            double t[4][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                uint32_t order[4];
                random_perm(order, 4);
                for (int q = 0; q < 4; q++) {
                    uint32_t w = order[q];
                    double t0 = 0;
                    for (int rep = 0; rep < 6; rep++) {
                        if (rep == 1) t0 = now(); /* the first pass warms the caches */
                        if (w == 3)
                            for (size_t r = 0; r < n; r++) memcpy(out + r * kk * rb, src + r * L * rb, kk * rb);
                        else
                            for (size_t r = 0; r < n; r++)
                                k->gather_rows_u32(src + r * L * rb, rb, idx[w] + r * kk, kk, out + r * kk * rb);
                    }
                    t[w][round] = (now() - t0) / 5;
                }
            }
            for (int w = 0; w < 4; w++) qsort(t[w], ROUNDS, sizeof(double), cmp_double);
            static const char *names[4] = { "rows from the first K", "rows from the first 2K",
                                            "rows from all L (MAE)", "memcpy of the first K" };
            for (int w = 0; w < 4; w++)
                printf("span/%s/row:%zu/keep:%zu/%-24s %5.1f GB/s %4.0f %% of memcpy  %5zu pages\n", k->name, rb,
                       kk, names[w], ob / t[w][ROUNDS / 2] * 1e-9, 100 * t[3][ROUNDS / 2] / t[w][ROUNDS / 2],
                       pages[w]);
            for (int s = 0; s < 3; s++) free(idx[s]);
            free(src), free(out), free(seen);
        }
    }
    static const size_t reach[] = { 1024, 2048, 3072, 4096, 6144, 8192 };
    for (size_t i = 0; i < 6; i++) {
        size_t huge_kib;
        double small = page_reach(reach[i], 0, &huge_kib);
        double huge = page_reach(reach[i], 1, &huge_kib);
        printf("span/page-reach/pages:%-5zu %5.1f ns a load; after MADV_HUGEPAGE %5.1f ns (%zu KiB in huge pages)\n",
               reach[i], small, huge, huge_kib);
    }
}

static void mask_step(const struct sm_kernels *k, int threads)
{
    enum { N = 256, L = 196, D = 768 };
    size_t rb = D * 4, keep;
    sm_len_keep(L, 0.75, &keep);
    float *x = aligned_alloc(64, (size_t)N * L * rb), *xm = aligned_alloc(64, (size_t)N * keep * rb);
    float *mask = malloc(N * L * 4);
    int64_t *restore = malloc(N * L * 8);
    memset(x, 1, (size_t)N * L * rb), memset(xm, 0, N * keep * rb);
    sm_set_num_threads(threads);
    sm_backend_set(k->name);
    sm_rng g;
    sm_rng_init(&g, SM_RNG_TORCH, 0, 0);
    sm_masking m = { .n = N, .l = L, .mask_ratio = 0.75, .rng = &g, .x = x, .row_bytes = rb,
                     .mask = mask, .ids_restore = restore, .x_masked = xm };
    /* The gather alone, as the step runs it (one call per sample), on the
     * step's own kept indices. */
    int32_t *ids = malloc(N * keep * 4);
    m.ids_keep = ids, m.index_type = SM_INDEX_I32, m.ids_restore = NULL;
    sm_random_masking(&m);
    m.ids_keep = NULL, m.index_type = SM_INDEX_I64, m.ids_restore = restore;
    sm_rng p;
    sm_rng_init(&p, SM_RNG_PHILOX, 0, 0);
    /* Rounds of best-of-3 of each, summed: the host's memory bandwidth drifts
     * by 20 % over seconds, so the ratios come from interleaved runs. memcpy
     * copies from the next of x's L / keep blocks each time: the step reads
     * other rows each call, and the same 38.5 MB every time would stay partly
     * in the L3 (bench/masking.c). */
    double tm = 0, t = 0, tp = 0, tx = 0, tg = 0;
    size_t out_bytes = N * keep * rb, blocks = L / keep, next = 0;
    for (int round = 0; round < 10; round++) {
        tm += BEST(3, (memcpy(xm, (char *)x + next * out_bytes, out_bytes), next = (next + 1) % blocks));
        m.rng = &g;
        t += BEST(3, sm_random_masking(&m));
        m.rng = &p;
        tp += BEST(3, sm_random_masking(&m));
        m.x_masked = NULL;
        tx += BEST(3, sm_random_masking(&m));
        m.x_masked = xm;
        tg += BEST(3, sm_gather_rows(x, N, L, rb, ids, SM_INDEX_I32, keep, xm));
    }
    tm /= 10, t /= 10, tp /= 10, tx /= 10, tg /= 10;
    printf("mask_step/%s/threads:%d  without x_masked %.3f ms, gather_rows alone %.3f ms (%.2fx memcpy)\n", k->name,
           threads, tx * 1e3, tg * 1e3, tg / tm);
    free(ids);
    printf("mask_step/%s/threads:%d  memcpy(out) %.3f ms  torch-rng %.3f ms (%.2fx memcpy)  philox %.3f ms (%.2fx)\n",
           k->name, threads, tm * 1e3, t * 1e3, t / tm, tp * 1e3, tp / tm);
    free(x), free(xm), free(mask), free(restore);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "all";
    int all = strcmp(what, "all") == 0;
    for (size_t i = 0; i < sm__backend_count(); i++) {
        const struct sm_kernels *k = sm__backend(i);
        if (!sm__supported(k)) continue;
        if (all || !strcmp(what, "noise")) noise(k);
        if (all || !strcmp(what, "perm")) perm(k);
    }
    for (size_t i = 0; i < sm__backend_count(); i++) {
        const struct sm_kernels *k = sm__backend(i);
        if (!sm__supported(k)) continue;
        if (!strcmp(what, "gather38") && k == sm__backend(0)) {
            gather(k, 64, 38u << 20);
            gather(k, 256, 38u << 20);
            gather(k, 3072, 38u << 20);
        }
        if (!strcmp(what, "span")) {
            span(k); /* the fastest backend this CPU supports */
            break;
        }
        if (!strcmp(what, "unshuffle")) {
            static const size_t rbs[] = { 64, 256, 3072 };
            for (int j = 0; j < 3; j++) unshuffle(k, rbs[j], 4u << 20);
        }
        if (!strcmp(what, "gather4")) {
            static const size_t rbs[] = { 64, 256, 768, 1024, 3072, 4096, 8192, 16384 };
            for (int j = 0; j < 8; j++) gather(k, rbs[j], 4u << 20);
        }
        if (all || !strcmp(what, "gather")) {
            static const size_t rbs[] = { 64, 256, 768, 3072 };
            for (int j = 0; j < 4; j++) gather(k, rbs[j], 38u << 20);
            for (int j = 0; j < 4; j++) gather(k, rbs[j], 4u << 20);
        }
    }
    for (size_t i = 0; i < sm__backend_count(); i++) {
        const struct sm_kernels *k = sm__backend(i);
        if (!sm__supported(k)) continue;
        if (all || !strcmp(what, "mask")) {
            mask_step(k, 1);
            if (argc > 2) mask_step(k, atoi(argv[2]));
        }
    }
    return 0;
}
