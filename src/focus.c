/* Focus-range masking (seed 004). PyTorch 1.13's multinomial(w, k,
 * replacement=False) on the CPU is: q = empty_like(w).exponential_(1);
 * topk(w / q, k). exponential_ on a float tensor (no MKL, as Debian builds
 * it) draws, element by element in row-major order, a double
 * u = (w1 << 32 | w2) & (2^53 - 1)) * 2^-53 from two mt19937 words, returns
 * -1 / lambda * log(1 - u) in double and rounds it to float. Checked against
 * torch 1.13 on 2^20 draws (tests/golden/focus_*.txt). 1 - u is exact (u is a
 * multiple of 2^-53 in [0, 1)), so the only libm call is log: glibc's, as
 * PyTorch's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "work.h"

/* --------------------------------------------------------- raw generators */

/* mt19937 words straight from the state (torch kind): the uniform kernels
 * keep only 24 bits, the exponential needs all 32. */
static void mt_twist(uint32_t *mt)
{
    for (int i = 0; i < SM_MT_N; i++) {
        uint32_t y = (mt[i] & 0x80000000u) | (mt[(i + 1) % SM_MT_N] & 0x7FFFFFFFu);
        mt[i] = mt[(i + 397) % SM_MT_N] ^ (y >> 1) ^ ((y & 1) ? 0x9908B0DFu : 0);
    }
}

static uint32_t mt_word(sm_rng *g)
{
    if (g->mti >= SM_MT_N) {
        mt_twist(g->mt);
        g->mti = 0;
    }
    uint32_t y = g->mt[g->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680u;
    y ^= (y << 15) & 0xEFC60000u;
    y ^= y >> 18;
    g->row++;
    return y;
}

/* Philox4x32-10, as in the kernels (Random123's constants). */
static void philox(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint64_t seed,
                   uint32_t out[4])
{
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int r = 0; r < 10; r++) {
        uint64_t p0 = (uint64_t)0xD2511F53u * c0, p1 = (uint64_t)0xCD9E8D57u * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c1 = (uint32_t)p1;
        c3 = (uint32_t)p0;
        c0 = n0;
        c2 = n2;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
}

/* at::exponential_distribution<double>(1) from two words, rounded to float. */
static float exp1(uint32_t hi, uint32_t lo)
{
    uint64_t v = ((uint64_t)hi << 32 | lo) & ((UINT64_C(1) << 53) - 1);
    double u = (double)v * 0x1p-53;
    return (float)(-1.0 / 1.0 * log(1.0 - u));
}

/* q[n][l] ~ Exp(1) in the generator's order; g is advanced for torch only
 * (philox exponentials live in their own counter half, 2^31 + c / 2). */
static void draw_exponentials(sm_rng *g, size_t n, size_t l, float *q)
{
    if (g->kind == SM_RNG_TORCH) {
        for (size_t i = 0; i < n * l; i++) {
            uint32_t hi = mt_word(g);
            q[i] = exp1(hi, mt_word(g));
        }
        return;
    }
    for (size_t r = 0; r < n; r++) {
        uint64_t row = g->row + r;
        for (size_t c = 0; c < l; c += 2) {
            uint32_t w[4];
            philox(0x80000000u | (uint32_t)(c / 2), g->stream, (uint32_t)row,
                   (uint32_t)(row >> 32), g->seed, w);
            q[r * l + c] = exp1(w[0], w[1]);
            if (c + 1 < l) q[r * l + c + 1] = exp1(w[2], w[3]);
        }
    }
}

sm_status sm_focus_masking(sm_masking *m, const sm_focus *focus)
{
    if (!m || !focus) return sm__fail(SM_EINVAL, "%s is NULL", m ? "focus" : "masking arguments");
    if (!m->rng || m->noise_in)
        return sm__fail(SM_EINVAL, "focus masking draws its noise: give rng, not noise_in");
    sm_status st = sm__check_rng(m->rng);
    if (st) return st;
    size_t n = m->n, l = m->l, len_keep;
    if (n == 0 || l == 0) return sm__fail(SM_EINVAL, "n (%zu) and l (%zu) must be positive", n, l);
    if (l > UINT32_MAX) return sm__fail(SM_EOVERFLOW, "l %zu does not fit 32-bit indices", l);
    if (!(focus->focus_rate >= 0.0 && focus->focus_rate <= 1.0))
        return sm__fail(SM_EINVAL, "focus_rate %g is not in [0, 1]", focus->focus_rate);
    if (focus->begin > focus->end || focus->end > l)
        return sm__fail(SM_ERANGE, "focus range [%zu, %zu) is not inside [0, %zu)", focus->begin,
                        focus->end, l);
    /* Every check of sm_random_masking on the caller's arguments, rng
     * included: the call below sees a copy without rng, so an output
     * overlapping *m->rng or *m would go unnoticed there. */
    st = sm__masking_check(m, &len_keep);
    if (st) return st;
    size_t nl, bytes;
    if (!sm__mul(n, l, &nl) || !sm__mul(nl, 2 * sizeof(float), &bytes))
        return sm__fail(SM_EOVERFLOW, "n %zu x l %zu overflows size_t", n, l);
    /* torch.tensor(python floats) is float32; 1 - rate is computed in double */
    float w_in = (float)focus->focus_rate, w_out = (float)(1.0 - focus->focus_rate);
    size_t len_mask = l - len_keep, in = focus->end - focus->begin;
    if (len_mask && (in == 0 || w_in == 0.0f) && (in == l || w_out == 0.0f))
        return sm__fail(SM_EINVAL, "every weight is 0 (focus_rate %g, range [%zu, %zu))",
                        focus->focus_rate, focus->begin, focus->end);

    const struct sm_kernels *k = sm__active();
    float *noise = malloc(bytes), *keys = noise + nl;
    size_t stride;
    void *scratch = sm__scratch(1, SM__ARGSORT_SCRATCH(l) + 4 * l, 0, &stride);
    if (!noise || !scratch) {
        free(noise);
        sm__scratch_free(scratch);
        return sm__fail(SM_ENOMEM, "cannot allocate focus masking scratch");
    }
    sm_rng g = *m->rng; /* committed only on success */
    if (len_mask) {
        draw_exponentials(&g, n, l, keys);
        for (size_t r = 0; r < n; r++)
            for (size_t c = 0; c < l; c++) {
                float w = c >= focus->begin && c < focus->end ? w_in : w_out;
                keys[r * l + c] = w / keys[r * l + c]; /* at::div_out(q, self, q) */
            }
    }
    sm__draw_rows(k, &g, noise, n, l);
    if (len_mask) {
        /* topk(w / q, len_mask): a stable descending argsort, first len_mask.
         * PyTorch's topk does not promise an order among equal keys; ours
         * takes the lower index. Only a tie across the k-th place can differ. */
        uint32_t *idx = (uint32_t *)((char *)scratch + SM__ARGSORT_SCRATCH(l));
        for (size_t r = 0; r < n; r++) {
            k->argsort_f32(keys + r * l, l, 1, idx, scratch);
            for (size_t j = 0; j < len_mask; j++) noise[r * l + idx[j]] = 1.1f;
        }
    }
    /* Given back first, so that the masking below takes this thread's kept
     * scratch (src/work.c) rather than a fresh block beside it. */
    sm__scratch_free(scratch);
    sm_masking mm = *m;
    mm.rng = NULL;
    mm.noise_in = noise;
    st = sm_random_masking(&mm);
    if (st == SM_OK) {
        *m->rng = g;
        m->len_keep = mm.len_keep;
    }
    free(noise);
    return st;
}
