/* sm_gather_rows under attack: any N, L, K, row sizes from 1 byte, both index
 * types, indices in and out of range (negative, L, INT_MIN, huge), any
 * alignment of the row buffers, on every backend.
 *
 * Oracle: a memcpy gather written here; the first out-of-range index named
 * in PyTorch's words; on any error the output untouched.
 *
 * Input: [fault][flags][n][l: 2][row_bytes: 2][k: 2][out-of-range rate]
 *        then the index pool. */
#include <inttypes.h>

#include "fuzz_common.h"

enum fault {
    F_NONE, F_NULL_SRC, F_NULL_IDX, F_NULL_OUT, F_ZERO_N, F_ZERO_L, F_ROW_BYTES_0, F_BAD_TYPE,
    F_OVERFLOW_SRC, F_OVERFLOW_K, F_ALIAS_SRC, F_ALIAS_IDX, F_MISALIGN, F_COUNT
};

static int64_t bad_value(uint8_t sel, size_t l, bool i32)
{
    switch (sel % 8) {
    case 0: return -1;
    case 1: return (int64_t)l;
    case 2: return (int64_t)l + 1;
    case 3: return i32 ? INT32_MIN : INT64_MIN;
    case 4: return i32 ? INT32_MAX : INT64_MAX;
    case 5: return -(int64_t)l;
    case 6: return i32 ? (int64_t)(l + 1000) : (int64_t)1 << 40;
    default: return i32 ? -2 : (int64_t)UINT32_MAX + 1; /* wraps to 0 as uint32 */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    uint8_t fb = fz_u8(&in);
    enum fault fault = fb < 224 ? F_NONE : (enum fault)((fb - 224) % F_COUNT);
    uint8_t flags = fz_u8(&in);
    bool i32 = flags & 1;
    size_t mis_src = (flags >> 1) & 7, mis_out = (flags >> 4) & 7;
    size_t n = fz_range(&in, 1, 1, 6);
    size_t l = fz_range(&in, 2, 1, 600);
    size_t row_bytes = fz_range(&in, 2, 1, 1024);
    size_t k = fz_range(&in, 2, 0, 2 * l);
    uint8_t oob_rate = fz_u8(&in);
    fz_pool pool = fz_rest(&in);
    if (n * l * row_bytes > (1u << 18) || n * k * row_bytes > (1u << 18)) row_bytes = 1 + row_bytes % 40;
    sm_index_type itype = i32 ? SM_INDEX_I32 : SM_INDEX_I64;
    size_t isz = i32 ? 4 : 8;

    fz_buf src = fz_alloc(n * l * row_bytes, mis_src);
    for (size_t i = 0; i < src.bytes; i++) src.p[i] = (uint8_t)((i * 2654435761u) >> 11);
    fz_buf idx = fz_alloc(n * k * isz, 0);
    ptrdiff_t first_bad = -1;
    for (size_t i = 0; i < n * k; i++) {
        /* oob_rate / 256 of the inputs that set it have out-of-range values;
         * rate 0 (most) means none. */
        uint8_t r = fz_pool_byte(&pool, 5 * i);
        int64_t v = r < oob_rate / 8 ? bad_value(fz_pool_byte(&pool, 5 * i + 1), l, i32)
                                     : (int64_t)(fz_pool_u32(&pool, i) % l);
        if (first_bad < 0 && (v < 0 || (uint64_t)v >= l)) first_bad = (ptrdiff_t)i;
        if (i32) {
            int32_t w = (int32_t)v;
            memcpy(idx.p + 4 * i, &w, 4);
        } else {
            memcpy(idx.p + 8 * i, &v, 8);
        }
    }
    fz_buf idx_copy = fz_alloc(idx.bytes, 0), src_copy = fz_alloc(src.bytes, 0);
    memcpy(idx_copy.p, idx.p, idx.bytes);
    memcpy(src_copy.p, src.p, src.bytes);

    /* The expected output, by memcpy. */
    fz_buf want_out = fz_alloc(n * k * row_bytes, 0);
    if (first_bad < 0)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < k; j++) {
                int64_t v = i32 ? ((const int32_t *)(const void *)idx.p)[i * k + j]
                                : ((const int64_t *)(const void *)idx.p)[i * k + j];
                memcpy(want_out.p + (i * k + j) * row_bytes, src.p + (i * l + (size_t)v) * row_bytes, row_bytes);
            }

    fz_buf out = fz_alloc(n * k * row_bytes, mis_out);
    const void *a_src = src.p, *a_idx = idx.p;
    void *a_out = out.p;
    size_t a_n = n, a_l = l, a_rb = row_bytes, a_k = k;
    int a_type = (int)itype;
    sm_status want = first_bad >= 0 ? SM_ERANGE : SM_OK;
    switch (fault) {
    case F_NONE: break;
    case F_NULL_SRC: a_src = NULL, want = SM_EINVAL; break;
    case F_NULL_IDX: a_idx = NULL, want = SM_EINVAL; break;
    case F_NULL_OUT: a_out = NULL, want = SM_EINVAL; break;
    case F_ZERO_N: a_n = 0, want = SM_EINVAL; break;
    case F_ZERO_L: a_l = 0, want = SM_EINVAL; break;
    case F_ROW_BYTES_0: a_rb = 0, want = SM_EINVAL; break;
    case F_BAD_TYPE: a_type = 2 + (int)(oob_rate % 3), want = SM_EINVAL; break;
    case F_OVERFLOW_SRC: /* n x l = 1 cannot overflow */
        a_n = n * l == 1 ? 2 : n, a_rb = SIZE_MAX / (a_n * l) + 1, want = SM_EOVERFLOW;
        break;
    case F_OVERFLOW_K: a_k = SIZE_MAX / n + 1, a_n = n == 1 ? 2 : n, want = SM_EOVERFLOW; break;
    case F_ALIAS_SRC: /* out starts inside src (an empty out overlaps nothing) */
        if (k) a_out = src.p + oob_rate % src.bytes, want = SM_EALIAS;
        break;
    case F_ALIAS_IDX:
        if (k) a_out = idx.p + oob_rate % idx.bytes, want = SM_EALIAS;
        break;
    case F_MISALIGN: a_idx = idx.p + 1 + oob_rate % (isz - 1), want = SM_EINVAL; break;
    case F_COUNT: break;
    }
    if (fault == F_OVERFLOW_K && n == 1) a_k = SIZE_MAX / 2 + 1;

    const char *backends[FZ_MAX_BACKENDS];
    size_t nb = fz_backends(backends, FZ_MAX_BACKENDS);
    for (size_t b = 0; b < nb; b++) {
        fz_use(backends[b]);
        fz_recanary(&out);
        sm_status st = sm_gather_rows(a_src, a_n, a_l, a_rb, a_idx, (sm_index_type)a_type, a_k, a_out);
        FZ_CHECK(st == want, "fault %d: status %d, expected %d", (int)fault, (int)st, (int)want);
        FZ_CHECK(memcmp(idx.p, idx_copy.p, idx.bytes) == 0 && memcmp(src.p, src_copy.p, src.bytes) == 0,
                 "an input was modified");
        if (st != SM_OK) {
            FZ_CHECK(sm_last_error()[0] != '\0', "no message for status %d", (int)st);
            FZ_CHECK(fz_is_canary(&out), "out written on error %d", (int)st);
            if (st == SM_ERANGE) {
                char msg[128];
                int64_t v = i32 ? ((const int32_t *)(const void *)idx.p)[first_bad]
                                : ((const int64_t *)(const void *)idx.p)[first_bad];
                snprintf(msg, sizeof msg, "index %" PRId64 " is out of bounds for dimension 1 with size %zu", v, l);
                FZ_CHECK(strcmp(sm_last_error(), msg) == 0, "message \"%s\", expected \"%s\"", sm_last_error(), msg);
            }
            continue;
        }
        FZ_CHECK(memcmp(out.p, want_out.p, out.bytes) == 0, "out differs from the memcpy gather");
    }
    fz_free(&out);
    fz_free(&want_out);
    fz_free(&src_copy);
    fz_free(&idx_copy);
    fz_free(&idx);
    fz_free(&src);
    return 0;
}
