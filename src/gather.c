#include <inttypes.h>
#include <string.h>

#include "work.h"

static sm_status bad_index(int64_t v, int dim, uint64_t size)
{
    /* PyTorch's wording, so that messages can be compared with its errors. */
    return sm__fail(SM_ERANGE, "index %" PRId64 " is out of bounds for dimension %d with size %" PRIu64,
                    v, dim, size);
}

/* Samples [begin, end) of sm_gather_rows. */
struct rows_job {
    const char *src;
    const void *idx;
    char *out;
    size_t l, k, row_bytes;
    bool i32;
    void (*g32)(const void *, size_t, const uint32_t *, size_t, void *);
    void (*g64)(const void *, size_t, const int64_t *, size_t, void *);
};

static void gather_samples(void *ctx, size_t begin, size_t end, int thread)
{
    const struct rows_job *j = ctx;
    (void)thread;
    for (size_t i = begin; i < end; i++) {
        const char *s = j->src + i * j->l * j->row_bytes;
        char *o = j->out + i * j->k * j->row_bytes;
        if (j->i32)
            j->g32(s, j->row_bytes, (const uint32_t *)j->idx + i * j->k, j->k, o);
        else
            j->g64(s, j->row_bytes, (const int64_t *)j->idx + i * j->k, j->k, o);
    }
}

sm_status sm_gather_rows(const void *src, size_t n, size_t l, size_t row_bytes, const void *idx,
                         sm_index_type index_type, size_t k, void *out)
{
    if (!src || !idx || !out)
        return sm__fail(SM_EINVAL, "%s is NULL", !src ? "src" : !idx ? "idx" : "out");
    if (n == 0 || l == 0) return sm__fail(SM_EINVAL, "n (%zu) and l (%zu) must be positive", n, l);
    if (row_bytes == 0) return sm__fail(SM_EINVAL, "row_bytes is 0");
    if (index_type != SM_INDEX_I64 && index_type != SM_INDEX_I32)
        return sm__fail(SM_EINVAL, "unknown index type %d", (int)index_type);
    sm_status st = sm__check_align("idx", idx, sm__index_size(index_type));
    if (st) return st;
    size_t src_bytes, nk, out_bytes, idx_bytes;
    if (!sm__mul(n, l, &src_bytes) || !sm__mul(src_bytes, row_bytes, &src_bytes) ||
        !sm__mul(n, k, &nk) || !sm__mul(nk, row_bytes, &out_bytes) ||
        !sm__mul(nk, sm__index_size(index_type), &idx_bytes))
        return sm__fail(SM_EOVERFLOW, "n %zu x l %zu (k %zu) x row_bytes %zu overflows size_t", n, l,
                        k, row_bytes);
    struct sm__span spans[] = {
        { "src", src, src_bytes, false },
        { "idx", idx, idx_bytes, false },
        { "out", out, out_bytes, true },
    };
    if ((st = sm__check_spans(spans, 3))) return st;
    ptrdiff_t bad = sm__find_bad_index(idx, index_type, nk, l);
    if (bad >= 0) return bad_index(sm__index_at(idx, index_type, (size_t)bad), 1, l);

    const struct sm_kernels *kern = sm__active();
    bool nt = sm__use_nt(out_bytes, row_bytes);
    struct rows_job job = {
        .src = src, .idx = idx, .out = out, .l = l, .k = k, .row_bytes = row_bytes,
        .i32 = index_type == SM_INDEX_I32,
        .g32 = nt && kern->gather_rows_u32_nt ? kern->gather_rows_u32_nt : kern->gather_rows_u32,
        .g64 = nt && kern->gather_rows_i64_nt ? kern->gather_rows_i64_nt : kern->gather_rows_i64,
    };
    sm__parallel(sm__threads_for(n, k * row_bytes), n, gather_samples, &job);
    return SM_OK;
}

/* Samples [begin, end) of sm_unshuffle. */
struct unshuffle_job {
    const char *x_masked;
    const void *mask_token, *ids_restore;
    char *out;
    size_t l, len_keep, row_bytes;
    bool i32;
    void (*u32)(const void *, const void *, const uint32_t *, size_t, size_t, size_t, void *);
    void (*u64)(const void *, const void *, const int64_t *, size_t, size_t, size_t, void *);
};

static void unshuffle_samples(void *ctx, size_t begin, size_t end, int thread)
{
    const struct unshuffle_job *j = ctx;
    (void)thread;
    for (size_t i = begin; i < end; i++) {
        /* x_masked may be NULL when len_keep is 0: NULL + 0 is undefined in C. */
        const char *kept = j->len_keep ? j->x_masked + i * j->len_keep * j->row_bytes : NULL;
        char *o = j->out + i * j->l * j->row_bytes;
        if (j->i32)
            j->u32(kept, j->mask_token, (const uint32_t *)j->ids_restore + i * j->l, j->l, j->len_keep,
                   j->row_bytes, o);
        else
            j->u64(kept, j->mask_token, (const int64_t *)j->ids_restore + i * j->l, j->l, j->len_keep,
                   j->row_bytes, o);
    }
}

