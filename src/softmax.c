/* sm_masked_softmax: checks, then rows split over OpenMP threads; each row is
 * one call of the backend's kernel. */
#include "work.h"

/* Rows [begin, end) of sm_masked_softmax. */
struct softmax_job {
    void (*kern)(const float *, const uint8_t *, float, size_t, float *);
    const float *scores;
    const uint8_t *mask;
    size_t mstride; /* 0: one mask row for all */
    float fill;
    size_t cols;
    float *out;
};

static void softmax_rows(void *ctx, size_t begin, size_t end, int thread)
{
    const struct softmax_job *j = ctx;
    (void)thread;
    for (size_t r = begin; r < end; r++)
        j->kern(j->scores + r * j->cols, j->mask ? j->mask + r * j->mstride : NULL, j->fill, j->cols,
                j->out + r * j->cols);
}

sm_status sm_masked_softmax(const float *scores, size_t rows, size_t cols, const uint8_t *mask,
                            size_t mask_rows, float fill, float *out)
{
    if (!scores || !out) return sm__fail(SM_EINVAL, "%s is NULL", scores ? "out" : "scores");
    if (rows == 0 || cols == 0)
        return sm__fail(SM_EINVAL, "rows (%zu) and cols (%zu) must be positive", rows, cols);
    if ((mask == NULL) != (mask_rows == 0))
        return sm__fail(SM_EINVAL, "mask %s but mask_rows is %zu", mask ? "given" : "NULL",
                        mask_rows);
    if (mask && mask_rows != 1 && mask_rows != rows)
        return sm__fail(SM_EINVAL,
                        "mask of %zu rows does not broadcast to %zu rows (give 1 or %zu)",
                        mask_rows, rows, rows);
    sm_status st;
    if ((st = sm__check_align("scores", scores, 4)) || (st = sm__check_align("out", out, 4))) return st;
    size_t count, bytes, mask_bytes = 0;
    if (!sm__mul(rows, cols, &count) || !sm__mul(count, sizeof(float), &bytes) ||
        (mask && !sm__mul(mask_rows, cols, &mask_bytes)))
        return sm__fail(SM_EOVERFLOW, "rows %zu x cols %zu overflows size_t", rows, cols);
    /* In place (out == scores) is fine: a kernel reads x[i] before it writes
     * out[i]. Any other overlap is not. */
    if (out != scores && sm__overlap(out, bytes, scores, bytes))
        return sm__fail(SM_EALIAS, "out overlaps scores (only out == scores is allowed)");
    if (sm__overlap(out, bytes, mask, mask_bytes))
        return sm__fail(SM_EALIAS, "out overlaps mask");

    const struct sm_kernels *k = sm__active();
    /* A table built before the slot existed leaves it NULL: scalar then. */
    void (*kern)(const float *, const uint8_t *, float, size_t, float *) =
        k->masked_softmax ? k->masked_softmax : sm__scalar_masked_softmax;
    /* ~3 passes of 4 bytes per column: 12 bytes of traffic per element. */
    struct softmax_job job = { kern, scores, mask, mask_rows == 1 ? 0 : cols, fill, cols, out };
    sm__parallel(sm__threads_for(rows, cols * 12), rows, softmax_rows, &job);
    return SM_OK;
}
