/* sm_argsort under attack: any float bit patterns (NaN payloads, +-0,
 * +-inf, denormals), long tie runs, L up to 70,000, both orders, both index
 * types, on every backend this CPU runs.
 *
 * Oracle: a stable argsort is unique, so the invariants (a permutation,
 * keys monotone along it in PyTorch's order, ties in index order) decide it;
 * each backend must also give the scalar backend's bytes. A bad argument
 * must return the expected status and leave the indices untouched.
 *
 * Input: [fault][flags][n_rows][size class][l: 3 bytes] then the key pool. */
#include "fuzz_common.h"

enum fault {
    F_NONE, F_NULL_KEYS, F_NULL_IDX, F_ZERO_ROWS, F_ZERO_L, F_BAD_ORDER, F_BAD_TYPE,
    F_OVERFLOW, F_L_I32, F_L_U32, F_ALIAS, F_MISALIGN_KEYS, F_MISALIGN_IDX, F_COUNT
};

static void fill_keys(float *keys, size_t count, unsigned mode, const fz_pool *pool)
{
    switch (mode % 4) {
    case 0: /* raw bits, repeating with the pool's period */
        for (size_t i = 0; i < count; i++) keys[i] = fz_float_from_bits(fz_pool_u32(pool, i));
        break;
    case 1: /* special values only */
        for (size_t i = 0; i < count; i++) keys[i] = fz_special_float(fz_pool_byte(pool, i));
        break;
    case 2: { /* runs: (value byte, length byte) pairs, up to 256 long */
        size_t i = 0, j = 0;
        while (i < count) {
            uint8_t v = fz_pool_byte(pool, 2 * j), len = fz_pool_byte(pool, 2 * j + 1);
            float f = v & 0x80 ? fz_special_float(v) : (float)(v & 7) - 3.0f;
            for (size_t r = 0; r <= len && i < count; r++) keys[i++] = f;
            j++;
        }
        break;
    }
    default: /* few distinct values: ties everywhere, -0 and +0 among them */
        for (size_t i = 0; i < count; i++) {
            uint8_t v = fz_pool_byte(pool, i) % 6;
            keys[i] = v == 5 ? -0.0f : (float)v - 2.0f;
        }
        break;
    }
}

static int64_t index_at(const void *idx, sm_index_type t, size_t i)
{
    return t == SM_INDEX_I32 ? ((const int32_t *)idx)[i] : ((const int64_t *)idx)[i];
}

