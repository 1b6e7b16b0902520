/* sm_gather (torch.gather) under attack: ranks 1 to 8, any shapes (0
 * included), dense, padded, random and stride-0 views on both tensors,
 * element sizes 1/2/4/8 and invalid ones, dims in and out of range (negative
 * too), index shapes within and beyond the input's, index values in and out
 * of range, the MAE expand pattern that runs as the row gather, misaligned
 * input and output, on every backend.
 *
 * Oracle: torch.gather's definition written here by unravelling each output
 * position; status by the rules of SPEC section 4; on any error the output
 * untouched.
 *
 * Input: [fault][nd][elem][dim][flags][misalign] then per dim [input size]
 *        [index size][input stride][index stride], [out-of-range rate], then
 *        the index pool. */
#include "fuzz_common.h"

enum fault {
    F_NONE, F_NULL_INPUT, F_NULL_INDEX, F_NDIM, F_NULL_SHAPE, F_NEG_SHAPE, F_NEG_STRIDE,
    F_NULL_DATA, F_RANK, F_NULL_OUT, F_OVERFLOW, F_ALIAS_INPUT, F_ALIAS_INDEX, F_MISALIGN, F_COUNT
};

#define MAXD (SM_MAX_DIMS + 1)

static size_t extent_of(int nd, const int64_t *shape, const int64_t *stride)
{
    size_t e = 1;
    for (int d = 0; d < nd; d++) {
        if (shape[d] == 0) return 0;
        e += (size_t)(shape[d] - 1) * (size_t)stride[d];
    }
    return e;
}

