/*
 * simdmask: SIMD kernels for the data side of Masked Autoencoders.
 *
 * Per-sample random token masking by argsort of uniform noise, the gathers
 * that drop and restore tokens, and the primitives around them. The fastest
 * backend for the CPU is picked on first use; every backend produces the same
 * bits as the scalar one.
 *
 * Conventions
 *   - Every entry point returns an sm_status. On any status but SM_OK nothing
 *     has been written to the outputs, and sm_last_error() describes the
 *     problem (thread-local, valid until the next failing call on the thread).
 *   - Tensors are dense and row-major unless a stride array says otherwise.
 *   - Index outputs are int64 (PyTorch's long) unless SM_INDEX_I32 is asked.
 *   - The library never prints, aborts or exits.
 *   - Aliasing: inputs may share memory with each other (they are only
 *     read); an output must not overlap any input or any other output, nor
 *     the generator or the sm_masking struct passed in. Every entry point
 *     checks this on the byte ranges it would touch (empty ranges and NULL
 *     never overlap) and returns SM_EALIAS before writing. The one in-place
 *     operation is sm_masked_softmax with out == scores exactly.
 *   - Alignment: byte buffers (rows of x, x_masked, mask tokens, gather
 *     sources and outputs) may start at any address. Typed arrays (float
 *     keys and noise, float masks, int32/int64 indices, torch.gather's
 *     int64 index) must be aligned to their element size, as C requires;
 *     a misaligned one is rejected with SM_EINVAL.
 */
#ifndef SIMDMASK_H
#define SIMDMASK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIMDMASK_VERSION_MAJOR 0
#define SIMDMASK_VERSION_MINOR 1
#define SIMDMASK_VERSION_PATCH 0
#define SIMDMASK_VERSION_STRING "0.1.0"

#if defined(_WIN32) && defined(SIMDMASK_SHARED_BUILD)
#define SM_API __declspec(dllexport)
#elif defined(__GNUC__)
#define SM_API __attribute__((visibility("default")))
#else
#define SM_API
#endif

/* ------------------------------------------------------------------ status */

typedef enum sm_status {
    SM_OK = 0,
    SM_EINVAL = 1,        /* NULL pointer, bad enum value, ratio outside [0, 1] */
    SM_EOVERFLOW = 2,     /* a size product overflows, or a length exceeds what an index type holds */
    SM_ERANGE = 3,        /* an index outside its dimension */
    SM_EUNSUPPORTED = 4,  /* backend compiled in but not supported by this CPU */
    SM_ENOTFOUND = 5,     /* no backend of that name */
    SM_ENOMEM = 6,        /* scratch allocation failed */
    SM_EALIAS = 7,        /* an output overlaps an input or another output */
    SM_ENOREMOVED = 8     /* sm_mae_loss_compute: the mask removes no patch, where MAE's
                           * (loss * mask).sum() / mask.sum() would be 0 / 0 = NaN */
} sm_status;

/* Fixed text for a status ("invalid argument", ...); never NULL. */
SM_API const char *sm_strerror(sm_status status);

/* The message of the last failing call on this thread, e.g.
 * "index -1 is out of bounds for dimension 0 with size 4"; "" if none. */
SM_API const char *sm_last_error(void);

/* Library version at run time, "MAJOR.MINOR.PATCH". */
SM_API const char *sm_version(void);

/* ----------------------------------------------------------------- types */

typedef enum sm_index_type {
    SM_INDEX_I64 = 0,     /* int64_t, PyTorch's long */
    SM_INDEX_I32 = 1      /* int32_t; L must be <= INT32_MAX */
} sm_index_type;

typedef enum sm_mask_type {
    SM_MASK_F32 = 0,      /* float 0.0f keep, 1.0f removed (MAE) */
    SM_MASK_U8 = 1        /* uint8_t 0 keep, 1 removed */
} sm_mask_type;

typedef enum sm_order {
    SM_ASCENDING = 0,
    SM_DESCENDING = 1
} sm_order;

/* ------------------------------------------------------------- generators */

typedef enum sm_rng_kind {
    /* Philox4x32-10, counter (l / 4, stream, row low, row high), key = seed.
     * A row's noise depends only on (seed, stream, row index): not on the
     * batch size, the backend or the thread count. The default. */
    SM_RNG_PHILOX = 0,
    /* mt19937 exactly as PyTorch's CPU generator: sm_rng_init(&g, SM_RNG_TORCH,
     * s, 0) then sm_rng_uniform(&g, ...) equals torch.manual_seed(s);
     * torch.rand(N, L), and later draws continue the stream as torch.rand
     * calls do. Only the low 32 bits of the seed count, as in PyTorch. */
    SM_RNG_TORCH = 1
} sm_rng_kind;

#define SM_MT_N 624