sm_status sm_unshuffle(const void *x_masked, const void *mask_token, const void *ids_restore,
                       sm_index_type index_type, size_t n, size_t l, size_t len_keep,
                       size_t row_bytes, void *out)
{
    if (!mask_token || !ids_restore || !out || (!x_masked && len_keep))
        return sm__fail(SM_EINVAL, "%s is NULL",
                        !mask_token ? "mask_token" : !ids_restore ? "ids_restore" : !out ? "out" : "x_masked");
    if (n == 0 || l == 0) return sm__fail(SM_EINVAL, "n (%zu) and l (%zu) must be positive", n, l);
    if (row_bytes == 0) return sm__fail(SM_EINVAL, "row_bytes is 0");
    if (len_keep > l) return sm__fail(SM_EINVAL, "len_keep %zu is larger than l %zu", len_keep, l);
    if (index_type != SM_INDEX_I64 && index_type != SM_INDEX_I32)
        return sm__fail(SM_EINVAL, "unknown index type %d", (int)index_type);
    sm_status st = sm__check_align("ids_restore", ids_restore, sm__index_size(index_type));
    if (st) return st;
    size_t nl, out_bytes, idx_bytes, kept_bytes;
    if (!sm__mul(n, l, &nl) || !sm__mul(nl, row_bytes, &out_bytes) ||
        !sm__mul(nl, sm__index_size(index_type), &idx_bytes))
        return sm__fail(SM_EOVERFLOW, "n %zu x l %zu x row_bytes %zu overflows size_t", n, l, row_bytes);
    kept_bytes = n * len_keep * row_bytes;
    struct sm__span spans[] = {
        { "x_masked", x_masked, kept_bytes, false },
        { "mask_token", mask_token, row_bytes, false },
        { "ids_restore", ids_restore, idx_bytes, false },
        { "out", out, out_bytes, true },
    };
    if ((st = sm__check_spans(spans, 4))) return st;
    ptrdiff_t bad = sm__find_bad_index(ids_restore, index_type, nl, l);
    if (bad >= 0) return bad_index(sm__index_at(ids_restore, index_type, (size_t)bad), 1, l);

    const struct sm_kernels *k = sm__active();
    bool nt = sm__use_nt(out_bytes, row_bytes);
    struct unshuffle_job job = {
        .x_masked = x_masked, .mask_token = mask_token, .ids_restore = ids_restore, .out = out,
        .l = l, .len_keep = len_keep, .row_bytes = row_bytes, .i32 = index_type == SM_INDEX_I32,
        .u32 = nt && k->unshuffle_u32_nt ? k->unshuffle_u32_nt : k->unshuffle_u32,
        .u64 = nt && k->unshuffle_i64_nt ? k->unshuffle_i64_nt : k->unshuffle_i64,
    };
    sm__parallel(sm__threads_for(n, l * row_bytes), n, unshuffle_samples, &job);
    return SM_OK;
}

/* ------------------------------------------------------------ torch.gather */

struct view {
    int nd;
    int64_t shape[SM_MAX_DIMS], stride[SM_MAX_DIMS];
    size_t extent; /* elements spanned: 1 + sum (shape - 1) * stride; 0 if empty */
    size_t numel;
};

static sm_status load_view(const char *what, const sm_view *v, struct view *out)
{
    if (!v) return sm__fail(SM_EINVAL, "%s is NULL", what);
    if (v->ndim < 1 || v->ndim > SM_MAX_DIMS)
        return sm__fail(SM_EINVAL, "%s has %d dims; 1 to %d are supported", what, v->ndim, SM_MAX_DIMS);
    if (!v->shape) return sm__fail(SM_EINVAL, "%s shape is NULL", what);
    out->nd = v->ndim;
    size_t numel = 1, extent = 1;
    int64_t dense = 1;
    for (int d = v->ndim - 1; d >= 0; d--) {
        int64_t s = v->shape[d], st = v->strides ? v->strides[d] : dense;
        if (s < 0) return sm__fail(SM_EINVAL, "%s shape[%d] is negative (%" PRId64 ")", what, d, s);
        if (st < 0) return sm__fail(SM_EINVAL, "%s stride[%d] is negative (%" PRId64 ")", what, d, st);
        out->shape[d] = s, out->stride[d] = st;
        size_t span;
        if (!sm__mul(numel, (size_t)s, &numel) ||
            (s > 0 && (!sm__mul((size_t)(s - 1), (size_t)st, &span) || __builtin_add_overflow(extent, span, &extent))) ||
            __builtin_mul_overflow(dense, s ? s : 1, &dense))
            return sm__fail(SM_EOVERFLOW, "%s sizes overflow", what);
    }
    out->numel = numel;
    out->extent = numel ? extent : 0;
    if (numel && !v->data) return sm__fail(SM_EINVAL, "%s data is NULL", what);
    return SM_OK;
}

