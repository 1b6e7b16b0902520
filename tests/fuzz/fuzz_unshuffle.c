/* sm_unshuffle under attack: any N, L, len_keep in [0, L] (and beyond), row
 * sizes from 1 byte, both index types, ids_restore a permutation or any
 * values (in and out of range), x_masked NULL when nothing is kept, any
 * alignment of the row buffers, on every backend.
 *
 * Oracle: MAE's gather(cat([x_masked, mask_tokens]), 1, ids_restore)
 * written here row by row; on any error the output untouched.
 *
 * Input: [fault][flags][n][l: 2][len_keep: 2][row_bytes: 2][out-of-range
 *        rate] then the index pool. */
#include "fuzz_common.h"

enum fault {
    F_NONE, F_NULL_TOKEN, F_NULL_RESTORE, F_NULL_OUT, F_NULL_KEPT, F_ZERO_N, F_ZERO_L,
    F_ROW_BYTES_0, F_KEEP_GT_L, F_BAD_TYPE, F_OVERFLOW, F_ALIAS_KEPT, F_ALIAS_TOKEN,
    F_ALIAS_RESTORE, F_MISALIGN, F_COUNT
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    uint8_t fb = fz_u8(&in);
    enum fault fault = fb < 224 ? F_NONE : (enum fault)((fb - 224) % F_COUNT);
    uint8_t flags = fz_u8(&in);
    bool i32 = flags & 1, permutation = !(flags & 2), kept_null = flags & 4;
    size_t mis = (flags >> 3) & 7;
    size_t n = fz_range(&in, 1, 1, 6);
    size_t l = fz_range(&in, 2, 1, 1024);
    size_t keep = fz_range(&in, 2, 0, l);
    size_t row_bytes = fz_range(&in, 2, 1, 800);
    uint8_t oob_rate = fz_u8(&in);
    fz_pool pool = fz_rest(&in);
    if (n * l * row_bytes > (1u << 18)) row_bytes = 1 + row_bytes % 40;
    if (keep) kept_null = false; /* x_masked may be NULL only when nothing is kept */
    size_t isz = i32 ? 4 : 8;

    fz_buf kept = fz_alloc(n * keep * row_bytes, mis);
    for (size_t i = 0; i < kept.bytes; i++) kept.p[i] = (uint8_t)((i * 2654435761u) >> 9);
    fz_buf token = fz_alloc(row_bytes, (mis + 3) & 7);
    for (size_t i = 0; i < row_bytes; i++) token.p[i] = (uint8_t)(0x5A ^ i);
    fz_buf restore = fz_alloc(n * l * isz, 0);
    int64_t *vals = malloc(n * l * sizeof *vals);
    FZ_CHECK(vals != NULL, "malloc");
    bool any_bad = false;
    size_t first_bad = 0;
    for (size_t s = 0; s < n; s++) {
        int64_t *v = vals + s * l;
        if (permutation) { /* Fisher-Yates driven by the pool */
            for (size_t i = 0; i < l; i++) v[i] = (int64_t)i;
            for (size_t i = l; i-- > 1;) {
                size_t j = fz_pool_u32(&pool, s * l + i) % (i + 1);
                int64_t t = v[i];
                v[i] = v[j], v[j] = t;
            }
        } else {
            for (size_t i = 0; i < l; i++) v[i] = (int64_t)(fz_pool_u32(&pool, s * l + i) % l);
        }
        for (size_t i = 0; i < l; i++)
            if (fz_pool_byte(&pool, 3 * (s * l + i) + 1) < oob_rate / 8) {
                uint8_t sel = fz_pool_byte(&pool, 3 * (s * l + i) + 2);
                v[i] = sel & 1 ? -1 - (int64_t)(sel >> 1) : (int64_t)l + (sel >> 1);
                if (!i32 && sel >= 0xF0) v[i] = INT64_MIN + sel;
            }
    }
    for (size_t i = 0; i < n * l; i++) {
        if (!any_bad && (vals[i] < 0 || (uint64_t)vals[i] >= l)) any_bad = true, first_bad = i;
        if (i32) {
            int32_t w = (int32_t)vals[i];
            memcpy(restore.p + 4 * i, &w, 4);
        } else {
            memcpy(restore.p + 8 * i, &vals[i], 8);
        }
    }
    (void)first_bad;