/* A generator is a plain value: copy it to replay a draw. Fields are
 * documented so that they can be inspected; change them only through the
 * functions below, except `row` (see there). */
typedef struct sm_rng {
    uint32_t kind;          /* sm_rng_kind */
    uint32_t stream;        /* philox: counter word 1 (e.g. the training step) */
    uint64_t seed;
    /* philox: global index of the next row drawn; each draw of N rows
     *         advances it by N. A caller may set it, e.g. to a sample's index
     *         in the data set, to give that sample its own noise.
     * torch:  number of 32-bit words drawn so far (read-only). */
    uint64_t row;
    uint32_t mti;           /* torch: next word of mt[] to temper */
    uint32_t mt[SM_MT_N];   /* torch: mt19937 state */
} sm_rng;

/* Seeds a generator. stream is ignored by SM_RNG_TORCH. */
SM_API sm_status sm_rng_init(sm_rng *rng, sm_rng_kind kind, uint64_t seed, uint32_t stream);

/* Fills noise[n_rows][l] with uniform floats in [0, 1) (24 bits each),
 * row-major, and advances the generator. */
SM_API sm_status sm_rng_uniform(sm_rng *rng, float *noise, size_t n_rows, size_t l);

/* ---------------------------------------------------------------- argsort */

/* Stable argsort of each row of keys[n_rows][l] into indices[n_rows][l]
 * (int64_t or int32_t per index_type). Order is PyTorch's sort(stable=True):
 * -0.0 equals +0.0, every NaN equals every other NaN and is greater than
 * +inf, ties keep index order in both directions. */
SM_API sm_status sm_argsort(const float *keys, size_t n_rows, size_t l, sm_order order,
                            sm_index_type index_type, void *indices);

/* ------------------------------------------------------------ random masking */

/* len_keep = int(l * (1 - mask_ratio)) computed in IEEE double, as Python does:
 * l = 10, ratio 0.9 keeps 0. mask_ratio must be finite and in [0, 1]. */
SM_API sm_status sm_len_keep(size_t l, double mask_ratio, size_t *len_keep);

/* MAE's random_masking. Inputs first, then outputs; every output is optional
 * (NULL: not computed). Initialise with designated initialisers so that
 * unused fields are zero. */
typedef struct sm_masking {
    size_t n;                   /* samples */
    size_t l;                   /* tokens per sample */
    double mask_ratio;          /* in [0, 1] */
    /* Noise source: exactly one of rng (advanced by n rows) or noise_in
     * (caller-given float32 [n][l], any values; NaN sorts last). */
    sm_rng *rng;
    const float *noise_in;
    /* Tokens, needed only for x_masked: x[n][l] rows of row_bytes bytes. */
    const void *x;
    size_t row_bytes;
    sm_index_type index_type;   /* of ids_shuffle, ids_restore, ids_keep */
    sm_mask_type mask_type;

    float *noise;               /* [n][l] the noise used */
    void *ids_shuffle;          /* [n][l] stable ascending argsort of the noise */
    void *ids_restore;          /* [n][l] inverse of ids_shuffle */
    void *ids_keep;             /* [n][len_keep] */
    void *mask;                 /* [n][l] 0 keep, 1 removed */
    void *x_masked;             /* [n][len_keep][row_bytes] */
    size_t len_keep;            /* set on success */
} sm_masking;

SM_API sm_status sm_random_masking(sm_masking *m);

/* The decoder's restore: out[n][i] = ids_restore[n][i] < len_keep
 *   ? x_masked[n][ids_restore[n][i]] : mask_token, rows of row_bytes bytes.
 * Equals MAE's gather(cat([x_masked, mask_tokens], 1), 1, ids_restore) without
 * building the concatenation. ids_restore values must be in [0, l). */
SM_API sm_status sm_unshuffle(const void *x_masked, const void *mask_token,
                              const void *ids_restore, sm_index_type index_type,
                              size_t n, size_t l, size_t len_keep, size_t row_bytes,
                              void *out);

/* ---------------------------------------------------------------- gathers */

/* Row gather, the hot path: out[i][j] = src[i][idx[i][j]] for i < n, j < k,
 * rows of row_bytes bytes, src[n][l], idx[n][k]. Every index is checked
 * against [0, l) before anything is written. */
SM_API sm_status sm_gather_rows(const void *src, size_t n, size_t l, size_t row_bytes,
                                const void *idx, sm_index_type index_type, size_t k,
                                void *out);

#define SM_MAX_DIMS 8

/* A strided view: shape and strides (in elements, may be 0 to broadcast;
 * NULL strides mean dense row-major). */
typedef struct sm_view {
    const void *data;
    int ndim;                   /* 1 .. SM_MAX_DIMS */
    const int64_t *shape;
    const int64_t *strides;
} sm_view;

