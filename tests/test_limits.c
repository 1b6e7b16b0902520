/* Bad input at every entry point: NULL pointers, zero and overflowing sizes,
 * L beyond what int32 indices hold, row_bytes 0, bad enums, out-of-range
 * indices, aliasing outputs, misaligned typed arrays. Each case asserts the
 * status, a message, and that neither outputs nor inputs changed: outputs
 * point into a canary-filled arena, inputs into another that is compared
 * with a copy. The cases that must work (unaligned row buffers, stride-0
 * views, empty outputs, NULL x_masked when nothing is kept) are checked
 * against results computed here. Every test runs once per backend this CPU
 * supports.
 *
 * BAD(...) marks one distinct bad-input case: `grep -c 'BAD(' test_limits.c`
 * counts them. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simdmask.h>

#define ARENA 16384
static _Alignas(64) unsigned char in_arena[ARENA];
static _Alignas(64) unsigned char out_arena[ARENA];
static unsigned char in_copy[ARENA];

static uint8_t canary(size_t i)
{
    return (uint8_t)(0xA5u ^ (uint8_t)(i * 151u) ^ (uint8_t)(i >> 8));
}

static void arm(void)
{
    for (size_t i = 0; i < ARENA; i++) out_arena[i] = canary(i);
    memcpy(in_copy, in_arena, ARENA);
}

static ptrdiff_t out_changed(void)
{
    for (size_t i = 0; i < ARENA; i++)
        if (out_arena[i] != canary(i)) return (ptrdiff_t)i;
    return -1;
}

/* One bad-input case: the status, a message, nothing written anywhere. */
#define BAD(want, call)                                                                            \
    do {                                                                                           \
        arm();                                                                                     \
        sm_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == (want), "%s: status %d (%s), expected %d", #call, (int)st_,           \
                      sm_last_error(), (int)(want));                                              \
        ck_assert_msg(sm_last_error()[0] != '\0', "%s: no message", #call);                       \
        ptrdiff_t at_ = out_changed();                                                             \
        ck_assert_msg(at_ < 0, "%s: output arena byte %td written", #call, at_);                   \
        ck_assert_msg(memcmp(in_arena, in_copy, ARENA) == 0, "%s: an input changed", #call);       \
    } while (0)

#define OK(call)                                                                                   \
    do {                                                                                           \
        sm_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == SM_OK, "%s: status %d (%s)", #call, (int)st_, sm_last_error());       \
    } while (0)

/* Inputs in in_arena, outputs in out_arena, at fixed aligned offsets. */
#define IN(off) ((void *)(in_arena + (off)))
#define OUT(off) ((void *)(out_arena + (off)))

static const char *backends[16];
static int n_backends;

static void setup(void)
{
    for (size_t i = 0; i < ARENA; i++) in_arena[i] = (uint8_t)(i * 37u + 11u);
}

static void use_backend(int i)
{
    ck_assert_int_eq(sm_backend_set(backends[i]), SM_OK);
}

/* ------------------------------------------------------------ len_keep, rng */

START_TEST(len_keep_limits)
{
    use_backend(_i);
    BAD(SM_EINVAL, sm_len_keep(10, 0.5, NULL));
    size_t *k = OUT(0);
    BAD(SM_EINVAL, sm_len_keep(10, NAN, k));
    BAD(SM_EINVAL, sm_len_keep(10, -0.01, k));
    BAD(SM_EINVAL, sm_len_keep(10, 1.5, k));
    BAD(SM_EINVAL, sm_len_keep(10, INFINITY, k));
    BAD(SM_EINVAL, sm_len_keep(10, -INFINITY, k));
    size_t got;
    OK(sm_len_keep(10, 0.9, &got));
    ck_assert_uint_eq(got, 0); /* Python: int(10 * (1 - 0.9)) == 0 */
    OK(sm_len_keep(10, -0.0, &got));
    ck_assert_uint_eq(got, 10);
    /* (double) l rounds above l: clamped, and no undefined conversion. */
    OK(sm_len_keep(SIZE_MAX, 0.0, &got));
    ck_assert_uint_eq(got, SIZE_MAX);
    OK(sm_len_keep(((size_t)1 << 54) + 3, 0.0, &got));
    ck_assert_uint_eq(got, ((size_t)1 << 54) + 3);
}
END_TEST

START_TEST(rng_limits)
{
    use_backend(_i);
    BAD(SM_EINVAL, sm_rng_init(NULL, SM_RNG_PHILOX, 1, 0));
    BAD(SM_EINVAL, sm_rng_init(OUT(0), (sm_rng_kind)2, 1, 0));
    sm_rng *g = IN(0);
    ck_assert_int_eq(sm_rng_init(g, SM_RNG_TORCH, 5, 0), SM_OK);
    float *noise = OUT(0);
    BAD(SM_EINVAL, sm_rng_uniform(NULL, noise, 1, 4));
    g->kind = 7;
    BAD(SM_EINVAL, sm_rng_uniform(g, noise, 1, 4)); /* not initialised */
    g->kind = SM_RNG_TORCH, g->mti = SM_MT_N + 1;
    BAD(SM_EINVAL, sm_rng_uniform(g, noise, 1, 4)); /* corrupt state */
    g->mti = SM_MT_N;
    BAD(SM_EINVAL, sm_rng_uniform(g, NULL, 1, 4));
    BAD(SM_EINVAL, sm_rng_uniform(g, noise, 0, 4));
    BAD(SM_EINVAL, sm_rng_uniform(g, noise, 4, 0));
    BAD(SM_EOVERFLOW, sm_rng_uniform(g, noise, SIZE_MAX / 8, 4));
    BAD(SM_EALIAS, sm_rng_uniform(g, (float *)(void *)g + 8, 1, 4)); /* noise inside the generator */
    BAD(SM_EINVAL, sm_rng_uniform(g, (float *)OUT(2), 1, 4));        /* misaligned floats */
}
END_TEST

/* ------------------------------------------------------------------ argsort */

START_TEST(argsort_limits)
{
    use_backend(_i);
    const float *keys = IN(0);
    void *idx = OUT(0);
    BAD(SM_EINVAL, sm_argsort(NULL, 1, 4, SM_ASCENDING, SM_INDEX_I64, idx));
    BAD(SM_EINVAL, sm_argsort(keys, 1, 4, SM_ASCENDING, SM_INDEX_I64, NULL));
    BAD(SM_EINVAL, sm_argsort(keys, 0, 4, SM_ASCENDING, SM_INDEX_I64, idx));
    BAD(SM_EINVAL, sm_argsort(keys, 1, 0, SM_ASCENDING, SM_INDEX_I64, idx));
    BAD(SM_EINVAL, sm_argsort(keys, 1, 4, (sm_order)2, SM_INDEX_I64, idx));
    BAD(SM_EINVAL, sm_argsort(keys, 1, 4, SM_ASCENDING, (sm_index_type)2, idx));
    BAD(SM_EOVERFLOW, sm_argsort(keys, 1, (size_t)INT32_MAX + 1, SM_ASCENDING, SM_INDEX_I32, idx));
    BAD(SM_EOVERFLOW, sm_argsort(keys, 1, (size_t)UINT32_MAX + 1, SM_ASCENDING, SM_INDEX_I64, idx));
    BAD(SM_EOVERFLOW, sm_argsort(keys, SIZE_MAX / 8, 4, SM_ASCENDING, SM_INDEX_I64, idx));
    BAD(SM_EALIAS, sm_argsort(keys, 2, 8, SM_ASCENDING, SM_INDEX_I64, IN(32))); /* indices over keys */
    BAD(SM_EINVAL, sm_argsort((const float *)IN(2), 1, 4, SM_ASCENDING, SM_INDEX_I64, idx));
    BAD(SM_EINVAL, sm_argsort(keys, 1, 4, SM_ASCENDING, SM_INDEX_I64, OUT(4)));
    BAD(SM_EINVAL, sm_argsort(keys, 1, 4, SM_ASCENDING, SM_INDEX_I32, OUT(2)));
    /* i64 indices 8-aligned but not 16: must work. */
    float k4[4] = { 3.0f, -0.0f, 0.0f, NAN };
    int64_t *o = (int64_t *)OUT(8);
    OK(sm_argsort(k4, 1, 4, SM_ASCENDING, SM_INDEX_I64, o));
    ck_assert(o[0] == 1 && o[1] == 2 && o[2] == 0 && o[3] == 3);
}
END_TEST

/* ----------------------------------------------------------- random masking */

static sm_masking base_masking(void)
{
    /* x at IN(4096): 4 samples x 8 tokens x 12 bytes. */
    sm_masking m = {
        .n = 4, .l = 8, .mask_ratio = 0.5,
        .noise_in = IN(0), .x = IN(4096), .row_bytes = 12,
        .noise = OUT(0), .ids_shuffle = OUT(256), .ids_restore = OUT(512), .ids_keep = OUT(768),
        .mask = OUT(1024), .x_masked = OUT(2048), .len_keep = 12345,
    };
    return m;
}

#define BAD_M(want, edit)                                                                          \
    do {                                                                                           \
        sm_masking m = base_masking();                                                             \
        edit;                                                                                      \
        BAD(want, sm_random_masking(&m));                                                          \
        ck_assert_uint_eq(m.len_keep, 12345);                                                      \
    } while (0)

START_TEST(masking_limits)
{
    use_backend(_i);
    /* Noise floats in [0, 1): reinterpret some input bytes. */
    float *nz = IN(0);
    for (int i = 0; i < 32; i++) nz[i] = (float)((i * 7) % 32) / 32.0f;
    sm_rng *g = IN(8192);
    sm_rng_init(g, SM_RNG_PHILOX, 3, 0);
    BAD(SM_EINVAL, sm_random_masking(NULL));
    BAD_M(SM_EINVAL, m.n = 0);
    BAD_M(SM_EINVAL, m.l = 0);
    BAD_M(SM_EINVAL, m.rng = g);                    /* both noise sources */
    BAD_M(SM_EINVAL, m.noise_in = NULL);            /* neither */
    BAD_M(SM_EINVAL, (m.noise_in = NULL, m.rng = g, g->kind = 9));
    g->kind = SM_RNG_PHILOX;
    BAD_M(SM_EINVAL, (m.noise_in = NULL, m.rng = g, g->kind = SM_RNG_TORCH, g->mti = 1000));
    sm_rng_init(g, SM_RNG_PHILOX, 3, 0);
    BAD_M(SM_EINVAL, m.index_type = (sm_index_type)5);
    BAD_M(SM_EINVAL, m.mask_type = (sm_mask_type)5);
    BAD_M(SM_EINVAL, m.mask_ratio = NAN);
    BAD_M(SM_EINVAL, m.mask_ratio = 1.01);
    BAD_M(SM_EOVERFLOW, (m.n = 1, m.l = (size_t)INT32_MAX + 1, m.index_type = SM_INDEX_I32));
    BAD_M(SM_EOVERFLOW, (m.n = 1, m.l = (size_t)UINT32_MAX + 1));
    BAD_M(SM_EINVAL, m.x = NULL);                   /* x_masked wanted without x */
    BAD_M(SM_EINVAL, m.row_bytes = 0);
    BAD_M(SM_EOVERFLOW, m.row_bytes = SIZE_MAX / 16);
    BAD_M(SM_EOVERFLOW, (m.x_masked = NULL, m.n = SIZE_MAX / 8, m.l = 2));
    BAD_M(SM_EALIAS, m.x_masked = IN(4096 + 100)); /* x_masked over x */
    BAD_M(SM_EALIAS, m.ids_restore = OUT(256 + 8)); /* over ids_shuffle */
    BAD_M(SM_EALIAS, m.ids_keep = OUT(1024));       /* over mask */
    BAD_M(SM_EALIAS, m.noise = IN(16));             /* over noise_in */
    BAD_M(SM_EALIAS, m.mask = IN(4096));            /* over x */
    BAD_M(SM_EALIAS, (m.noise_in = NULL, m.rng = g, m.ids_shuffle = (char *)g + 64)); /* over rng */
    {
        sm_masking m = base_masking();
        m.noise = (float *)(void *)&m; /* an output over the argument struct itself */
        BAD(SM_EALIAS, sm_random_masking(&m));
        ck_assert_uint_eq(m.len_keep, 12345);
    }
    BAD_M(SM_EINVAL, m.noise_in = IN(1));
    BAD_M(SM_EINVAL, m.noise = OUT(2));
    BAD_M(SM_EINVAL, m.ids_shuffle = OUT(256 + 4));
    BAD_M(SM_EINVAL, (m.index_type = SM_INDEX_I32, m.ids_keep = OUT(768 + 2)));
    BAD_M(SM_EINVAL, m.mask = OUT(1024 + 1));
    /* Must work: odd row sizes at odd addresses; a u8 mask at an odd address. */
    sm_masking m = base_masking();
    m.row_bytes = 3, m.x = IN(4096 + 1), m.x_masked = OUT(2048 + 3);
    m.mask_type = SM_MASK_U8, m.mask = OUT(1024 + 1);
    OK(sm_random_masking(&m));
    ck_assert_uint_eq(m.len_keep, 4);
    const int64_t *keep = OUT(768);
    for (size_t s = 0; s < 4; s++)
        for (size_t j = 0; j < 4; j++)
            ck_assert(memcmp((char *)OUT(2048 + 3) + (s * 4 + j) * 3,
                             (char *)IN(4096 + 1) + (s * 8 + (size_t)keep[s * 4 + j]) * 3, 3) == 0);
}
END_TEST

/* ---------------------------------------------------------------- unshuffle */

START_TEST(unshuffle_limits)
{
    use_backend(_i);
    int64_t *r = IN(0);
    int32_t *r32 = IN(512);
    for (int i = 0; i < 16; i++) r[i] = (i * 5) % 8, r32[i] = (i * 5) % 8;
    const void *kept = IN(1024), *token = IN(2048);
    void *out = OUT(0);
    /* n 2, l 8, len_keep 3, rows of 4 bytes */
    BAD(SM_EINVAL, sm_unshuffle(kept, NULL, r, SM_INDEX_I64, 2, 8, 3, 4, out));
    BAD(SM_EINVAL, sm_unshuffle(kept, token, NULL, SM_INDEX_I64, 2, 8, 3, 4, out));
    BAD(SM_EINVAL, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, 4, NULL));
    BAD(SM_EINVAL, sm_unshuffle(NULL, token, r, SM_INDEX_I64, 2, 8, 3, 4, out));
    BAD(SM_EINVAL, sm_unshuffle(kept, token, r, SM_INDEX_I64, 0, 8, 3, 4, out));
    BAD(SM_EINVAL, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 0, 0, 4, out));
    BAD(SM_EINVAL, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, 0, out));
    BAD(SM_EINVAL, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 9, 4, out));
    BAD(SM_EINVAL, sm_unshuffle(kept, token, r, (sm_index_type)-1, 2, 8, 3, 4, out));
    BAD(SM_EOVERFLOW, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, SIZE_MAX / 8, out));
    BAD(SM_EALIAS, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, 4, IN(1024 + 20)));
    BAD(SM_EALIAS, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, 4, IN(2048 - 60)));
    BAD(SM_EALIAS, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, 4, IN(64)));
    r[9] = -1;
    BAD(SM_ERANGE, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, 4, out));
    ck_assert_str_eq(sm_last_error(), "index -1 is out of bounds for dimension 1 with size 8");
    r[9] = 8;
    BAD(SM_ERANGE, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, 4, out));
    r[9] = INT64_MIN;
    BAD(SM_ERANGE, sm_unshuffle(kept, token, r, SM_INDEX_I64, 2, 8, 3, 4, out));
    r[9] = 1;
    r32[3] = -1;
    BAD(SM_ERANGE, sm_unshuffle(kept, token, r32, SM_INDEX_I32, 2, 8, 3, 4, out));
    r32[3] = 7;
    BAD(SM_EINVAL, sm_unshuffle(kept, token, IN(4), SM_INDEX_I64, 2, 8, 3, 4, out));
    BAD(SM_EINVAL, sm_unshuffle(kept, token, IN(2), SM_INDEX_I32, 2, 8, 3, 4, out));
    /* Must work: nothing kept and x_masked NULL; odd addresses and row size. */
    OK(sm_unshuffle(NULL, IN(2048 + 1), r, SM_INDEX_I64, 2, 8, 0, 3, OUT(4001)));
    for (int i = 0; i < 16; i++) ck_assert(memcmp((char *)OUT(4001) + 3 * i, IN(2048 + 1), 3) == 0);
    OK(sm_unshuffle(IN(1024 + 3), IN(2048 + 1), r32, SM_INDEX_I32, 2, 8, 3, 5, OUT(4001)));
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 8; i++) {
            int v = r32[s * 8 + i];
            const void *want = v < 3 ? (const void *)((char *)IN(1024 + 3) + (s * 3 + v) * 5) : IN(2048 + 1);
            ck_assert(memcmp((char *)OUT(4001) + (s * 8 + i) * 5, want, 5) == 0);
        }
}
END_TEST

