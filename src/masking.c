#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "work.h"

sm_status sm_len_keep(size_t l, double mask_ratio, size_t *len_keep)
{
    if (!len_keep) return sm__fail(SM_EINVAL, "len_keep is NULL");
    if (!(mask_ratio >= 0.0 && mask_ratio <= 1.0)) /* NaN fails both */
        return sm__fail(SM_EINVAL, "mask_ratio %g is not in [0, 1]", mask_ratio);
    /* Python's int(L * (1 - r)): both products in double, then truncation.
     * Above 2^53, (double) l can round up past l (to 2^64 for l = SIZE_MAX,
     * which no size_t holds: converting it is undefined), so clamp to l. */
    double keep = trunc((double)l * (1.0 - mask_ratio));
    *len_keep = keep >= (double)l ? l : (size_t)keep;
    return SM_OK;
}

/* Kept indices gathered per block of rows (16 KiB of uint32; see below). */
#define SM__MASK_BLOCK_IDS 4096

/* Per-row work but the gather: sort the noise, invert the permutation, write
 * the index and mask outputs. shuffle and restore are this thread's uint32
 * scratch rows. */
struct row_job {
    const struct sm_kernels *k;
    const sm_masking *m;
    size_t len_keep;
    bool generated; /* noise holds 24-bit generator values */
};

static void mask_row(const struct row_job *j, size_t r, const float *noise, uint32_t *shuffle,
                     uint32_t *restore, void *sort_scratch)
{
    const struct sm_kernels *k = j->k;
    const sm_masking *m = j->m;
    size_t l = m->l, keep = j->len_keep;
    if (j->generated)
        k->argsort_noise(noise, l, shuffle, sort_scratch);
    else
        k->argsort_f32(noise, l, 0, shuffle, sort_scratch);
    k->inverse_perm(shuffle, l, restore);

    bool i64 = m->index_type == SM_INDEX_I64;
    size_t isz = i64 ? 8 : 4;
    if (m->ids_shuffle) {
        char *o = (char *)m->ids_shuffle + r * l * isz;
        i64 ? k->widen_u32_i64(shuffle, l, (int64_t *)o) : (void)memcpy(o, shuffle, l * 4);
    }
    if (m->ids_restore) {
        char *o = (char *)m->ids_restore + r * l * isz;
        i64 ? k->widen_u32_i64(restore, l, (int64_t *)o) : (void)memcpy(o, restore, l * 4);
    }
    if (m->ids_keep && keep) {
        char *o = (char *)m->ids_keep + r * keep * isz;
        i64 ? k->widen_u32_i64(shuffle, keep, (int64_t *)o) : (void)memcpy(o, shuffle, keep * 4);
    }
    if (m->mask) {
        if (m->mask_type == SM_MASK_F32)
            k->mask_f32(restore, l, (uint32_t)keep, (float *)m->mask + r * l);
        else
            k->mask_u8(restore, l, (uint32_t)keep, (uint8_t *)m->mask + r * l);
    }
}