/* torch.gather(input, dim, index): out has index's shape (dense row-major),
 * out[i][j][k] = input[i][index[i][j][k]][k] for dim 1, and so on. index is
 * int64 with input's rank; index.shape[d] <= input.shape[d] for d != dim.
 * Negative dim counts from the end. elem_size is 1, 2, 4 or 8. The MAE
 * pattern ids_keep.unsqueeze(-1).expand(-1, -1, D) runs as the row gather. */
SM_API sm_status sm_gather(const sm_view *input, size_t elem_size, int dim,
                           const sm_view *index, void *out);

/* ---------------------------------------------------------------- backends */

/* Backends compiled in, best first. Index 0 .. sm_backend_count() - 1. */
SM_API size_t sm_backend_count(void);
SM_API const char *sm_backend_name(size_t i);     /* NULL past the end */
SM_API int sm_backend_supported(size_t i);        /* 1 if this CPU runs it */

/* Forces a backend by name ("scalar", "sse4", "avx2", "avx512", "neon"), or
 * back to automatic choice with NULL or "auto". SM_ENOTFOUND if not compiled
 * in, SM_EUNSUPPORTED if this CPU lacks it; the active backend is unchanged
 * then. The environment variable SIMDMASK_BACKEND does the same at first use. */
SM_API sm_status sm_backend_set(const char *name);

/* Name of the active backend (selecting it if nothing has been used yet). */
SM_API const char *sm_backend_active(void);

/* Why the active backend was chosen: "auto", "SIMDMASK_BACKEND" or "sm_backend_set". */
SM_API const char *sm_backend_reason(void);

/* CPU features detected, as a bit set of SM_CPU_* below. */
enum {
    SM_CPU_SSE41 = 1u << 0,
    SM_CPU_SSE42 = 1u << 1,
    SM_CPU_POPCNT = 1u << 2,
    SM_CPU_AVX = 1u << 3,
    SM_CPU_AVX2 = 1u << 4,
    SM_CPU_FMA = 1u << 5,
    SM_CPU_BMI2 = 1u << 6,
    SM_CPU_AVX512F = 1u << 7,
    SM_CPU_AVX512BW = 1u << 8,
    SM_CPU_AVX512VL = 1u << 9,
    SM_CPU_AVX512DQ = 1u << 10,
    SM_CPU_AVX512VBMI2 = 1u << 11,
    SM_CPU_NEON = 1u << 16,
    SM_CPU_SVE = 1u << 17,
    SM_CPU_SVE2 = 1u << 18
};
SM_API uint32_t sm_cpu_features(void);
/* Name of one feature bit ("avx512bw"), NULL for an unknown bit. */
SM_API const char *sm_cpu_feature_name(uint32_t bit);

/* ----------------------------------------------------------------- threads */

/* Threads used by entry points that work on many rows (OpenMP). 0 restores the
 * default (OpenMP's). Results are bit-identical for every thread count. */
SM_API sm_status sm_set_num_threads(int n);
SM_API int sm_get_num_threads(void);

/* Entry points keep their scratch memory (up to 4 MiB) in the calling thread
 * for its next call, and free it when the thread exits; this frees it now. */
SM_API void sm_free_thread_cache(void);

/* ------------------------------------------------------------------ seeds
 * Masked softmax, focus-range masking, patchify, position embeddings and the
 * MAE loss (SPEC sections 1, 5, 6). */

/* Element types of position embeddings. */
typedef enum sm_float_type {
    SM_F64 = 0,           /* double, as MAE's numpy code computes it */
    SM_F32 = 1            /* float: the double result rounded, as MAE's .float() */
} sm_float_type;

/* PyTorch's masked_fill(mask, -1e9) value, as float32. */
#define SM_SOFTMAX_FILL (-1e9f)

/* out = softmax(scores.masked_fill(mask, fill), dim=-1) for scores[rows][cols]
 * float32. mask is bool bytes (nonzero: masked) of mask_rows rows: 1 is a
 * column mask broadcast over rows ([1, cols]), rows is one mask row per
 * scores row ([rows, cols]); mask NULL with mask_rows 0 is plain softmax.
 * The row maximum is subtracted before exp. A fully masked row gives 1/cols
 * with a finite fill and NaN with -INFINITY, as PyTorch does. out may be
 * scores itself (in place); any other overlap is SM_EALIAS.
 * Accuracy: within 8 + cols / 256 ulp of PyTorch's CPU result and of the
 * scalar backend (README: why); exp is SLEEF's 1-ulp expf on x86, and the
 * AVX2 backend reproduces PyTorch 1.13 at its AVX2 capability bit for bit. */
SM_API sm_status sm_masked_softmax(const float *scores, size_t rows, size_t cols,
                                   const uint8_t *mask, size_t mask_rows, float fill,
                                   float *out);

