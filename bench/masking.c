/* The whole masking step through the public entry point, per backend (forced
 * with sm_backend_set) at real shapes, on one thread and on all cores: what
 * MAE's random_masking returns (x_masked, a float32 mask, int64 ids_restore)
 * from the default philox generator. bench/torch_peer.py times PyTorch's
 * reference step on the same shapes and thread counts; memcpy of x_masked's
 * bytes on one thread is the floor of the one-thread step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct masking_buffers {
    char *x, *x_masked;
    float *mask;
    int64_t *ids_restore;
};

struct masking_cfg {
    const char *backend;
    const struct bench_masking_shape *shape;
    int threads;
};

static struct masking_buffers *buffers_for(const struct bench_masking_shape *s)
{
    /* Up to 154 MB of x per shape: made once and kept, so the page faults of
     * a fresh allocation are not timed again for each run of a benchmark. */
    static struct masking_buffers all[8];
    static const struct bench_masking_shape *made[8];
    size_t i = (size_t)(s - bench_masking_shapes);
    if (i >= 8) return NULL;
    if (made[i] != s) {
        size_t keep;
        sm_len_keep(s->l, s->ratio, &keep);
        all[i].x = bench_alloc(s->n * s->l * s->row_bytes);
        for (size_t b = 0; b < s->n * s->l * s->row_bytes; b += 4096) all[i].x[b] = (char)b;
        all[i].x_masked = bench_alloc(s->n * (keep ? keep : 1) * s->row_bytes);
        all[i].mask = bench_alloc(s->n * s->l * sizeof(float));
        all[i].ids_restore = bench_alloc(s->n * s->l * sizeof(int64_t));
        made[i] = s;
    }
    return &all[i];
}

static void bm_masking(gb_state *st, void *arg)
{
    const struct masking_cfg *c = arg;
    const struct bench_masking_shape *s = c->shape;
    sm_status status = sm_backend_set(c->backend);
    if (status == SM_OK) status = sm_set_num_threads(c->threads);
    if (status != SM_OK) {
        gb_skip_with_error(st, sm_last_error());
        return;
    }
    bench_bind_team(c->threads);
    struct masking_buffers *b = buffers_for(s);
    sm_rng rng;
    sm_rng_init(&rng, SM_RNG_PHILOX, 42, 0);
    sm_masking m = {
        .n = s->n, .l = s->l, .mask_ratio = s->ratio,
        .rng = &rng,
        .x = b->x, .row_bytes = s->row_bytes,
        .x_masked = b->x_masked, .mask = b->mask, .ids_restore = b->ids_restore,
    };
    while (gb_keep_running(st)) {
        status = sm_random_masking(&m);
        if (status != SM_OK) break;
    }
    if (status != SM_OK) {
        char msg[320];
        snprintf(msg, sizeof msg, "sm_random_masking: %s", sm_last_error());
        gb_skip_with_error(st, msg);
    }
    /* Bytes a perfect implementation must move: x_masked written (and as
     * much read), the mask and ids_restore written. */
    size_t bytes = s->n * m.len_keep * s->row_bytes * 2 + s->n * s->l * (4 + 8);
    gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)bytes);
    gb_set_items_processed(st, gb_iterations(st) * (int64_t)s->n);
    gb_counter(st, "samples", (double)s->n, GB_COUNTER_DEFAULT);
    sm_set_num_threads(1);
    sm_backend_set(NULL);
}

/* The floor of the step: memcpy of as many bytes as x_masked holds, from x
 * (contiguous, where the step gathers scattered rows), each time from the
 * next of the whole blocks of that size that x holds. The step's generator
 * moves on every call, so each call reads other rows of x, from memory as
 * cold as a block last read calls ago. MAE ViT-B, AVX-512, one thread, one
 * harness, medians of 30 interleaved runs: the step 2.015 ms, and 2.017 ms
 * after 96 MiB of other memory was touched; memcpy of the same 38.5 MB as
 * the run before 1.736 ms (part of it stays in the 32 MiB L3), from the
 * next block 1.882 ms. Back to back, medians of 50, four rounds: the same
 * bytes 1.55..1.64 ms, the next block 1.81..1.86 ms. */
static void bm_masking_floor(gb_state *st, void *arg)
{
    const struct bench_masking_shape *s = arg;
    bench_bind_team(1);
    struct masking_buffers *b = buffers_for(s);
    size_t keep;
    sm_len_keep(s->l, s->ratio, &keep);
    size_t bytes = s->n * keep * s->row_bytes, x_bytes = s->n * s->l * s->row_bytes;
    size_t blocks = bytes ? x_bytes / bytes : 1, next = 0;
    while (gb_keep_running(st)) {
        memcpy(b->x_masked, b->x + next * bytes, bytes);
        __asm__ volatile("" : : "r"(b->x_masked) : "memory");
        next = (next + 1) % blocks;
    }
    gb_set_items_processed(st, gb_iterations(st) * (int64_t)s->n);
    gb_counter(st, "samples", (double)s->n, GB_COUNTER_DEFAULT);
}

void bench_register_masking(void)
{
    int threads[2] = { 1, bench_opts.all_threads };
    int n_threads = bench_opts.all_threads > 1 ? 2 : 1;
    for (size_t j = 0; j < bench_masking_shape_count; j++) {
        const struct bench_masking_shape *s = &bench_masking_shapes[j];
        enum gb_unit unit = s->n == 1 ? GB_US : GB_MS; /* one sample: a few us */
        for (int t = 0; t < n_threads; t++) {
            for (size_t i = 0; i < bench_backend_count(); i++) {
                struct masking_cfg cfg = { bench_backend(i)->name, s, threads[t] };
                struct masking_cfg *c = bench_keep(&cfg, sizeof cfg);
                gb_bench *b = bench_register(bm_masking, c, "masking/%s/%s/threads:%d",
                                             c->backend, s->name, c->threads);
                /* Wall-clock: the OpenMP team's work is not the caller's CPU
                 * time (names get Google Benchmark's "/real_time" suffix). */
                gb_use_real_time(b);
                gb_unit(b, unit);
            }
        }
        gb_bench *b = bench_register(bm_masking_floor, (void *)s, "masking/memcpy/%s/threads:1", s->name);
        gb_use_real_time(b);
        gb_unit(b, unit);
    }
}