/* -------------------------------------------------------------- row gather */

START_TEST(gather_rows_limits)
{
    use_backend(_i);
    const void *src = IN(0); /* 2 x 8 rows of 16 bytes */
    int64_t *idx = IN(1024);
    int32_t *idx32 = IN(1536);
    for (int i = 0; i < 6; i++) idx[i] = (i * 3) % 8, idx32[i] = (i * 5) % 8;
    void *out = OUT(0);
    BAD(SM_EINVAL, sm_gather_rows(NULL, 2, 8, 16, idx, SM_INDEX_I64, 3, out));
    BAD(SM_EINVAL, sm_gather_rows(src, 2, 8, 16, NULL, SM_INDEX_I64, 3, out));
    BAD(SM_EINVAL, sm_gather_rows(src, 2, 8, 16, idx, SM_INDEX_I64, 3, NULL));
    BAD(SM_EINVAL, sm_gather_rows(src, 0, 8, 16, idx, SM_INDEX_I64, 3, out));
    BAD(SM_EINVAL, sm_gather_rows(src, 2, 0, 16, idx, SM_INDEX_I64, 3, out));
    BAD(SM_EINVAL, sm_gather_rows(src, 2, 8, 0, idx, SM_INDEX_I64, 3, out));
    BAD(SM_EINVAL, sm_gather_rows(src, 2, 8, 16, idx, (sm_index_type)3, 3, out));
    BAD(SM_EOVERFLOW, sm_gather_rows(src, 2, 8, SIZE_MAX / 8, idx, SM_INDEX_I64, 3, out));
    BAD(SM_EOVERFLOW, sm_gather_rows(src, 2, 8, 16, idx, SM_INDEX_I64, SIZE_MAX / 2 + 1, out));
    BAD(SM_EALIAS, sm_gather_rows(src, 2, 8, 16, idx, SM_INDEX_I64, 3, IN(200)));
    BAD(SM_EALIAS, sm_gather_rows(src, 2, 8, 16, idx, SM_INDEX_I64, 3, IN(1024 - 90)));
    idx[4] = -1;
    BAD(SM_ERANGE, sm_gather_rows(src, 2, 8, 16, idx, SM_INDEX_I64, 3, out));
    ck_assert_str_eq(sm_last_error(), "index -1 is out of bounds for dimension 1 with size 8");
    idx[4] = 8;
    BAD(SM_ERANGE, sm_gather_rows(src, 2, 8, 16, idx, SM_INDEX_I64, 3, out));
    idx[4] = (int64_t)1 << 32; /* would wrap to 0 as uint32 */
    BAD(SM_ERANGE, sm_gather_rows(src, 2, 8, 16, idx, SM_INDEX_I64, 3, out));
    idx[4] = 2;
    idx32[1] = INT32_MIN;
    BAD(SM_ERANGE, sm_gather_rows(src, 2, 8, 16, idx32, SM_INDEX_I32, 3, out));
    idx32[1] = 5;
    BAD(SM_EINVAL, sm_gather_rows(src, 2, 8, 16, IN(1024 + 4), SM_INDEX_I64, 3, out));
    /* Must work: k = 0 writes nothing; odd rows at odd addresses. */
    arm();
    OK(sm_gather_rows(src, 2, 8, 16, idx, SM_INDEX_I64, 0, out));
    ck_assert(out_changed() < 0);
    OK(sm_gather_rows(IN(1), 2, 8, 3, idx32, SM_INDEX_I32, 3, OUT(7)));
    for (int s = 0; s < 2; s++)
        for (int j = 0; j < 3; j++)
            ck_assert(memcmp((char *)OUT(7) + (s * 3 + j) * 3, (char *)IN(1) + (s * 8 + idx32[s * 3 + j]) * 3, 3) == 0);
}
END_TEST