    fz_buf expect = fz_alloc(n * l * row_bytes, 0);
    if (!any_bad)
        for (size_t s = 0; s < n; s++)
            for (size_t i = 0; i < l; i++) {
                int64_t r = vals[s * l + i];
                const unsigned char *from = (uint64_t)r < keep ? kept.p + (s * keep + (size_t)r) * row_bytes : token.p;
                memcpy(expect.p + (s * l + i) * row_bytes, from, row_bytes);
            }
    fz_buf copies = fz_alloc(kept.bytes + token.bytes + restore.bytes, 0);
    memcpy(copies.p, kept.p, kept.bytes);
    memcpy(copies.p + kept.bytes, token.p, token.bytes);
    memcpy(copies.p + kept.bytes + token.bytes, restore.p, restore.bytes);

    fz_buf out = fz_alloc(n * l * row_bytes, (mis + 5) & 7);
    const void *a_kept = kept_null ? NULL : kept.p, *a_token = token.p, *a_restore = restore.p;
    void *a_out = out.p;
    size_t a_n = n, a_l = l, a_keep = keep, a_rb = row_bytes;
    int a_type = i32 ? SM_INDEX_I32 : SM_INDEX_I64;
    sm_status want = any_bad ? SM_ERANGE : SM_OK;
    switch (fault) {
    case F_NONE: break;
    case F_NULL_TOKEN: a_token = NULL, want = SM_EINVAL; break;
    case F_NULL_RESTORE: a_restore = NULL, want = SM_EINVAL; break;
    case F_NULL_OUT: a_out = NULL, want = SM_EINVAL; break;
    case F_NULL_KEPT: /* NULL x_masked is an error only when something is kept */
        a_kept = NULL, a_keep = keep ? keep : 1, want = SM_EINVAL;
        break;
    case F_ZERO_N: a_n = 0, want = SM_EINVAL; break;
    case F_ZERO_L: a_l = 0, want = SM_EINVAL; break;
    case F_ROW_BYTES_0: a_rb = 0, want = SM_EINVAL; break;
    case F_KEEP_GT_L: a_keep = l + 1 + oob_rate, want = SM_EINVAL; break;
    case F_BAD_TYPE: a_type = -1 - (int)(oob_rate % 3), want = SM_EINVAL; break;
    case F_OVERFLOW: a_n = n * l == 1 ? 2 : n, a_rb = SIZE_MAX / (a_n * l) + 1, want = SM_EOVERFLOW; break;
    case F_ALIAS_KEPT:
        if (kept.bytes) a_out = kept.p + oob_rate % kept.bytes, want = SM_EALIAS;
        break;
    case F_ALIAS_TOKEN: a_out = token.p + oob_rate % token.bytes, want = SM_EALIAS; break;
    case F_ALIAS_RESTORE: a_out = restore.p + oob_rate % restore.bytes, want = SM_EALIAS; break;
    case F_MISALIGN: a_restore = restore.p + 1 + oob_rate % (isz - 1), want = SM_EINVAL; break;
    case F_COUNT: break;
    }

    const char *backends[FZ_MAX_BACKENDS];
    size_t nb = fz_backends(backends, FZ_MAX_BACKENDS);
    for (size_t b = 0; b < nb; b++) {
        fz_use(backends[b]);
        fz_recanary(&out);
        sm_status st = sm_unshuffle(a_kept, a_token, a_restore, (sm_index_type)a_type, a_n, a_l, a_keep, a_rb, a_out);
        FZ_CHECK(st == want, "fault %d: status %d, expected %d", (int)fault, (int)st, (int)want);
        FZ_CHECK(memcmp(copies.p, kept.p, kept.bytes) == 0 &&
                     memcmp(copies.p + kept.bytes, token.p, token.bytes) == 0 &&
                     memcmp(copies.p + kept.bytes + token.bytes, restore.p, restore.bytes) == 0,
                 "an input was modified");
        if (st != SM_OK) {
            FZ_CHECK(sm_last_error()[0] != '\0', "no message for status %d", (int)st);
            FZ_CHECK(fz_is_canary(&out), "out written on error %d", (int)st);
            continue;
        }
        FZ_CHECK(memcmp(out.p, expect.p, out.bytes) == 0, "out differs from the reference restore");
    }
    fz_free(&out);
    fz_free(&copies);
    fz_free(&expect);
    free(vals);
    fz_free(&restore);
    fz_free(&token);
    fz_free(&kept);
    return 0;
}