sm_status sm__masking_check(const sm_masking *m, size_t *len_keep)
{
    if (!m) return sm__fail(SM_EINVAL, "masking arguments are NULL");
    if (m->n == 0 || m->l == 0)
        return sm__fail(SM_EINVAL, "n (%zu) and l (%zu) must be positive", m->n, m->l);
    if ((m->rng == NULL) == (m->noise_in == NULL))
        return sm__fail(SM_EINVAL, "give exactly one of rng and noise_in");
    if (m->rng) {
        sm_status st = sm__check_rng(m->rng);
        if (st) return st;
    }
    if (m->index_type != SM_INDEX_I64 && m->index_type != SM_INDEX_I32)
        return sm__fail(SM_EINVAL, "unknown index type %d", (int)m->index_type);
    if (m->mask_type != SM_MASK_F32 && m->mask_type != SM_MASK_U8)
        return sm__fail(SM_EINVAL, "unknown mask type %d", (int)m->mask_type);
    sm_status st = sm_len_keep(m->l, m->mask_ratio, len_keep);
    if (st) return st;
    if (m->l > (m->index_type == SM_INDEX_I32 ? (size_t)INT32_MAX : (size_t)UINT32_MAX))
        return sm__fail(SM_EOVERFLOW, "l %zu does not fit %s indices", m->l,
                        m->index_type == SM_INDEX_I32 ? "int32" : "the library's 32-bit");
    if (m->x_masked) {
        if (!m->x) return sm__fail(SM_EINVAL, "x_masked is wanted but x is NULL");
        if (m->row_bytes == 0) return sm__fail(SM_EINVAL, "row_bytes is 0");
    }
    size_t isz0 = sm__index_size(m->index_type);
    if ((st = sm__check_align("noise_in", m->noise_in, 4)) || (st = sm__check_align("noise", m->noise, 4)) ||
        (st = sm__check_align("ids_shuffle", m->ids_shuffle, isz0)) ||
        (st = sm__check_align("ids_restore", m->ids_restore, isz0)) ||
        (st = sm__check_align("ids_keep", m->ids_keep, isz0)) ||
        (st = sm__check_align("mask", m->mask, m->mask_type == SM_MASK_F32 ? 4 : 1)))
        return st;
    size_t nl, nk, x_bytes = 0, xm_bytes = 0, noise_bytes, idx_bytes, keep_bytes, mask_bytes;
    size_t isz = sm__index_size(m->index_type);
    if (!sm__mul(m->n, m->l, &nl) || !sm__mul(nl, 8, &idx_bytes) ||
        (m->x_masked && !sm__mul(nl, m->row_bytes, &x_bytes)))
        return sm__fail(SM_EOVERFLOW, "n %zu x l %zu x row_bytes %zu overflows size_t", m->n, m->l,
                        m->row_bytes);
    nk = m->n * *len_keep;
    if (m->x_masked) xm_bytes = nk * m->row_bytes;
    noise_bytes = nl * 4;
    idx_bytes = nl * isz;
    keep_bytes = nk * isz;
    mask_bytes = nl * (m->mask_type == SM_MASK_F32 ? 4 : 1);
    struct sm__span spans[] = {
        { "rng", m->rng, m->rng ? sizeof *m->rng : 0, true }, /* advanced: written */
        { "noise_in", m->noise_in, m->noise_in ? noise_bytes : 0, false },
        { "x", m->x, x_bytes, false },
        { "noise", m->noise, noise_bytes, true },
        { "ids_shuffle", m->ids_shuffle, idx_bytes, true },
        { "ids_restore", m->ids_restore, idx_bytes, true },
        { "ids_keep", m->ids_keep, keep_bytes, true },
        { "mask", m->mask, mask_bytes, true },
        { "x_masked", m->x_masked, xm_bytes, true },
        { "the masking arguments", m, sizeof *m, false },
    };
    return sm__check_spans(spans, sizeof spans / sizeof spans[0]);
}

/* The masking step over blocks [b0, b1) of rows, on one thread. */
struct block_job {
    struct row_job row;
    char *scratch;           /* per thread: sort scratch, shuffle, restore, kept, row noise */
    size_t stride, block, gathered;
    const float *all_noise;  /* torch noise drawn up front when there is no noise output */
    bool torch;
    void (*gather)(const void *src, size_t row_bytes, const uint32_t *idx, size_t k, void *out);
};

static void mask_blocks(void *ctx, size_t b0, size_t b1, int thread)
{
    const struct block_job *j = ctx;
    const struct sm_kernels *k = j->row.k;
    const sm_masking *m = j->row.m;
    size_t n = m->n, l = m->l, block = j->block, gathered = j->gathered;
    char *mine = j->scratch + j->stride * (size_t)thread;
    uint32_t *shuffle = (uint32_t *)(mine + SM__ARGSORT_SCRATCH(l));
    uint32_t *restore = shuffle + l;
    uint32_t *kept = restore + l;
    float *row_noise = (float *)(kept + block * gathered);
    for (size_t b = b0; b < b1; b++) {
        size_t r0 = b * block, r1 = r0 + block < n ? r0 + block : n;
        for (size_t r = r0; r < r1; r++) {
            const float *noise;
            if (m->noise_in)
                noise = m->noise_in + r * l;
            else if (j->torch)
                noise = (m->noise ? m->noise : j->all_noise) + r * l;
            else {
                float *dst = m->noise ? m->noise + r * l : row_noise;
                k->philox_rows(m->rng->seed, m->rng->stream, m->rng->row + r, 1, l, dst);
                noise = dst;
            }
            mask_row(&j->row, r, noise, shuffle, restore, mine);
            uint32_t *q = kept + (r - r0) * gathered;
            uint32_t base = (uint32_t)((r - r0) * l);
            for (size_t i = 0; i < gathered; i++) q[i] = base + shuffle[i];
        }
        if (gathered)
            j->gather((const char *)m->x + r0 * l * m->row_bytes, m->row_bytes, kept,
                      (r1 - r0) * gathered, (char *)m->x_masked + r0 * gathered * m->row_bytes);
    }
}

