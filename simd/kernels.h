/*
 * The kernel table: one const instance per backend, one function pointer per
 * kernel. Kernels trust their arguments (the entry points in src/ check them)
 * and work on one row (one sample) at a time; src/ splits rows over threads.
 * Indices inside the library are uint32_t (L < 2^32); the entry points widen
 * them to int64 where the caller asks for PyTorch's long.
 *
 * A backend fills the slots it optimises and points the others at the scalar
 * kernels (sm__scalar_*), so adding a backend is filling one table.
 */
#ifndef SIMDMASK_KERNELS_H
#define SIMDMASK_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Scratch an argsort kernel may use for a row of l keys, in bytes, aligned to
 * 64: two (key, index) uint64 arrays plus 3 radix histograms of 2^12 uint32,
 * and 4 KiB more for the packed float path's 28 l + 4104 bytes up to l =
 * SM__ARGSORT_PACKED_F32_MAX (asserted in argsort_tmpl.h). */
#define SM__ARGSORT_SCRATCH(l) (16 * (size_t)(l) + 3 * 4096 * 4 + 4096 + 256)

struct sm_kernels {
    const char *name;
    uint32_t required; /* SM_CPU_* bits the CPU must have */

    /* Philox4x32-10 noise for n_rows rows of l floats, rows row, row+1, ...:
     * column c of row r is word c % 4 of philox(counter (c / 4, stream,
     * r lo, r hi), key (seed lo, seed hi)), as (w >> 8) * 2^-24. */
    void (*philox_rows)(uint64_t seed, uint32_t stream, uint64_t row, size_t n_rows, size_t l,
                        float *out);

    /* mt19937 as PyTorch draws torch.rand floats: count outputs, each
     * (tempered word & 0xFFFFFF) * 2^-24, continuing from *mti in mt[624]
     * (mti == 624: twist first). */
    void (*mt_uniform)(uint32_t *mt, uint32_t *mti, float *out, size_t count);

    /* Stable ascending argsort of noise whose values are all k * 2^-24 with
     * k in [0, 2^24) (the generators' output). */
    void (*argsort_noise)(const float *noise, size_t l, uint32_t *idx, void *scratch);

    /* Stable argsort of arbitrary floats in PyTorch's order (NaN above +inf,
     * -0 == +0, all NaN equal); descending keeps ties in index order too. */
    void (*argsort_f32)(const float *keys, size_t l, int descending, uint32_t *idx, void *scratch);

    /* inv[perm[j]] = j for j < l. */
    void (*inverse_perm)(const uint32_t *perm, size_t l, uint32_t *inv);

    /* mask[i] = restore[i] < len_keep ? 0 : 1, as float or as uint8. */
    void (*mask_f32)(const uint32_t *restore, size_t l, uint32_t len_keep, float *mask);
    void (*mask_u8)(const uint32_t *restore, size_t l, uint32_t len_keep, uint8_t *mask);

    /* out[i] = (int64_t) in[i]. */
    void (*widen_u32_i64)(const uint32_t *in, size_t count, int64_t *out);

    /* out row j = src row idx[j], j < k, rows of row_bytes; idx already valid. */
    void (*gather_rows_u32)(const void *src, size_t row_bytes, const uint32_t *idx, size_t k,
                            void *out);
    void (*gather_rows_i64)(const void *src, size_t row_bytes, const int64_t *idx, size_t k,
                            void *out);

    /* out row i = restore[i] < len_keep ? kept row restore[i] : token, i < l. */
    void (*unshuffle_u32)(const void *kept, const void *token, const uint32_t *restore, size_t l,
                          size_t len_keep, size_t row_bytes, void *out);
    void (*unshuffle_i64)(const void *kept, const void *token, const int64_t *restore, size_t l,
                          size_t len_keep, size_t row_bytes, void *out);

    /* The four above with non-temporal stores, for outputs larger than the
     * last-level cache (src/gather.c decides); NULL: use the plain kernel. */
    void (*gather_rows_u32_nt)(const void *src, size_t row_bytes, const uint32_t *idx, size_t k,
                               void *out);
    void (*gather_rows_i64_nt)(const void *src, size_t row_bytes, const int64_t *idx, size_t k,
                               void *out);
    void (*unshuffle_u32_nt)(const void *kept, const void *token, const uint32_t *restore, size_t l,
                             size_t len_keep, size_t row_bytes, void *out);
    void (*unshuffle_i64_nt)(const void *kept, const void *token, const int64_t *restore, size_t l,
                             size_t len_keep, size_t row_bytes, void *out);
    /* --- seeds: masked softmax of one row of c floats (SPEC 5):
     * out = softmax(mask[i] ? fill : x[i]), max subtracted first; mask NULL:
     * none; out may equal x (x[i] is read before out[i] is written). */
    void (*masked_softmax)(const float *x, const uint8_t *mask, float fill, size_t c, float *out);
};

/* Every backend that may be compiled in; src/dispatch.c lists those that are. */
extern const struct sm_kernels sm__kernels_scalar;
extern const struct sm_kernels sm__kernels_sse4;
extern const struct sm_kernels sm__kernels_avx2;
extern const struct sm_kernels sm__kernels_avx512;
extern const struct sm_kernels sm__kernels_neon;

/* The scalar kernels, for backends to point unoptimised slots at. */
void sm__scalar_philox_rows(uint64_t seed, uint32_t stream, uint64_t row, size_t n_rows, size_t l,
                            float *out);
