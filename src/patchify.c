/* MAE's patchify and unpatchify (einsum nchpwq <-> nhwpqc): pure data
 * movement, elements copied as 16- or 32-bit words. Work is split by (image,
 * patch row): one unit reads p full image rows per channel (contiguous) and
 * writes (w/p) patches = w * p * c elements (MAE: 14 x 768 x 4 = 43 KiB,
 * L2-resident while the c channel planes are interleaved into it). */
#include "work.h"

struct geom {
    size_t n, c, h, w, p, gh, gw;
};

#define DEFINE_COPY(T)                                                                          \
    static void patch_row_##T(const struct geom *g, T *img, T *pat, size_t n, size_t hh,        \
                              int to_patches)                                                   \
    {                                                                                           \
        size_t c = g->c, p = g->p, pd = p * p * c;                                              \
        T *prow = pat + (n * g->gh * g->gw + hh * g->gw) * pd;                                  \
        for (size_t ch = 0; ch < c; ch++)                                                       \
            for (size_t pi = 0; pi < p; pi++) {                                                 \
                T *irow = img + ((n * c + ch) * g->h + hh * p + pi) * g->w;                     \
                for (size_t ww = 0; ww < g->gw; ww++) {                                         \
                    T *o = prow + ww * pd + pi * p * c + ch;                                    \
                    T *in = irow + ww * p;                                                      \
                    if (to_patches)                                                             \
                        for (size_t qi = 0; qi < p; qi++) o[qi * c] = in[qi];                   \
                    else                                                                        \
                        for (size_t qi = 0; qi < p; qi++) in[qi] = o[qi * c];                   \
                }                                                                               \
            }                                                                                   \
    }
DEFINE_COPY(uint16_t)
DEFINE_COPY(uint32_t)

/* Units [begin, end) (image, patch row) of a patchify or unpatchify. */
struct patch_job {
    const struct geom *g;
    void *img, *pat;
    size_t elem_size;
    int to_patches;
};

static void patch_rows(void *ctx, size_t begin, size_t end, int thread)
{
    const struct patch_job *j = ctx;
    size_t gh = j->g->gh;
    (void)thread;
    for (size_t u = begin; u < end; u++) {
        if (j->elem_size == 4)
            patch_row_uint32_t(j->g, j->img, j->pat, u / gh, u % gh, j->to_patches);
        else
            patch_row_uint16_t(j->g, j->img, j->pat, u / gh, u % gh, j->to_patches);
    }
}

static sm_status run(const void *src, void *dst, size_t n, size_t c, size_t h, size_t w,
                     size_t p, size_t elem_size, int to_patches)
{
    const char *what = to_patches ? "patchify" : "unpatchify";
    if (!src || !dst) return sm__fail(SM_EINVAL, "%s: %s is NULL", what, src ? "output" : "input");
    if (!n || !c || !h || !w || !p)
        return sm__fail(SM_EINVAL, "%s: n %zu, c %zu, h %zu, w %zu, p %zu must be positive", what,
                        n, c, h, w, p);
    if (h % p || w % p)
        return sm__fail(SM_EINVAL, "%s: h %zu and w %zu must both divide by p %zu", what, h, w,
                        p);
    if (elem_size != 2 && elem_size != 4)
        return sm__fail(SM_EINVAL, "%s: elem_size %zu is not 2 or 4", what, elem_size);
    sm_status st;
    if ((st = sm__check_align(to_patches ? "imgs" : "patches", src, elem_size)) ||
        (st = sm__check_align(to_patches ? "patches" : "imgs", dst, elem_size)))
        return st;
    size_t count, bytes;
    if (!sm__mul(n, c, &count) || !sm__mul(count, h, &count) || !sm__mul(count, w, &count) ||
        !sm__mul(count, elem_size, &bytes))
        return sm__fail(SM_EOVERFLOW, "%s: n %zu x c %zu x h %zu x w %zu overflows size_t", what, n,
                        c, h, w);
    if (sm__overlap(src, bytes, dst, bytes))
        return sm__fail(SM_EALIAS, "%s: output overlaps input", what);

    struct geom g = { n, c, h, w, p, h / p, w / p };
    size_t units = n * g.gh;
    int t = sm__threads_for(units, w * p * c * elem_size * 2);
    void *img = to_patches ? (void *)(uintptr_t)src : dst;
    void *pat = to_patches ? dst : (void *)(uintptr_t)src;
    struct patch_job job = { &g, img, pat, elem_size, to_patches };
    sm__parallel(t, units, patch_rows, &job);
    return SM_OK;
}

sm_status sm_patchify(const void *imgs, size_t n, size_t c, size_t h, size_t w, size_t p,
                      size_t elem_size, void *patches)
{
    return run(imgs, patches, n, c, h, w, p, elem_size, 1);
}

sm_status sm_unpatchify(const void *patches, size_t n, size_t c, size_t h, size_t w, size_t p,
                        size_t elem_size, void *imgs)
{
    return run(patches, imgs, n, c, h, w, p, elem_size, 0);
}