/* ------------------------------------------------------------ torch.gather */

START_TEST(gather_limits)
{
    use_backend(_i);
    int64_t shape[2] = { 4, 3 }, ishape[2] = { 2, 3 }, st[2] = { 3, 1 };
    int64_t *ix = IN(1024);
    for (int i = 0; i < 6; i++) ix[i] = i % 4;
    sm_view in = { IN(0), 2, shape, NULL }, index = { ix, 2, ishape, NULL };
    void *out = OUT(0);
    BAD(SM_EINVAL, sm_gather(NULL, 4, 0, &index, out));
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, NULL, out));
    in.ndim = 0;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out));
    in.ndim = SM_MAX_DIMS + 1;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out));
    in.ndim = 2, in.shape = NULL;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out));
    in.shape = shape, shape[1] = -3;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out));
    shape[1] = 3, in.strides = st, st[0] = -3;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out));
    st[0] = 3, in.strides = NULL, in.data = NULL;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out));
    in.data = IN(0), index.data = NULL;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out));
    index.data = ix;
    BAD(SM_EINVAL, sm_gather(&in, 3, 0, &index, out));
    BAD(SM_EINVAL, sm_gather(&in, 0, 0, &index, out));
    index.ndim = 1;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out)); /* rank mismatch */
    index.ndim = 2;
    BAD(SM_EINVAL, sm_gather(&in, 4, 2, &index, out));
    BAD(SM_EINVAL, sm_gather(&in, 4, -3, &index, out));
    ishape[1] = 4;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out)); /* index 4 > input 3 at dim 1 */
    ishape[1] = 3;
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, NULL));
    {
        int64_t big[2] = { (int64_t)1 << 40, (int64_t)1 << 40 };
        sm_view v = { IN(0), 2, big, NULL };
        BAD(SM_EOVERFLOW, sm_gather(&v, 4, 0, &index, out)); /* 2^80 elements */
        int64_t s1[1] = { (int64_t)1 << 62 }, str[1] = { 8 };
        sm_view w = { IN(0), 1, s1, str };
        int64_t i1[1] = { 2 };
        sm_view wi = { ix, 1, i1, NULL };
        BAD(SM_EOVERFLOW, sm_gather(&w, 4, 0, &wi, out)); /* spans 2^65 elements */
    }
    BAD(SM_EALIAS, sm_gather(&in, 4, 0, &index, IN(40)));
    BAD(SM_EALIAS, sm_gather(&in, 4, 0, &index, IN(1024 + 8)));
    ix[4] = -1;
    BAD(SM_ERANGE, sm_gather(&in, 4, 0, &index, out));
    ck_assert_str_eq(sm_last_error(), "index -1 is out of bounds for dimension 0 with size 4");
    ix[4] = 4;
    BAD(SM_ERANGE, sm_gather(&in, 4, 0, &index, out));
    ix[4] = 1;
    index.data = IN(1024 + 4);
    BAD(SM_EINVAL, sm_gather(&in, 4, 0, &index, out));
    index.data = ix;
    {
        /* The expand pattern's fast path checks as strictly. */
        int64_t s3[3] = { 2, 4, 3 }, i3[3] = { 2, 2, 3 }, is3[3] = { 2, 1, 0 };
        sm_view v = { IN(0), 3, s3, NULL }, vi = { ix, 3, i3, is3 };
        ix[3] = 4;
        BAD(SM_ERANGE, sm_gather(&v, 2, 1, &vi, out));
        ix[3] = 3;
        BAD(SM_EALIAS, sm_gather(&v, 2, 1, &vi, IN(10)));
        OK(sm_gather(&v, 2, 1, &vi, OUT(1)));
        for (int n = 0; n < 2; n++)
            for (int k = 0; k < 2; k++)
                ck_assert(memcmp((char *)OUT(1) + (n * 2 + k) * 6, (char *)IN(0) + (n * 4 + ix[n * 2 + k]) * 6, 6) == 0);
    }
    /* Must work: stride-0 (broadcast) input at an odd address; an empty
     * index with no output at all. */
    int64_t bst[2] = { 0, 1 };
    sm_view b = { IN(3), 2, shape, bst };
    OK(sm_gather(&b, 8, 0, &index, OUT(5)));
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            ck_assert(memcmp((char *)OUT(5) + (i * 3 + j) * 8, (char *)IN(3) + j * 8, 8) == 0);
    int64_t eshape[2] = { 0, 3 };
    sm_view e = { ix, 2, eshape, NULL };
    OK(sm_gather(&in, 4, 0, &e, NULL));
}
END_TEST