static void copy_elem(char *dst, const char *src, size_t es)
{
    switch (es) {
    case 1: *dst = *src; break;
    case 2: memcpy(dst, src, 2); break;
    case 4: memcpy(dst, src, 4); break;
    default: memcpy(dst, src, 8); break;
    }
}

/* The MAE pattern idx.unsqueeze(-1).expand(-1, -1, D) on a dense [N, L, D]
 * input: the index is a dense [N, K] matrix repeated along the last dim. */
static bool is_row_pattern(const struct view *in, bool in_dense, const struct view *ix, int dim)
{
    return in->nd == 3 && dim == 1 && in_dense && ix->stride[2] == 0 && ix->stride[1] == 1 &&
           ix->stride[0] == ix->shape[1] && ix->shape[2] == in->shape[2] && ix->shape[0] == in->shape[0];
}

sm_status sm_gather(const sm_view *input, size_t elem_size, int dim, const sm_view *index, void *out)
{
    struct view in, ix;
    sm_status st = load_view("input", input, &in);
    if (st) return st;
    if ((st = load_view("index", index, &ix))) return st;
    if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
        return sm__fail(SM_EINVAL, "element size %zu is not 1, 2, 4 or 8", elem_size);
    if (ix.nd != in.nd)
        return sm__fail(SM_EINVAL, "Index tensor must have the same number of dimensions as input tensor");
    if (dim < -in.nd || dim >= in.nd)
        return sm__fail(SM_EINVAL, "Dimension out of range (expected to be in range of [%d, %d], but got %d)",
                        -in.nd, in.nd - 1, dim);
    if (dim < 0) dim += in.nd;
    for (int d = 0; d < in.nd; d++)
        if (d != dim && ix.shape[d] > in.shape[d])
            return sm__fail(SM_EINVAL, "Size does not match at dimension %d: index %" PRId64
                            " is larger than input %" PRId64 " apart from dimension %d",
                            d, ix.shape[d], in.shape[d], dim);
    if (ix.numel == 0) return SM_OK;
    if (!out) return sm__fail(SM_EINVAL, "out is NULL");
    if ((st = sm__check_align("index data", index->data, 8))) return st;
    size_t in_bytes, ix_bytes, out_bytes;
    if (!sm__mul(in.extent, elem_size, &in_bytes) || !sm__mul(ix.extent, 8, &ix_bytes) ||
        !sm__mul(ix.numel, elem_size, &out_bytes))
        return sm__fail(SM_EOVERFLOW, "tensor bytes overflow size_t");
    struct sm__span spans[] = {
        { "input", input->data, in_bytes, false },
        { "index", index->data, ix_bytes, false },
        { "out", out, out_bytes, true },
    };
    if ((st = sm__check_spans(spans, 3))) return st;

    const int64_t *idx = index->data;
    const char *src = input->data;
    int nd = in.nd;
    uint64_t size = (uint64_t)in.shape[dim];

    bool in_dense = true;
    int64_t dense = 1;
    for (int d = nd - 1; d >= 0; dense *= in.shape[d], d--)
        if (in.shape[d] > 1 && in.stride[d] != dense) in_dense = false;
    if (is_row_pattern(&in, in_dense, &ix, dim)) {
        size_t n = (size_t)ix.shape[0], l = (size_t)in.shape[1], kk = (size_t)ix.shape[1];
        if (l == 0) return bad_index(idx[0], dim, 0);
        return sm_gather_rows(src, n, l, (size_t)in.shape[2] * elem_size, idx, SM_INDEX_I64, kk, out);
    }

    /* Check every index before writing: walk the index view in order. */
    int64_t pos[SM_MAX_DIMS] = { 0 };
    for (size_t e = 0; e < ix.numel; e++) {
        size_t off = 0;
        for (int d = 0; d < nd; d++) off += (size_t)pos[d] * (size_t)ix.stride[d];
        if ((uint64_t)idx[off] >= size) return bad_index(idx[off], dim, size);
        for (int d = nd - 1; d >= 0 && ++pos[d] == ix.shape[d]; d--) pos[d] = 0;
    }
    char *o = out;
    for (size_t e = 0; e < ix.numel; e++) {
        size_t ioff = 0, soff = 0;
        for (int d = 0; d < nd; d++) {
            ioff += (size_t)pos[d] * (size_t)ix.stride[d];
            if (d != dim) soff += (size_t)pos[d] * (size_t)in.stride[d];
        }
        soff += (size_t)idx[ioff] * (size_t)in.stride[dim];
        copy_elem(o + e * elem_size, src + soff * elem_size, elem_size);
        for (int d = nd - 1; d >= 0 && ++pos[d] == ix.shape[d]; d--) pos[d] = 0;
    }
    return SM_OK;
}
