/* The seeds kernels beside PyTorch (bench/torch_peer.py times the same
 * shapes under the same names, backend "torch"), one thread:
 *   masked_softmax/<backend>/R:4096/C:197   softmax(x.masked_fill(m, -1e9))
 *                                           with a [1, C] column mask (seed
 *                                           002); R:1024/C:1024 too
 *   softmax/<backend>/R:../C:..             no mask: against torch.softmax
 *   patchify/simdmask/N:256/C:3/H:224/W:224/p:16, unpatchify/...
 *   mae_loss/simdmask/N:64/L:196/D:768/norm_pix:0|1, and with /grad:1 the
 *                                           gradient too (PyTorch: backward)
 * Softmax runs through the public entry point with the backend forced, like
 * masking.c; patchify and the loss are portable code (backend "simdmask"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

struct softmax_cfg {
    const char *backend;
    size_t r, c;
    int masked;
};

static void bm_softmax(gb_state *st, void *arg)
{
    const struct softmax_cfg *c = arg;
    sm_status s = sm_backend_set(c->backend);
    if (s == SM_OK) s = sm_set_num_threads(1);
    if (s != SM_OK) {
        gb_skip_with_error(st, sm_last_error());
        return;
    }
    float *x = bench_alloc(c->r * c->c * sizeof(float)), *out = bench_alloc(c->r * c->c * 4);
    uint8_t *mask = bench_alloc(c->c);
    bench_floats(x, c->r * c->c, 7);
    /* bench_floats spans 2^-20 .. 2^20: bring scores to a logit-like +-8 */
    for (size_t i = 0; i < c->r * c->c; i++) x[i] = isnan(x[i]) ? 0.0f : fmodf(x[i], 8.0f);
    for (size_t j = 0; j < c->c; j++) mask[j] = j % 4 == 1;
    while (gb_keep_running(st)) {
        s = sm_masked_softmax(x, c->r, c->c, c->masked ? mask : NULL, c->masked, SM_SOFTMAX_FILL,
                              out);
        if (s != SM_OK) break;
    }
    if (s != SM_OK) gb_skip_with_error(st, sm_last_error());
    gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)(c->r * c->c * 8));
    gb_counter(st, "rows", (double)c->r, GB_COUNTER_DEFAULT);
    free(x), free(out), free(mask);
    sm_backend_set(NULL);
}

enum { PN = 256, PC = 3, PH = 224, PW = 224, PP = 16 };

static void bm_patchify(gb_state *st, void *arg)
{
    int inverse = arg != NULL;
    size_t count = (size_t)PN * PC * PH * PW;
    /* 154 MB each, made once and kept: Google Benchmark calls this function
     * once per repetition, and the fill is not what is timed. */
    static float *a, *b;
    if (!a) {
        a = bench_alloc(count * 4), b = bench_alloc(count * 4);
        bench_floats(a, count, 3);
    }
    sm_set_num_threads(1);
    sm_status s = SM_OK;
    while (gb_keep_running(st)) {
        s = inverse ? sm_unpatchify(a, PN, PC, PH, PW, PP, 4, b)
                    : sm_patchify(a, PN, PC, PH, PW, PP, 4, b);
        if (s != SM_OK) break;
    }
    if (s != SM_OK) gb_skip_with_error(st, sm_last_error());
    gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)(count * 8));
}

enum { LN = 64, LL = 196, LD = 768 };

static void bm_loss(gb_state *st, void *arg)
{
    int mode = (int)(intptr_t)arg, norm = mode & 1, grad = mode >> 1;
    size_t count = (size_t)LN * LL * LD;
    static float *t, *p, *m, *gbuf; /* 39 MB each, made once */
    if (!t) {
        t = bench_alloc(count * 4), p = bench_alloc(count * 4), m = bench_alloc(LN * LL * 4);
        gbuf = bench_alloc(count * 4);
        bench_floats(t, count, 4);
        bench_floats(p, count, 5);
        for (size_t i = 0; i < count; i++) {
            t[i] = isnan(t[i]) ? 0.0f : fmodf(t[i], 1.0f);
            p[i] = isnan(p[i]) ? 0.0f : fmodf(p[i], 1.0f);
        }
        for (size_t i = 0; i < (size_t)LN * LL; i++) m[i] = i % 4 != 0; /* 75 % removed */
    }
    float *g = grad ? gbuf : NULL, loss;
    sm_set_num_threads(1);
    sm_mae_loss a = { .n = LN, .l = LL, .d = LD, .pred = p, .target = t, .mask = m,
                      .norm_pix = norm, .loss = &loss, .grad = g };
    sm_status s = SM_OK;
    while (gb_keep_running(st)) {
        s = sm_mae_loss_compute(&a);
        if (s != SM_OK) break;
    }
    if (s != SM_OK) gb_skip_with_error(st, sm_last_error());
    gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)(count * (grad ? 12 : 8)));
}

void bench_register_seeds(void)
{
    static const size_t shapes[][2] = { { 4096, 197 }, { 1024, 1024 } };
    for (int masked = 1; masked >= 0; masked--)
        for (size_t s = 0; s < 2; s++)
            for (size_t i = 0; i < bench_backend_count(); i++) {
                struct softmax_cfg cfg = { bench_backend(i)->name, shapes[s][0], shapes[s][1],
                                           masked };
                struct softmax_cfg *c = bench_keep(&cfg, sizeof cfg);
                gb_unit(bench_register(bm_softmax, c, "%s/%s/R:%zu/C:%zu",
                                       masked ? "masked_softmax" : "softmax", c->backend, c->r,
                                       c->c),
                        GB_US);
            }
    for (int inv = 0; inv < 2; inv++)
        gb_unit(bench_register(bm_patchify, inv ? (void *)1 : NULL,
                               "%s/simdmask/N:%d/C:%d/H:%d/W:%d/p:%d",
                               inv ? "unpatchify" : "patchify", PN, PC, PH, PW, PP),
                GB_MS);
    for (int mode = 0; mode < 4; mode++)
        gb_unit(bench_register(bm_loss, (void *)(intptr_t)mode,
                               "mae_loss/simdmask/N:%d/L:%d/D:%d/norm_pix:%d%s", LN, LL, LD,
                               mode & 1, mode >> 1 ? "/grad:1" : ""),
                GB_MS);
}