/* ------------------------------------------- softmax, focus, patchify, loss */

START_TEST(seeds_limits)
{
    use_backend(_i);
    const float *sc = IN(0);
    BAD(SM_EINVAL, sm_masked_softmax((const float *)IN(2), 2, 4, NULL, 0, SM_SOFTMAX_FILL, OUT(0)));
    BAD(SM_EINVAL, sm_masked_softmax(sc, 2, 4, NULL, 0, SM_SOFTMAX_FILL, (float *)OUT(1)));
    BAD(SM_EALIAS, sm_masked_softmax(sc, 2, 4, NULL, 0, SM_SOFTMAX_FILL, (float *)IN(4)));
    BAD(SM_EINVAL, sm_patchify(IN(1), 1, 1, 4, 4, 2, 4, OUT(0)));
    BAD(SM_EINVAL, sm_unpatchify(IN(0), 1, 1, 4, 4, 2, 2, OUT(3)));
    BAD(SM_EINVAL, sm_pos_embed_2d(8, 2, 2, 0, SM_F64, OUT(4)));
    BAD(SM_EINVAL, sm_pos_embed_1d(8, (const double *)IN(4), 2, SM_F32, OUT(0)));
    {
        sm_mae_loss a = { .n = 1, .l = 2, .d = 2, .pred = IN(2), .target = IN(64), .mask = IN(128),
                          .loss = OUT(0) };
        BAD(SM_EINVAL, sm_mae_loss_compute(&a));
        a.pred = IN(0), a.grad = (float *)OUT(66);
        BAD(SM_EINVAL, sm_mae_loss_compute(&a));
    }
    {
        /* Focus masking: an output over the generator, or over the
         * arguments, is caught although the masking runs on a copy. */
        sm_rng *g = IN(8192);
        sm_rng_init(g, SM_RNG_TORCH, 4, 0);
        sm_focus f = { 2, 6, 0.3 };
        sm_masking m = { .n = 2, .l = 8, .mask_ratio = 0.5, .rng = g, .ids_restore = (char *)g + 16,
                         .len_keep = 12345 };
        BAD(SM_EALIAS, sm_focus_masking(&m, &f));
        ck_assert_uint_eq(m.len_keep, 12345);
        m.ids_restore = OUT(0), m.mask = (float *)(void *)&m;
        BAD(SM_EALIAS, sm_focus_masking(&m, &f));
        ck_assert_uint_eq(m.len_keep, 12345);
        m.mask = OUT(256 + 2);
        BAD(SM_EINVAL, sm_focus_masking(&m, &f));
        ck_assert_uint_eq(m.len_keep, 12345);
    }
    /* Must work: softmax in place, the one overlap allowed. */
    float row[4] = { 1.0f, 1.0f, 1.0f, 1.0f };
    OK(sm_masked_softmax(row, 1, 4, NULL, 0, SM_SOFTMAX_FILL, row));
    for (int i = 0; i < 4; i++) ck_assert(row[i] == 0.25f);
}
END_TEST

