#include <math.h>
#include <stdlib.h>

#include "internal.h"
#include "work.h"

sm_status sm_rng_init(sm_rng *rng, sm_rng_kind kind, uint64_t seed, uint32_t stream)
{
    if (!rng) return sm__fail(SM_EINVAL, "rng is NULL");
    if (kind != SM_RNG_PHILOX && kind != SM_RNG_TORCH)
        return sm__fail(SM_EINVAL, "unknown generator kind %d", (int)kind);
    rng->kind = (uint32_t)kind;
    rng->seed = seed;
    rng->stream = kind == SM_RNG_PHILOX ? stream : 0;
    rng->row = 0;
    /* mt19937 init_genrand on the low 32 bits of the seed, as PyTorch's
     * CPUGeneratorImpl seeds it; the philox kind leaves the state zeroed. */
    uint32_t s = (uint32_t)seed;
    for (int i = 0; i < SM_MT_N; i++) {
        rng->mt[i] = kind == SM_RNG_TORCH ? s : 0;
        s = 1812433253u * (s ^ (s >> 30)) + (uint32_t)(i + 1);
    }
    rng->mti = SM_MT_N;
    return SM_OK;
}

sm_status sm__check_rng(const sm_rng *rng)
{
    if (!rng) return sm__fail(SM_EINVAL, "rng is NULL");
    if (rng->kind != SM_RNG_PHILOX && rng->kind != SM_RNG_TORCH)
        return sm__fail(SM_EINVAL, "rng has unknown kind %u (not initialised with sm_rng_init?)",
                        rng->kind);
    if (rng->kind == SM_RNG_TORCH && rng->mti > SM_MT_N)
        return sm__fail(SM_EINVAL, "rng state is corrupt (mti %u > 624)", rng->mti);
    return SM_OK;
}

/* Philox rows [begin, end) of sm__draw_rows. */
struct philox_job {
    const struct sm_kernels *k;
    const sm_rng *rng;
    float *noise;
    size_t l;
};

static void draw_philox(void *ctx, size_t begin, size_t end, int thread)
{
    const struct philox_job *j = ctx;
    (void)thread;
    j->k->philox_rows(j->rng->seed, j->rng->stream, j->rng->row + begin, end - begin, j->l,
                      j->noise + begin * j->l);
}

void sm__draw_rows(const struct sm_kernels *k, sm_rng *rng, float *noise, size_t n_rows, size_t l)
{
    if (rng->kind == SM_RNG_TORCH) {
        /* One stream: drawn in order on this thread whatever the thread count. */
        k->mt_uniform(rng->mt, &rng->mti, noise, n_rows * l);
        rng->row += (uint64_t)n_rows * l;
        return;
    }
    struct philox_job job = { k, rng, noise, l };
    sm__parallel(sm__threads_for(n_rows, l * 4), n_rows, draw_philox, &job);
    rng->row += n_rows;
}

sm_status sm_rng_uniform(sm_rng *rng, float *noise, size_t n_rows, size_t l)
{
    sm_status st = sm__check_rng(rng);
    if (st) return st;
    if (!noise) return sm__fail(SM_EINVAL, "noise is NULL");
    if (n_rows == 0 || l == 0)
        return sm__fail(SM_EINVAL, "n_rows (%zu) and l (%zu) must be positive", n_rows, l);
    if ((st = sm__check_align("noise", noise, 4))) return st;
    size_t bytes;
    if (!sm__mul(n_rows, l, &bytes) || !sm__mul(bytes, sizeof(float), &bytes))
        return sm__fail(SM_EOVERFLOW, "n_rows %zu x l %zu floats overflows size_t", n_rows, l);
    if (sm__overlap(noise, bytes, rng, sizeof *rng))
        return sm__fail(SM_EALIAS, "noise overlaps the generator");
    sm__draw_rows(sm__active(), rng, noise, n_rows, l);
    return SM_OK;
}