/* Focus-range masking (seed 004): positions [begin, end) get weight
 * focus_rate, the others 1 - focus_rate (rounded to float32, as
 * torch.tensor(weights) does); L - len_keep positions per sample are drawn by
 * weighted sampling without replacement (the smallest keys Exp(1) / w, i.e.
 * the top-k of w / Exp(1)), their noise is set to 1.1 so that they sort last,
 * and random masking proceeds as sm_random_masking. end > L is an error
 * (never resized). m->rng is required (m->noise_in must be NULL):
 *   SM_RNG_TORCH: bit for bit torch.multinomial(weights, L - len_keep,
 *     replacement=False) followed by torch.rand(N, L), PyTorch 1.13 CPU; the
 *     N * L exponential draws take 2 words each, then N * L uniforms.
 *   SM_RNG_PHILOX: uniforms as sm_random_masking; the exponential of (row n,
 *     column c) comes from counter (2^31 + c / 2, stream, n lo, n hi), words
 *     2(c % 2) and 2(c % 2) + 1 as 53 bits, so it never meets a noise draw.
 * m->noise, if given, receives the noise with the 1.1 entries. */
typedef struct sm_focus {
    size_t begin;               /* first focus position (token index) */
    size_t end;                 /* one past the last; begin <= end <= l */
    double focus_rate;          /* weight inside the range, in [0, 1] */
} sm_focus;

SM_API sm_status sm_focus_masking(sm_masking *m, const sm_focus *focus);

/* MAE's patchify: imgs[n][c][h][w] -> patches[n][(h/p)(w/p)][p*p*c]
 * (einsum nchpwq->nhwpqc), elements of elem_size 2 or 4 bytes (bit copies).
 * h and w must both divide by p; h != w is fine. */
SM_API sm_status sm_patchify(const void *imgs, size_t n, size_t c, size_t h, size_t w,
                             size_t p, size_t elem_size, void *patches);
/* The inverse: patches[n][(h/p)(w/p)][p*p*c] -> imgs[n][c][h][w]. */
SM_API sm_status sm_unpatchify(const void *patches, size_t n, size_t c, size_t h, size_t w,
                               size_t p, size_t elem_size, void *imgs);

/* MAE's get_2d_sincos_pos_embed for a grid_h x grid_w grid (MAE: square):
 * out[cls + grid_h * grid_w][embed_dim], row cls + i * grid_w + j holds
 * [sin(j w), cos(j w), sin(i w), cos(i w)] over w_k = 1 / 10000^(k / (D/4)),
 * k < D/4 (the first half encodes the column, as MAE's meshgrid does);
 * cls_token nonzero puts a row of zeros first. embed_dim divides by 4. */
SM_API sm_status sm_pos_embed_2d(size_t embed_dim, size_t grid_h, size_t grid_w, int cls_token,
                                 sm_float_type type, void *out);

/* MAE's get_1d_sincos_pos_embed_from_grid: out[m][embed_dim] =
 * [sin(pos w), cos(pos w)] with w_k = 1 / 10000^(k / (D/2)), k < D/2; pos NULL
 * means positions 0 .. m - 1. embed_dim is even. */
SM_API sm_status sm_pos_embed_1d(size_t embed_dim, const double *pos, size_t m,
                                 sm_float_type type, void *out);

/* MAE's forward_loss on pred and target patches [n][l][d] and mask [n][l]
 * (1 removed, 0 kept; other weights are used as given):
 *   norm_pix: target = (target - mean) / sqrt(var + 1e-6), mean and unbiased
 *             var over each patch's d values;
 *   patch_loss[n][l] = mean over d of (pred - target)^2;
 *   loss = sum(patch_loss * mask) / sum(mask).
 * Sums run in double, so the result is the exact value rounded (PyTorch's
 * float32 reductions agree to ~1e-6 relative). A mask that sums to 0 is
 * SM_ENOREMOVED, not NaN. Outputs besides loss are optional (NULL):
 * mean and var (the unbiased variance, computed whether or not norm_pix) let
 * a caller undo the normalisation; grad = d loss / d pred
 * = 2 (pred - target) mask / (d sum(mask)). d >= 2 with norm_pix. */
typedef struct sm_mae_loss {
    size_t n, l, d;
    const float *pred;
    const float *target;        /* the patchified images */
    const float *mask;
    int norm_pix;
    float *loss;                /* [1], required */
    float *patch_loss;          /* [n][l] */
    float *mean;                /* [n][l] */
    float *var;                 /* [n][l] */
    float *grad;                /* [n][l][d] */
} sm_mae_loss;

SM_API sm_status sm_mae_loss_compute(const sm_mae_loss *a);

#ifdef __cplusplus
}
#endif

#endif /* SIMDMASK_H */