/* ---------------------------------------------------------- backends, threads */

START_TEST(backend_limits)
{
    use_backend(_i);
    const char *before = sm_backend_active();
    BAD(SM_ENOTFOUND, sm_backend_set("avx1024"));
    ck_assert_str_eq(sm_backend_active(), before);
    BAD(SM_ENOTFOUND, sm_backend_set(""));
    ck_assert_str_eq(sm_backend_active(), before);
    for (size_t i = 0; i < sm_backend_count(); i++)
        if (!sm_backend_supported(i)) {
            BAD(SM_EUNSUPPORTED, sm_backend_set(sm_backend_name(i)));
            ck_assert_str_eq(sm_backend_active(), before);
        }
    BAD(SM_EINVAL, sm_set_num_threads(-1));
    ck_assert_ptr_null(sm_backend_name(sm_backend_count()));
    ck_assert_int_eq(sm_backend_supported(sm_backend_count()), 0);
}
END_TEST

int main(void)
{
    for (size_t i = 0; i < sm_backend_count() && n_backends < 16; i++)
        if (sm_backend_supported(i)) backends[n_backends++] = sm_backend_name(i);
    Suite *s = suite_create("limits");
    struct { const char *name; const TTest *test; } tests[] = {
        { "len_keep", len_keep_limits }, { "rng", rng_limits }, { "argsort", argsort_limits },
        { "masking", masking_limits }, { "unshuffle", unshuffle_limits },
        { "gather_rows", gather_rows_limits }, { "gather", gather_limits }, { "seeds", seeds_limits },
        { "backends", backend_limits },
    };
    for (size_t t = 0; t < sizeof tests / sizeof tests[0]; t++) {
        TCase *tc = tcase_create(tests[t].name);
        tcase_add_checked_fixture(tc, setup, NULL);
        tcase_add_loop_test(tc, tests[t].test, 0, n_backends);
        suite_add_tcase(s, tc);
    }
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
