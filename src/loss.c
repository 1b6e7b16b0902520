/* MAE's forward_loss with its by-products. Per-patch statistics run in
 * double over the patch's d floats (d = 768 at MAE's shapes), so the float
 * outputs are the exact values rounded once; PyTorch's float32 reductions
 * land within ~1e-6 relative of them. The final sum over patches runs in a
 * fixed order on one thread: the loss does not depend on the thread count. */
#include <math.h>
#include <stdlib.h>

#include "work.h"

struct stats {
    double mean, rstd; /* rstd = 1 / sqrt(var + 1e-6) under norm_pix, else unused */
    double var;
    double loss;       /* mean over d of (pred - target')^2 */
};

static void patch_stats(const sm_mae_loss *a, size_t i, struct stats *s)
{
    const float *t = a->target + i * a->d, *p = a->pred + i * a->d;
    size_t d = a->d;
    double sum = 0.0, ss = 0.0;
    for (size_t k = 0; k < d; k++) sum += t[k];
    double mean = sum / (double)d;
    for (size_t k = 0; k < d; k++) ss += (t[k] - mean) * (t[k] - mean);
    /* torch.var: unbiased (d - 1); d = 1 gives NaN as there */
    double var = ss / (double)(d - 1);
    double rstd = a->norm_pix ? 1.0 / sqrt(var + 1e-6) : 1.0;
    double shift = a->norm_pix ? mean : 0.0, l = 0.0;
    for (size_t k = 0; k < d; k++) {
        double e = (double)p[k] - ((double)t[k] - shift) * rstd;
        l += e * e;
    }
    s->mean = mean;
    s->var = var;
    s->rstd = rstd;
    s->loss = l / (double)d;
}

/* Patches [begin, end) of sm_mae_loss_compute: their statistics, then their
 * outputs (g0: the gradient's 2 / (d * sum(mask))). */
struct loss_job {
    const sm_mae_loss *a;
    struct stats *s;
    double g0;
};

static void stats_patches(void *ctx, size_t begin, size_t end, int thread)
{
    const struct loss_job *j = ctx;
    (void)thread;
    for (size_t i = begin; i < end; i++) patch_stats(j->a, i, &j->s[i]);
}

static void write_patches(void *ctx, size_t begin, size_t end, int thread)
{
    const struct loss_job *j = ctx;
    const sm_mae_loss *a = j->a;
    const struct stats *s = j->s;
    (void)thread;
    for (size_t i = begin; i < end; i++) {
        if (a->patch_loss) a->patch_loss[i] = (float)s[i].loss;
        if (a->mean) a->mean[i] = (float)s[i].mean;
        if (a->var) a->var[i] = (float)s[i].var;
        if (a->grad) {
            const float *tg = a->target + i * a->d, *p = a->pred + i * a->d;
            float *g = a->grad + i * a->d;
            double shift = a->norm_pix ? s[i].mean : 0.0, w = j->g0 * a->mask[i];
            for (size_t k = 0; k < a->d; k++)
                g[k] = (float)(w * ((double)p[k] - ((double)tg[k] - shift) * s[i].rstd));
        }
    }
}

sm_status sm_mae_loss_compute(const sm_mae_loss *a)
{
    if (!a) return sm__fail(SM_EINVAL, "loss arguments are NULL");
    if (!a->pred || !a->target || !a->mask || !a->loss)
        return sm__fail(SM_EINVAL, "%s is NULL",
                        !a->pred ? "pred" : !a->target ? "target" : !a->mask ? "mask" : "loss");
    if (!a->n || !a->l || !a->d)
        return sm__fail(SM_EINVAL, "n %zu, l %zu, d %zu must be positive", a->n, a->l, a->d);
    if ((a->norm_pix || a->var) && a->d < 2)
        return sm__fail(SM_EINVAL, "the unbiased variance needs d >= 2 (d is %zu)", a->d);
    const void *floats[] = { a->pred, a->target, a->mask, a->loss, a->patch_loss, a->mean, a->var, a->grad };
    static const char *const names[] = { "pred", "target", "mask", "loss", "patch_loss", "mean", "var", "grad" };
    for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
        sm_status st = sm__check_align(names[i], floats[i], 4);
        if (st) return st;
    }
    size_t nl, nld, pb, mb, sb;
    if (!sm__mul(a->n, a->l, &nl) || !sm__mul(nl, a->d, &nld) || !sm__mul(nld, 4, &pb) ||
        !sm__mul(nl, sizeof(struct stats), &sb))
        return sm__fail(SM_EOVERFLOW, "n %zu x l %zu x d %zu overflows size_t", a->n, a->l, a->d);
    mb = nl * 4;
    struct sm__span spans[] = {
        { "pred", a->pred, pb, false },
        { "target", a->target, pb, false },
        { "mask", a->mask, mb, false },
        { "loss", a->loss, 4, true },
        { "patch_loss", a->patch_loss, a->patch_loss ? mb : 0, true },
        { "mean", a->mean, a->mean ? mb : 0, true },
        { "var", a->var, a->var ? mb : 0, true },
        { "grad", a->grad, a->grad ? pb : 0, true },
        { "the loss arguments", a, sizeof *a, false },
    };
    sm_status st = sm__check_spans(spans, sizeof spans / sizeof spans[0]);
    if (st) return st;

    double msum = 0.0;
    for (size_t i = 0; i < nl; i++) msum += a->mask[i];
    if (msum == 0.0)
        return sm__fail(SM_ENOREMOVED,
                        "the mask removes no patch: the loss (sum(loss * mask) / sum(mask)) "
                        "is 0 / 0");
    if (!isfinite(msum))
        return sm__fail(SM_EINVAL, "the mask sums to %g", msum);

    struct stats *s = malloc(sb);
    if (!s) return sm__fail(SM_ENOMEM, "cannot allocate %zu bytes of patch statistics", sb);
    struct loss_job job = { a, s, 0.0 };
    sm__parallel(sm__threads_for(nl, a->d * 8), nl, stats_patches, &job);

    double total = 0.0;
    for (size_t i = 0; i < nl; i++) total += s[i].loss * a->mask[i];
    *a->loss = (float)(total / msum);

    job.g0 = 2.0 / ((double)a->d * msum);
    sm__parallel(a->grad ? sm__threads_for(nl, a->d * 12) : 1, nl, write_patches, &job);
    free(s);
    return SM_OK;
}
