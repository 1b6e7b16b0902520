#include "work.h"

/* Rows [begin, end) of sm_argsort, on one thread. Per-thread scratch of a row
 * sort: the kernel's scratch, then l uint32 indices when the caller wants
 * int64 (sorted as uint32, then widened). */
struct sort_job {
    const struct sm_kernels *k;
    const float *keys;
    void *indices;
    size_t l;
    int desc;
    bool i64;
    char *scratch;
    size_t stride;
};

static void sort_rows(void *ctx, size_t begin, size_t end, int thread)
{
    const struct sort_job *j = ctx;
    size_t l = j->l;
    char *mine = j->scratch + j->stride * (size_t)thread;
    uint32_t *tmp_idx = (uint32_t *)(mine + SM__ARGSORT_SCRATCH(l));
    for (size_t r = begin; r < end; r++) {
        const float *row = j->keys + r * l;
        if (!j->i64) {
            j->k->argsort_f32(row, l, j->desc, (uint32_t *)j->indices + r * l, mine);
        } else {
            j->k->argsort_f32(row, l, j->desc, tmp_idx, mine);
            j->k->widen_u32_i64(tmp_idx, l, (int64_t *)j->indices + r * l);
        }
    }
}

sm_status sm_argsort(const float *keys, size_t n_rows, size_t l, sm_order order,
                     sm_index_type index_type, void *indices)
{
    if (!keys || !indices) return sm__fail(SM_EINVAL, "%s is NULL", keys ? "indices" : "keys");
    if (n_rows == 0 || l == 0)
        return sm__fail(SM_EINVAL, "n_rows (%zu) and l (%zu) must be positive", n_rows, l);
    if (order != SM_ASCENDING && order != SM_DESCENDING)
        return sm__fail(SM_EINVAL, "unknown order %d", (int)order);
    if (index_type != SM_INDEX_I64 && index_type != SM_INDEX_I32)
        return sm__fail(SM_EINVAL, "unknown index type %d", (int)index_type);
    if (l > (index_type == SM_INDEX_I32 ? (size_t)INT32_MAX : (size_t)UINT32_MAX))
        return sm__fail(SM_EOVERFLOW, "l %zu does not fit %s indices", l,
                        index_type == SM_INDEX_I32 ? "int32" : "the library's 32-bit");
    sm_status st;
    if ((st = sm__check_align("keys", keys, 4)) ||
        (st = sm__check_align("indices", indices, sm__index_size(index_type))))
        return st;
    size_t count, key_bytes, idx_bytes;
    if (!sm__mul(n_rows, l, &count) || !sm__mul(count, 4, &key_bytes) ||
        !sm__mul(count, sm__index_size(index_type), &idx_bytes))
        return sm__fail(SM_EOVERFLOW, "n_rows %zu x l %zu overflows size_t", n_rows, l);
    if (sm__overlap(keys, key_bytes, indices, idx_bytes))
        return sm__fail(SM_EALIAS, "indices overlaps keys");

    const struct sm_kernels *k = sm__active();
    int t = sm__threads_for(n_rows, l * 64);
    size_t need = SM__ARGSORT_SCRATCH(l) + (index_type == SM_INDEX_I64 ? 4 * l : 0), stride;
    char *scratch = sm__scratch(t, need, 0, &stride);
    if (!scratch) return sm__fail(SM_ENOMEM, "cannot allocate %zu bytes of sort scratch", need);
    int desc = order == SM_DESCENDING;

    struct sort_job job = { k, keys, indices, l, desc, index_type == SM_INDEX_I64, scratch, stride };
    sm__parallel(t, n_rows, sort_rows, &job);
    sm__scratch_free(scratch);
    return SM_OK;
}