void sm__scalar_mt_uniform(uint32_t *mt, uint32_t *mti, float *out, size_t count);
void sm__scalar_argsort_noise(const float *noise, size_t l, uint32_t *idx, void *scratch);
void sm__scalar_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx,
                            void *scratch);
void sm__scalar_inverse_perm(const uint32_t *perm, size_t l, uint32_t *inv);
void sm__scalar_mask_f32(const uint32_t *restore, size_t l, uint32_t len_keep, float *mask);
void sm__scalar_mask_u8(const uint32_t *restore, size_t l, uint32_t len_keep, uint8_t *mask);
void sm__scalar_widen_u32_i64(const uint32_t *in, size_t count, int64_t *out);
void sm__scalar_gather_rows_u32(const void *src, size_t row_bytes, const uint32_t *idx, size_t k,
                                void *out);
void sm__scalar_gather_rows_i64(const void *src, size_t row_bytes, const int64_t *idx, size_t k,
                                void *out);
void sm__scalar_unshuffle_u32(const void *kept, const void *token, const uint32_t *restore,
                              size_t l, size_t len_keep, size_t row_bytes, void *out);
void sm__scalar_unshuffle_i64(const void *kept, const void *token, const int64_t *restore,
                              size_t l, size_t len_keep, size_t row_bytes, void *out);
/* seeds */
void sm__scalar_masked_softmax(const float *x, const uint8_t *mask, float fill, size_t c,
                               float *out);
/* The per-ISA softmax kernels, for their tables and the tests. */
void sm__sse4_masked_softmax(const float *x, const uint8_t *mask, float fill, size_t c, float *out);
void sm__avx2_masked_softmax(const float *x, const uint8_t *mask, float fill, size_t c, float *out);
void sm__avx512_masked_softmax(const float *x, const uint8_t *mask, float fill, size_t c,
                               float *out);
void sm__neon_masked_softmax(const float *x, const uint8_t *mask, float fill, size_t c, float *out);

/* x86 argsort kernels (simd/<isa>/argsort.c, over simd/common/sort_tmpl.h),
 * for the x86 tables' argsort slots and for the tests. */
void sm__sse4_argsort_noise(const float *noise, size_t l, uint32_t *idx, void *scratch);
void sm__sse4_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx, void *scratch);
void sm__avx2_argsort_noise(const float *noise, size_t l, uint32_t *idx, void *scratch);
void sm__avx2_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx, void *scratch);
void sm__avx512_argsort_noise(const float *noise, size_t l, uint32_t *idx, void *scratch);
void sm__avx512_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx,
                            void *scratch);

/* One row by a chosen path of an x86 argsort (simd/common/argsort_tmpl.h:
 * SA(argsort_path); kind 0 noise, 1 float keys), for the path tests and the
 * timing tool. */
void sm__sse4_argsort_path(const float *keys, size_t l, int kind, int descending, int path,
                           uint32_t *idx, void *scratch);
void sm__avx2_argsort_path(const float *keys, size_t l, int kind, int descending, int path,
                           uint32_t *idx, void *scratch);
void sm__avx512_argsort_path(const float *keys, size_t l, int kind, int descending, int path,
                             uint32_t *idx, void *scratch);

/* The longest rows of the x86 argsort paths with a bound: packed uint32 float
 * keys (SM__ARGSORT_SCRATCH holds their scratch up to here), packed noise
 * (the scratch would allow more; no ISA packs noise rows past 8191), and
 * noise buckets with no extra bits, >> extra with extra bits (where every
 * ISA's counters and pads fit the scratch's fixed part). argsort_tmpl.h
 * asserts the packed cut-overs against these; an ISA's own buckets are
 * bounded by its scratch assertion there (AVX2's buckets with one extra bit
 * reach 2^17). */
#define SM__ARGSORT_PACKED_F32_MAX 4096u
#define SM__ARGSORT_PACKED_NOISE_MAX 16384u
#define SM__ARGSORT_BUCKETS_MAX 131072u

/* Whether that path takes a row of l keys: the packed uint32 path and noise
 * buckets with extra = path - 4 (0..2) bits (from 257 keys) within the
 * bounds above, the uint64 merges and both radixes any row; float keys have
 * no bucket path. */
static inline int sm__argsort_path_takes(int kind, int path, size_t l)
{
    if (path == 0) return l <= (kind ? SM__ARGSORT_PACKED_F32_MAX : SM__ARGSORT_PACKED_NOISE_MAX);
    if (path >= 4)
        return !kind && path <= 6 && l >= 257 && l <= (SM__ARGSORT_BUCKETS_MAX >> (path - 4));
    return path >= 1;
}

/* NEON argsort kernels (simd/neon/argsort.c), for the NEON table and the tests. */
void sm__neon_argsort_noise(const float *noise, size_t l, uint32_t *idx, void *scratch);
void sm__neon_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx, void *scratch);

/* The integer k of a generator value k * 2^-24, k in [0, 2^24): the 24-bit
 * key argsort_noise sorts by (the product is exact, the truncation drops
 * nothing). */
static inline uint32_t sm__noise_key(float f) { return (uint32_t)(f * 16777216.0f); }

/* Order-preserving map of a float to uint32 in PyTorch's sort order: every NaN
 * maps to 0xFFFFFFFF (above +inf's 0xFF800000), -0.0 to +0.0's key. */
static inline uint32_t sm__float_key(float f)
{
    union { float f; uint32_t u; } v = { f };
    uint32_t u = v.u;
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) return 0xFFFFFFFFu; /* NaN */
    if (u == 0x80000000u) u = 0;                            /* -0.0 */
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

#endif /* SIMDMASK_KERNELS_H */
