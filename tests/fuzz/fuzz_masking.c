/* sm_random_masking under attack: N, L, the ratio as raw double bits, seed,
 * stream, start row, generator kind (philox, torch part-way through its
 * stream, caller-given noise of any float bits), index and mask types, which
 * outputs are asked for, row sizes, thread count, on every backend.
 *
 * Oracle: a reference call (scalar, 1 thread, every output) must satisfy
 * MAE's invariants: ids_shuffle a permutation sorting the noise stably
 * (PyTorch's order, ties in index order), ids_restore its inverse, ids_keep
 * its head, exactly len_keep zeros per mask row, x_masked rows equal to the
 * source rows, noise equal to noise_in or to sm_rng_uniform's draw, the
 * generator advanced as documented. Every backend at the fuzzed thread count,
 * with the fuzzed subset of outputs, must give the same bytes. A bad argument
 * must return the expected status and change no output, generator or
 * len_keep.
 *
 * Input: [fault][flags][outputs][n][l: 2 (see below)][row_bytes][ratio mode][ratio: 8]
 *        [seed: 8][stream: 4][row: 8][threads][torch pre-draw: 2] then the
 *        noise pool. */
#include <math.h>

#include "fuzz_common.h"

enum fault {
    F_NONE, F_NULL_M, F_ZERO_N, F_ZERO_L, F_BOTH_SOURCES, F_NO_SOURCE, F_BAD_KIND, F_BAD_MTI,
    F_BAD_ITYPE, F_BAD_MTYPE, F_L_I32, F_OVERFLOW, F_X_NULL, F_ROW_BYTES_0, F_ALIAS_OUTPUTS,
    F_ALIAS_X, F_ALIAS_NOISE_IN, F_ALIAS_RNG, F_ALIAS_M, F_MISALIGN, F_COUNT
};

enum { O_NOISE = 1, O_SHUFFLE = 2, O_RESTORE = 4, O_KEEP = 8, O_MASK = 16, O_XM = 32 };

struct bufs {
    fz_buf noise, shuffle, restore, keep, mask, xm;
};

static void alloc_outputs(struct bufs *b, size_t n, size_t l, size_t keep, size_t isz, size_t msz,
                          size_t row_bytes, size_t mis)
{
    b->noise = fz_alloc(n * l * 4, 0);
    b->shuffle = fz_alloc(n * l * isz, 0);
    b->restore = fz_alloc(n * l * isz, 0);
    b->keep = fz_alloc(n * keep * isz, 0);
    b->mask = fz_alloc(n * l * msz, 0);
    b->xm = fz_alloc(n * keep * row_bytes, mis);
}

static void free_outputs(struct bufs *b)
{
    fz_free(&b->noise), fz_free(&b->shuffle), fz_free(&b->restore);
    fz_free(&b->keep), fz_free(&b->mask), fz_free(&b->xm);
}

static void recanary(struct bufs *b)
{
    fz_recanary(&b->noise), fz_recanary(&b->shuffle), fz_recanary(&b->restore);
    fz_recanary(&b->keep), fz_recanary(&b->mask), fz_recanary(&b->xm);
}

static bool all_canary(const struct bufs *b)
{
    return fz_is_canary(&b->noise) && fz_is_canary(&b->shuffle) && fz_is_canary(&b->restore) &&
           fz_is_canary(&b->keep) && fz_is_canary(&b->mask) && fz_is_canary(&b->xm);
}

/* Field by field: the struct has tail padding, which memcmp would read. */
static bool rng_eq(const sm_rng *a, const sm_rng *b)
{
    return a->kind == b->kind && a->stream == b->stream && a->seed == b->seed && a->row == b->row &&
           a->mti == b->mti && memcmp(a->mt, b->mt, sizeof a->mt) == 0;
}

static int64_t idx_at(const fz_buf *b, size_t isz, size_t i)
{
    if (isz == 4) {
        int32_t v;
        memcpy(&v, b->p + 4 * i, 4);
        return v;
    }
    int64_t v;
    memcpy(&v, b->p + 8 * i, 8);
    return v;
}