static void check_row(const float *keys, size_t l, sm_order order, sm_index_type t, const void *idx,
                      size_t row, unsigned char *seen)
{
    memset(seen, 0, l);
    for (size_t j = 0; j < l; j++) {
        int64_t v = index_at(idx, t, row * l + j);
        FZ_CHECK(v >= 0 && (uint64_t)v < l, "row %zu: index %lld out of [0, %zu)", row, (long long)v, l);
        FZ_CHECK(!seen[v], "row %zu: index %lld twice", row, (long long)v);
        seen[v] = 1;
        if (j == 0) continue;
        int64_t u = index_at(idx, t, row * l + j - 1);
        int c = fz_cmp_torch(keys[u], keys[v]);
        if (order == SM_DESCENDING) c = -c;
        FZ_CHECK(c < 0 || (c == 0 && u < v), "row %zu: keys[%lld] = %a then keys[%lld] = %a out of order",
                 row, (long long)u, (double)keys[u], (long long)v, (double)keys[v]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    uint8_t fb = fz_u8(&in);
    /* Most inputs are valid calls; the top 32 byte values pick a fault. */
    enum fault fault = fb < 224 ? F_NONE : (enum fault)((fb - 224) % F_COUNT);
    uint8_t flags = fz_u8(&in);
    sm_order order = flags & 1 ? SM_DESCENDING : SM_ASCENDING;
    sm_index_type itype = flags & 2 ? SM_INDEX_I32 : SM_INDEX_I64;
    unsigned mode = (flags >> 2) & 3;
    size_t n_rows = fz_range(&in, 1, 1, 4);
    uint8_t cls = fz_u8(&in) % 3;
    uint64_t lraw = fz_bits(&in, 3);
    size_t l = cls == 0 ? 1 + lraw % 64 : cls == 1 ? 1 + lraw % 4096 : 1 + lraw % 70000;
    if (n_rows * l > 70000) n_rows = 1; /* keep one execution in milliseconds */
    fz_pool pool = fz_rest(&in);

    size_t count = n_rows * l, isz = itype == SM_INDEX_I32 ? 4 : 8;
    fz_buf keys_buf = fz_alloc(count * 4 + 8, 0);
    float *keys = (float *)keys_buf.p;
    fill_keys(keys, count, mode, &pool);
    fz_buf keys_copy = fz_alloc(count * 4, 0);
    memcpy(keys_copy.p, keys, count * 4);

    /* Call arguments, then the fault. */
    const float *a_keys = keys;
    size_t a_rows = n_rows, a_l = l;
    int a_order = (int)order, a_type = (int)itype;
    fz_buf out = fz_alloc(count * isz + 8, 0);
    void *a_idx = out.p;
    sm_status want = SM_OK;
    switch (fault) {
    case F_NONE: break;
    case F_NULL_KEYS: a_keys = NULL, want = SM_EINVAL; break;
    case F_NULL_IDX: a_idx = NULL, want = SM_EINVAL; break;
    case F_ZERO_ROWS: a_rows = 0, want = SM_EINVAL; break;
    case F_ZERO_L: a_l = 0, want = SM_EINVAL; break;
    case F_BAD_ORDER: a_order = lraw & 1 ? 2 : -1, want = SM_EINVAL; break;
    case F_BAD_TYPE: a_type = lraw & 1 ? 2 : -1, want = SM_EINVAL; break;
    case F_OVERFLOW: a_rows = SIZE_MAX / (l * 4) + 1 + (lraw & 0xFF), want = SM_EOVERFLOW; break;
    case F_L_I32: a_type = SM_INDEX_I32, a_rows = 1, a_l = (size_t)INT32_MAX + 1 + lraw, want = SM_EOVERFLOW; break;
    case F_L_U32: a_rows = 1, a_l = (size_t)UINT32_MAX + 1 + lraw, want = SM_EOVERFLOW; break;
    case F_ALIAS: /* indices start inside the keys */
        a_idx = (char *)keys + ((4 * (lraw % count)) & ~(isz - 1)), want = SM_EALIAS;
        break;
    case F_MISALIGN_KEYS: a_keys = (const float *)((const char *)keys + 1 + lraw % 3), want = SM_EINVAL; break;
    case F_MISALIGN_IDX: a_idx = (char *)out.p + 1 + lraw % (isz - 1), want = SM_EINVAL; break;
    case F_COUNT: break;
    }

    const char *backends[FZ_MAX_BACKENDS];
    size_t nb = fz_backends(backends, FZ_MAX_BACKENDS);
    fz_buf ref = fz_alloc(count * isz, 0);
    unsigned char *seen = malloc(l);
    for (size_t b = nb; b-- > 0;) { /* scalar first: it is the reference */
        fz_use(backends[b]);
        fz_recanary(&out);
        if (fault == F_ALIAS) memcpy(keys, keys_copy.p, count * 4);
        sm_status st = sm_argsort(a_keys, a_rows, a_l, (sm_order)a_order, (sm_index_type)a_type, a_idx);
        FZ_CHECK(st == want, "fault %d: status %d, expected %d", (int)fault, (int)st, (int)want);
        FZ_CHECK(memcmp(keys, keys_copy.p, count * 4) == 0, "the keys were modified");
        if (st != SM_OK) {
            FZ_CHECK(sm_last_error()[0] != '\0', "no message for status %d", (int)st);
            FZ_CHECK(fz_is_canary(&out), "indices written on error %d", (int)st);
            continue;
        }
        if (b == nb - 1) {
            for (size_t r = 0; r < n_rows; r++) check_row(keys + r * l, l, order, itype, out.p, r, seen);
            memcpy(ref.p, out.p, count * isz);
        } else {
            FZ_CHECK(memcmp(out.p, ref.p, count * isz) == 0, "indices differ from scalar (n %zu l %zu)",
                     n_rows, l);
        }
        /* Nothing past the last index is touched. */
        for (size_t i = count * isz; i < count * isz + 8; i++)
            FZ_CHECK(out.p[i] == fz_canary_byte(i), "byte %zu past the indices written", i);
    }
    free(seen);
    fz_free(&ref);
    fz_free(&out);
    fz_free(&keys_copy);
    fz_free(&keys_buf);
    return 0;
}