sm_status sm_random_masking(sm_masking *m)
{
    size_t len_keep;
    sm_status st = sm__masking_check(m, &len_keep);
    if (st) return st;

    const struct sm_kernels *k = sm__active();
    size_t n = m->n, l = m->l;
    bool torch = m->rng && m->rng->kind == SM_RNG_TORCH;
    int t = sm__threads_for(n, l * 64 + len_keep * m->row_bytes);

    /* Noise rows live in the caller's noise output when there is one; torch
     * noise without one needs a whole [n][l] buffer (one stream, drawn first);
     * philox noise without one is drawn row by row into thread scratch. */
    float *all_noise = NULL;
    bool own_noise = torch && !m->noise;
    /* Rows go in blocks of up to SM__MASK_BLOCK_IDS kept indices: every row
     * of a block is sorted and written first, then the block's x_masked rows
     * are gathered in one kernel call (indices rebased to the block's first
     * sample), so that the gather's prefetches run on from one sample into
     * the next and no sort stalls the stream between them. AVX-512, one call
     * per sample -> one per block, the two interleaved in one process, median
     * of 41 rounds of 10 steps, ms: MAE ViT-B (256 x 196 tokens of 3 KiB, 49
     * kept, streaming stores) 2.60 -> 2.44 (memcpy of x_masked 2.39); 64
     * samples (plain stores) 0.487 -> 0.423; 256-byte tokens, 256 samples
     * 0.249 -> 0.197, 1024 samples 1.17 -> 0.97; two threads, ViT-B, 1.70 ->
     * 1.65. Blocks of 16384 indices, tried before the scratch was kept between
     * calls (src/work.c), made glibc give it back to the system on every call
     * (42 page faults a step at 256 samples, against 2). */
    size_t gathered = m->x_masked ? len_keep : 0;
    size_t block = gathered && gathered < SM__MASK_BLOCK_IDS ? SM__MASK_BLOCK_IDS / gathered : 1;
    /* Each thread's rows in blocks of one size, so that threads end together. */
    size_t per_thread = (n + t - 1) / t, blocks_each = (per_thread + block - 1) / block;
    block = (per_thread + blocks_each - 1) / blocks_each;
    if (block > UINT32_MAX / l) block = UINT32_MAX / l; /* row indices within a block */
    size_t n_blocks = (n + block - 1) / block;
    size_t row_scratch = SM__ARGSORT_SCRATCH(l) + 8 * l + 4 * block * gathered +
                         (m->rng && !torch && !m->noise ? 4 * l : 0);
    size_t stride;
    char *scratch = sm__scratch(t, row_scratch, own_noise ? n * l * sizeof(float) : 0, &stride);
    if (!scratch) return sm__fail(SM_ENOMEM, "cannot allocate masking scratch");
    if (own_noise) all_noise = (float *)(scratch + (size_t)t * stride);

    if (torch) {
        float *dst = m->noise ? m->noise : all_noise;
        sm__draw_rows(k, m->rng, dst, n, l);
    } else if (m->noise_in && m->noise) {
        memcpy(m->noise, m->noise_in, n * l * sizeof(float));
    }

    struct block_job job = {
        .row = { k, m, len_keep, m->rng != NULL },
        .scratch = scratch, .stride = stride, .block = block, .gathered = gathered,
        .all_noise = all_noise, .torch = torch,
        /* gather_rows_u32, or its non-temporal twin for outputs beyond the cache */
        .gather = m->x_masked && sm__use_nt(n * len_keep * m->row_bytes, m->row_bytes) &&
                          k->gather_rows_u32_nt
                      ? k->gather_rows_u32_nt
                      : k->gather_rows_u32,
    };
    sm__parallel(t, n_blocks, mask_blocks, &job);
    if (m->rng && !torch) m->rng->row += n;
    sm__scratch_free(scratch);
    m->len_keep = len_keep;
    return SM_OK;
}