static void check_reference(const struct bufs *r, const float *noise, size_t n, size_t l, size_t keep,
                            size_t isz, bool mask_u8, const unsigned char *x, size_t row_bytes)
{
    unsigned char *seen = malloc(l);
    FZ_CHECK(seen != NULL, "malloc");
    for (size_t s = 0; s < n; s++) {
        const float *nz = noise + s * l;
        size_t zeros = 0;
        memset(seen, 0, l);
        for (size_t j = 0; j < l; j++) {
            int64_t v = idx_at(&r->shuffle, isz, s * l + j);
            FZ_CHECK(v >= 0 && (uint64_t)v < l && !seen[v], "row %zu: ids_shuffle[%zu] = %lld", s, j,
                     (long long)v);
            seen[v] = 1;
            FZ_CHECK(idx_at(&r->restore, isz, s * l + (size_t)v) == (int64_t)j,
                     "row %zu: ids_restore is not the inverse at %lld", s, (long long)v);
            if (j < keep)
                FZ_CHECK(idx_at(&r->keep, isz, s * keep + j) == v, "row %zu: ids_keep[%zu]", s, j);
            if (j > 0) {
                int64_t u = idx_at(&r->shuffle, isz, s * l + j - 1);
                int c = fz_cmp_torch(nz[u], nz[v]);
                FZ_CHECK(c < 0 || (c == 0 && u < v), "row %zu: noise[%lld] = %a before noise[%lld] = %a", s,
                         (long long)u, (double)nz[u], (long long)v, (double)nz[v]);
            }
            if (j < keep && row_bytes)
                FZ_CHECK(memcmp(r->xm.p + (s * keep + j) * row_bytes, x + (s * l + (size_t)v) * row_bytes,
                                row_bytes) == 0,
                         "row %zu: x_masked[%zu] is not x[%lld]", s, j, (long long)v);
        }
        for (size_t i = 0; i < l; i++) {
            int removed;
            if (mask_u8) {
                FZ_CHECK(r->mask.p[s * l + i] <= 1, "mask byte %u", r->mask.p[s * l + i]);
                removed = r->mask.p[s * l + i];
            } else {
                float f;
                memcpy(&f, r->mask.p + 4 * (s * l + i), 4);
                FZ_CHECK(f == 0.0f || f == 1.0f, "mask value %a", (double)f);
                removed = f == 1.0f;
            }
            zeros += !removed;
            FZ_CHECK(removed == (idx_at(&r->restore, isz, s * l + i) >= (int64_t)keep),
                     "row %zu: mask[%zu] disagrees with ids_restore", s, i);
        }
        FZ_CHECK(zeros == keep, "row %zu: %zu zeros in the mask, len_keep %zu", s, zeros, keep);
    }
    free(seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { data, size, 0 };
    uint8_t fb = fz_u8(&in);
    enum fault fault = fb < 208 ? F_NONE : (enum fault)((fb - 208) % F_COUNT);
    uint8_t flags = fz_u8(&in), want_out = fz_u8(&in);
    size_t n = fz_range(&in, 1, 1, 8);
    /* Mostly L <= 2048; 1 in 8 spans 4000..8499, across the SIMD backends'
     * cut-over to radix sorts of noise at 4096 (N <= 2 there, to stay fast). */
    uint64_t lraw = fz_bits(&in, 2);
    size_t l = lraw < 0xE000 ? 1 + lraw % 2048 : 4000 + lraw % 4500;
    if (l > 2048 && n > 2) n = 2;
    size_t row_bytes = fz_range(&in, 1, 1, 67);
    uint8_t ratio_mode = fz_u8(&in);
    uint64_t ratio_bits = fz_bits(&in, 8);
    double ratio;
    if (ratio_mode < 192) { /* mostly valid ratios, 0 and 1 included */
        ratio = (double)(ratio_bits & 0xFFFF) / 65535.0;
    } else {
        memcpy(&ratio, &ratio_bits, 8);
    }
    uint64_t seed = fz_bits(&in, 8);
    uint32_t stream = (uint32_t)fz_bits(&in, 4);
    uint64_t row0 = fz_bits(&in, 8);
    int threads = (int)fz_range(&in, 1, 1, 4);
    size_t predraw = fz_bits(&in, 2) % 1300; /* up to two twists into the torch stream */
    fz_pool pool = fz_rest(&in);

    sm_index_type itype = flags & 1 ? SM_INDEX_I32 : SM_INDEX_I64;
    bool mask_u8 = flags & 2;
    unsigned source = (flags >> 2) & 3; /* 0 philox, 1 torch, 2 and 3 noise_in */
    size_t mis = (flags >> 4) & 7;      /* misalignment of x and x_masked */
    size_t isz = itype == SM_INDEX_I32 ? 4 : 8, msz = mask_u8 ? 1 : 4;

    bool ratio_ok = ratio >= 0.0 && ratio <= 1.0;
    if (fault != F_NONE && !ratio_ok) ratio = 0.5, ratio_ok = true; /* one fault at a time */
    size_t keep = ratio_ok ? (size_t)trunc((double)l * (1.0 - ratio)) : 0;
    sm_status want = ratio_ok ? SM_OK : SM_EINVAL;

    /* Inputs. */
    fz_buf x = fz_alloc(n * l * row_bytes, mis);
    for (size_t i = 0; i < x.bytes; i++) x.p[i] = (uint8_t)(i * 2654435761u >> 13);
    fz_buf noise_in = fz_alloc(n * l * 4, 0);
    float *nin = (float *)noise_in.p;
    for (size_t i = 0; i < n * l; i++) {
        if (source == 2) /* any bits */
            nin[i] = fz_float_from_bits(fz_pool_u32(&pool, i));
        else /* tie-rich values with the specials among them */
            nin[i] = fz_pool_byte(&pool, i) >= 0xF0 ? fz_special_float(fz_pool_byte(&pool, i + 1))
                                                    : (float)(fz_pool_byte(&pool, i) & 15) / 16.0f;
    }
    fz_buf nin_copy = fz_alloc(noise_in.bytes, 0), x_copy = fz_alloc(x.bytes, 0);
    memcpy(nin_copy.p, noise_in.p, noise_in.bytes);
    memcpy(x_copy.p, x.p, x.bytes);
    sm_rng rng0;
    sm_rng_init(&rng0, source == 1 ? SM_RNG_TORCH : SM_RNG_PHILOX, seed, stream);
    if (source == 0) rng0.row = row0;
    if (source == 1 && predraw) {
        float *tmp = malloc(predraw * 4);
        FZ_CHECK(tmp && sm_rng_uniform(&rng0, tmp, 1, predraw) == SM_OK, "pre-draw");
        free(tmp);
    }

    /* Reference: scalar, one thread, every output. */
    struct bufs ref, out;
    alloc_outputs(&ref, n, l, keep, isz, msz, row_bytes, 0);
    alloc_outputs(&out, n, l, keep, isz, msz, row_bytes, mis);
    sm_rng rng_ref = rng0;
    if (want == SM_OK) {
        fz_use("scalar");
        sm_set_num_threads(1);
        sm_masking m = {
            .n = n, .l = l, .mask_ratio = ratio,
            .rng = source < 2 ? &rng_ref : NULL, .noise_in = source < 2 ? NULL : nin,
            .x = x.p, .row_bytes = row_bytes, .index_type = itype,
            .mask_type = mask_u8 ? SM_MASK_U8 : SM_MASK_F32,
            .noise = (float *)ref.noise.p, .ids_shuffle = ref.shuffle.p, .ids_restore = ref.restore.p,
            .ids_keep = ref.keep.p, .mask = ref.mask.p, .x_masked = ref.xm.p,
        };
        sm_status st = sm_random_masking(&m);
        FZ_CHECK(st == SM_OK, "reference call: status %d", (int)st);
        FZ_CHECK(m.len_keep == keep, "len_keep %zu, expected %zu", m.len_keep, keep);
        const float *noise = (const float *)ref.noise.p;
        if (source < 2) { /* the noise is the generator's own draw */
            sm_rng g = rng0;
            fz_buf draw = fz_alloc(n * l * 4, 0);
            FZ_CHECK(sm_rng_uniform(&g, (float *)draw.p, n, l) == SM_OK, "sm_rng_uniform");
            FZ_CHECK(memcmp(draw.p, noise, n * l * 4) == 0, "noise is not sm_rng_uniform's draw");
            FZ_CHECK(rng_eq(&g, &rng_ref), "generator advanced differently");
            fz_free(&draw);
            if (source == 0) FZ_CHECK(rng_ref.row == row0 + n, "philox row not advanced by n");
        } else {
            FZ_CHECK(memcmp(noise, nin, n * l * 4) == 0, "noise is not noise_in");
        }
        check_reference(&ref, noise, n, l, keep, isz, mask_u8, x.p, row_bytes);
    }

    const char *backends[FZ_MAX_BACKENDS];
    size_t nb = fz_backends(backends, FZ_MAX_BACKENDS);
    sm_set_num_threads(threads);
    for (size_t b = 0; b < nb; b++) {
        fz_use(backends[b]);
        recanary(&out);
        sm_rng rng = rng0;
        sm_masking m = {
            .n = n, .l = l, .mask_ratio = ratio,
            .rng = source < 2 ? &rng : NULL, .noise_in = source < 2 ? NULL : nin,
            .x = x.p, .row_bytes = row_bytes, .index_type = itype,
            .mask_type = mask_u8 ? SM_MASK_U8 : SM_MASK_F32,
            .noise = want_out & O_NOISE ? (float *)out.noise.p : NULL,
            .ids_shuffle = want_out & O_SHUFFLE ? out.shuffle.p : NULL,
            .ids_restore = want_out & O_RESTORE ? out.restore.p : NULL,
            .ids_keep = want_out & O_KEEP ? out.keep.p : NULL,
            .mask = want_out & O_MASK ? out.mask.p : NULL,
            .x_masked = want_out & O_XM ? out.xm.p : NULL,
            .len_keep = 0xC0FFEE,
        };
        sm_masking *mp = &m;
        sm_status fw = SM_OK;
        switch (fault) {
        case F_NONE: break;
        case F_NULL_M: mp = NULL, fw = SM_EINVAL; break;
        case F_ZERO_N: m.n = 0, fw = SM_EINVAL; break;
        case F_ZERO_L: m.l = 0, fw = SM_EINVAL; break;
        case F_BOTH_SOURCES: m.rng = &rng, m.noise_in = nin, fw = SM_EINVAL; break;
        case F_NO_SOURCE: m.rng = NULL, m.noise_in = NULL, fw = SM_EINVAL; break;
        case F_BAD_KIND: m.rng = &rng, m.noise_in = NULL, rng.kind = 2 + (uint32_t)seed % 100, fw = SM_EINVAL; break;
        case F_BAD_MTI:
            sm_rng_init(&rng, SM_RNG_TORCH, seed, 0);
            rng.mti = SM_MT_N + 1 + (uint32_t)(seed % 1000), m.rng = &rng, m.noise_in = NULL, fw = SM_EINVAL;
            break;
        case F_BAD_ITYPE: m.index_type = (sm_index_type)(2 + seed % 5), fw = SM_EINVAL; break;
        case F_BAD_MTYPE: m.mask_type = (sm_mask_type)(2 + seed % 5), fw = SM_EINVAL; break;
        case F_L_I32:
            m.index_type = SM_INDEX_I32, m.n = 1, m.l = (size_t)INT32_MAX + 1 + (seed & 0xFFFF);
            m.rng = NULL, m.noise_in = nin, fw = SM_EOVERFLOW;
            break;
        case F_OVERFLOW:
            m.n = n * l == 1 ? 2 : n; /* n x l = 1 cannot overflow */
            m.x_masked = out.xm.p, m.row_bytes = SIZE_MAX / (m.n * l) + 1 + (seed & 0xFF), fw = SM_EOVERFLOW;
            break;
        case F_X_NULL: m.x_masked = out.xm.p, m.x = NULL, fw = SM_EINVAL; break;
        case F_ROW_BYTES_0: m.x_masked = out.xm.p, m.row_bytes = 0, fw = SM_EINVAL; break;
        case F_ALIAS_OUTPUTS: /* ids_restore starts inside ids_shuffle */
            m.ids_shuffle = out.shuffle.p, m.ids_restore = out.shuffle.p + isz * (seed % (n * l)), fw = SM_EALIAS;
            break;
        case F_ALIAS_X: /* x_masked starts inside x (an empty x_masked overlaps nothing) */
            if (keep) m.x_masked = x.p + seed % x.bytes, fw = SM_EALIAS;
            break;
        case F_ALIAS_NOISE_IN:
            m.rng = NULL, m.noise_in = nin, m.noise = (float *)(noise_in.p + 4 * (seed % (n * l))), fw = SM_EALIAS;
            break;
        case F_ALIAS_RNG:
            m.rng = &rng, m.noise_in = NULL, m.ids_keep = NULL;
            m.ids_shuffle = (char *)&rng + ((sizeof rng - 8) & ~(size_t)7) * (seed % 2), fw = SM_EALIAS;
            break;
        case F_ALIAS_M: m.noise = (float *)((char *)&m + 8 * (seed % (sizeof m / 8))), fw = SM_EALIAS; break;
        case F_MISALIGN: m.ids_restore = out.restore.p + 1 + seed % (isz - 1), fw = SM_EINVAL; break;
        case F_COUNT: break;
        }
        if (fault != F_NONE) want = fw;
        sm_rng rng_before = rng;
        sm_status st = sm_random_masking(mp);
        FZ_CHECK(st == want, "fault %d: status %d, expected %d", (int)fault, (int)st, (int)want);
        FZ_CHECK(memcmp(noise_in.p, nin_copy.p, nin_copy.bytes) == 0 && memcmp(x.p, x_copy.p, x.bytes) == 0,
                 "an input was modified");
        if (st != SM_OK) {
            FZ_CHECK(sm_last_error()[0] != '\0', "no message for status %d", (int)st);
            FZ_CHECK(all_canary(&out), "an output was written on error %d", (int)st);
            FZ_CHECK(rng_eq(&rng, &rng_before), "generator changed on error");
            FZ_CHECK(m.len_keep == 0xC0FFEE, "len_keep written on error");
            continue;
        }
        FZ_CHECK(m.len_keep == keep, "len_keep %zu, expected %zu", m.len_keep, keep);
        if (m.rng) FZ_CHECK(rng_eq(&rng, &rng_ref), "generator state differs from scalar");
        static const struct { unsigned bit; size_t off; const char *name; } outs[] = {
            { O_NOISE, offsetof(struct bufs, noise), "noise" },
            { O_SHUFFLE, offsetof(struct bufs, shuffle), "ids_shuffle" },
            { O_RESTORE, offsetof(struct bufs, restore), "ids_restore" },
            { O_KEEP, offsetof(struct bufs, keep), "ids_keep" },
            { O_MASK, offsetof(struct bufs, mask), "mask" },
            { O_XM, offsetof(struct bufs, xm), "x_masked" },
        };
        for (size_t o = 0; o < sizeof outs / sizeof outs[0]; o++) {
            const fz_buf *got = (const fz_buf *)((const char *)&out + outs[o].off);
            const fz_buf *exp = (const fz_buf *)((const char *)&ref + outs[o].off);
            if (want_out & outs[o].bit)
                FZ_CHECK(memcmp(got->p, exp->p, got->bytes) == 0, "%s differs from the reference", outs[o].name);
            else
                FZ_CHECK(fz_is_canary(got), "%s written though not asked for", outs[o].name);
        }
    }
    sm_set_num_threads(0);
    free_outputs(&out);
    free_outputs(&ref);
    fz_free(&nin_copy);
    fz_free(&x_copy);
    fz_free(&noise_in);
    fz_free(&x);
    return 0;
}