static void make_strides(int nd, const int64_t *shape, unsigned mode, const uint8_t *bytes, int64_t *st)
{
    int64_t dense = 1;
    for (int d = nd - 1; d >= 0; d--) {
        switch (mode) {
        case 2: st[d] = bytes[d] % 6; break;                   /* anything, 0 included */
        case 3: st[d] = dense * 2 + (bytes[d] & 1); break;     /* padded */
        default: st[d] = dense; break;                         /* dense */
        }
        dense *= shape[d] ? shape[d] : 1;
        if (mode == 3) dense = st[d] * (shape[d] ? shape[d] : 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    uint8_t fb = fz_u8(&in);
    enum fault fault = fb < 208 ? F_NONE : (enum fault)((fb - 208) % F_COUNT);
    int nd = (int)fz_range(&in, 1, 1, SM_MAX_DIMS);
    uint8_t esel = fz_u8(&in), dsel = fz_u8(&in), flags = fz_u8(&in), missel = fz_u8(&in);
    static const size_t good_sizes[4] = { 1, 2, 4, 8 }, bad_sizes[4] = { 0, 3, 16, 5 };
    bool elem_bad = esel >= 0xF8;
    size_t es = elem_bad ? bad_sizes[esel & 3] : good_sizes[esel & 3];
    bool row_pattern = (flags & 0x30) == 0x30;
    if (row_pattern) nd = 3;
    int64_t maxs = nd <= 2 ? 24 : nd <= 4 ? 6 : 3;
    bool dim_bad = dsel >= 0xF0;
    int dim = dim_bad ? (dsel & 1 ? nd + (dsel >> 1) % 3 : -nd - 1 - (dsel >> 1) % 3) : (int)(dsel % nd);
    int pdim = dim; /* dim as a position */
    if (!dim_bad && (dsel & 0x40)) dim -= nd; /* the same dim, counted from the end */
    if (row_pattern) dim = dsel & 1 ? 1 : -2, pdim = 1, dim_bad = false;

    int64_t ish[MAXD] = { 0 }, xsh[MAXD] = { 0 }, ist[MAXD] = { 0 }, xst[MAXD] = { 0 };
    uint8_t ib[MAXD] = { 0 }, xb[MAXD] = { 0 };
    for (int d = 0; d < nd; d++) {
        ish[d] = (int64_t)(fz_u8(&in) % (maxs + 1));
        uint8_t xs = fz_u8(&in);
        xsh[d] = d == pdim || dim_bad ? (int64_t)(xs % (maxs + 1)) : (int64_t)(xs % (ish[d] + 1));
        ib[d] = fz_u8(&in), xb[d] = fz_u8(&in);
    }
    uint8_t oob_rate = fz_u8(&in);
    fz_pool pool = fz_rest(&in);
    /* Index larger than input at some d != dim: an error. */
    bool violate = false;
    if ((flags & 0x30) == 0x10 && !dim_bad && nd > 1) {
        int d = pdim == 0 ? 1 : 0;
        xsh[d] = ish[d] + 1, violate = true;
    }
    bool in_strides_null = (flags & 3) == 0, ix_strides_null = ((flags >> 2) & 3) == 0;
    make_strides(nd, ish, flags & 3, ib, ist);
    make_strides(nd, xsh, (flags >> 2) & 3, xb, xst);
    if (row_pattern) { /* dense [N, L, D] input; [N, K] index expanded over D */
        xsh[0] = ish[0], xsh[2] = ish[2];
        in_strides_null = true, make_strides(3, ish, 0, ib, ist);
        ix_strides_null = false, xst[0] = xsh[1], xst[1] = 1, xst[2] = 0;
    }

    size_t in_ext = extent_of(nd, ish, ist), ix_ext = extent_of(nd, xsh, xst);
    size_t ix_numel = 1;
    for (int d = 0; d < nd; d++) ix_numel *= (size_t)xsh[d];
    size_t mis_in = missel & 7, mis_out = (missel >> 3) & 7;
    fz_buf input = fz_alloc(in_ext * es, mis_in);
    for (size_t i = 0; i < input.bytes; i++) input.p[i] = (uint8_t)((i * 2654435761u) >> 7);
    fz_buf index = fz_alloc(ix_ext * 8, 0);
    int64_t dsize = dim_bad ? 1 : ish[pdim];
    for (size_t i = 0; i < ix_ext; i++) {
        int64_t v;
        if (fz_pool_byte(&pool, 5 * i + 4) < oob_rate / 8) {
            uint8_t s = fz_pool_byte(&pool, 5 * i);
            v = s & 1 ? -1 - (s >> 1) : dsize + (s >> 1);
            if (s >= 0xFC) v = s & 2 ? INT64_MIN : INT64_MAX;
        } else {
            v = dsize ? (int64_t)(fz_pool_u32(&pool, i) % (uint64_t)dsize) : (int64_t)fz_pool_u32(&pool, i);
        }
        memcpy(index.p + 8 * i, &v, 8);
    }
    fz_buf copies = fz_alloc(input.bytes + index.bytes, 0);
    memcpy(copies.p, input.p, input.bytes);
    memcpy(copies.p + input.bytes, index.p, index.bytes);

    /* The expected output and status. */
    bool einval = elem_bad || dim_bad || violate, oob = false;
    fz_buf expect = fz_alloc(ix_numel * (elem_bad ? 1 : es), 0);
    if (!einval)
        for (size_t e = 0; e < ix_numel; e++) {
            size_t rest = e, ioff = 0, soff = 0;
            int64_t v = 0;
            for (int d = nd - 1; d >= 0; d--) {
                size_t p = rest % (size_t)xsh[d];
                rest /= (size_t)xsh[d];
                ioff += p * (size_t)xst[d];
                if (d != pdim) soff += p * (size_t)ist[d];
            }
            memcpy(&v, index.p + 8 * ioff, 8);
            if (v < 0 || v >= ish[pdim]) {
                oob = true;
                break;
            }
            soff += (size_t)v * (size_t)ist[pdim];
            memcpy(expect.p + e * es, input.p + soff * es, es);
        }
    sm_status base = einval ? SM_EINVAL : ix_numel == 0 ? SM_OK : oob ? SM_ERANGE : SM_OK;
    /* Faults found once the views are read but before indices are: what a
     * call that gets that far returns. */
    sm_status late = einval ? SM_EINVAL : ix_numel == 0 ? SM_OK : SM_EINVAL;

    fz_buf out = fz_alloc(ix_numel * (elem_bad ? 1 : es), mis_out);
    int64_t ish2[MAXD], ist2[MAXD];
    memcpy(ish2, ish, sizeof ish);
    memcpy(ist2, ist, sizeof ist);
    sm_view vin = { input.p, nd, ish2, in_strides_null ? NULL : ist2 };
    sm_view vix = { index.p, nd, xsh, ix_strides_null ? NULL : xst };
    const sm_view *a_in = &vin, *a_ix = &vix;
    void *a_out = out.p;
    sm_status want = base;
    switch (fault) {
    case F_NONE: break;
    case F_NULL_INPUT: a_in = NULL, want = SM_EINVAL; break;
    case F_NULL_INDEX: a_ix = NULL, want = SM_EINVAL; break;
    case F_NDIM: (oob_rate & 1 ? &vin : &vix)->ndim = oob_rate & 2 ? 0 : SM_MAX_DIMS + 1, want = SM_EINVAL; break;
    case F_NULL_SHAPE: (oob_rate & 1 ? &vin : &vix)->shape = NULL, want = SM_EINVAL; break;
    case F_NEG_SHAPE: ish2[oob_rate % nd] = -1 - (oob_rate >> 4), want = SM_EINVAL; break;
    case F_NEG_STRIDE: vin.strides = ist2, ist2[oob_rate % nd] = -1 - (oob_rate >> 4), want = SM_EINVAL; break;
    case F_NULL_DATA: vin.data = NULL, want = in_ext ? SM_EINVAL : base; break;
    case F_RANK: /* index one rank more (or less): its shape arrays have room */
        vix.ndim = nd == SM_MAX_DIMS ? nd - 1 : nd + 1, vix.strides = NULL, xsh[nd] = 1, want = SM_EINVAL;
        break;
    case F_NULL_OUT: a_out = NULL, want = late; break;
    case F_OVERFLOW: /* an input spanning more than 2^64 elements */
        vin.strides = ist2, ish2[0] = (int64_t)1 << 62, ist2[0] = 8, want = SM_EOVERFLOW;
        break;
    case F_ALIAS_INPUT:
        if (input.bytes && out.bytes) a_out = input.p + oob_rate % input.bytes, want = einval ? SM_EINVAL : SM_EALIAS;
        break;
    case F_ALIAS_INDEX:
        if (index.bytes && out.bytes) a_out = index.p + oob_rate % index.bytes, want = einval ? SM_EINVAL : SM_EALIAS;
        break;
    case F_MISALIGN: vix.data = index.p + 1 + oob_rate % 7, want = late; break;
    case F_COUNT: break;
    }

    const char *backends[FZ_MAX_BACKENDS];
    size_t nb = fz_backends(backends, FZ_MAX_BACKENDS);
    for (size_t b = 0; b < nb; b++) {
        fz_use(backends[b]);
        fz_recanary(&out);
        sm_status st = sm_gather(a_in, es, dim, a_ix, a_out);
        FZ_CHECK(st == want, "fault %d: status %d, expected %d (nd %d dim %d es %zu)", (int)fault, (int)st,
                 (int)want, nd, dim, es);
        FZ_CHECK(memcmp(copies.p, input.p, input.bytes) == 0 &&
                     memcmp(copies.p + input.bytes, index.p, index.bytes) == 0,
                 "an input was modified");
        if (st != SM_OK) {
            FZ_CHECK(sm_last_error()[0] != '\0', "no message for status %d", (int)st);
            FZ_CHECK(fz_is_canary(&out), "out written on error %d", (int)st);
            continue;
        }
        FZ_CHECK(memcmp(out.p, expect.p, out.bytes) == 0, "out differs from torch.gather's definition");
    }
    fz_free(&out);
    fz_free(&expect);
    fz_free(&copies);
    fz_free(&index);
    fz_free(&input);
    return 0;
}
