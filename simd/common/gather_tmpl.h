/* Row gathers over the vector layer (include after <isa>/vec.h).
 *
 * Memory-bound: the floor is memcpy of the output. Rows are copied with
 * unaligned vector moves, four per step; a row that is not a multiple of the
 * vector ends with one overlapping vector (same bytes written twice), rows
 * shorter than a vector with smv_copy_small. The rows GATHER_PF_BYTES ahead
 * are prefetched: the source rows are scattered, so the hardware prefetcher
 * only sees each row once it is being read.
 *
 * The _nt kernels store with non-temporal moves when the output is aligned to
 * the vector and rows are whole vectors (else they fall back to plain
 * stores): the entry points pick them for outputs larger than the last-level
 * cache, where write-allocate would read every output line first. */

/* Bytes of rows prefetched ahead of the one being copied, for rows over 64
 * bytes. Measured on the Zen 4 host, 16 MiB source, 4 MiB output, % of
 * memcpy (AVX-512 / AVX2): 512: 256 B rows 87/101; 1024: 88/105; 2048: 91/102
 * (memcpy itself varies by ~20 % between runs on the shared host); with the
 * output in DRAM (38 MB) 4096 beat 1024 (3072 B rows 86 % vs 75 %).
 * Rows of 64 bytes or less are not prefetched: it cost the 64-byte unshuffle
 * half its throughput (29 vs 57 GB/s, memcpy 52..58) and the gather of 64-byte
 * rows from DRAM a third (26 % of memcpy with 256..1024 bytes ahead, 39 %
 * without). */
#define GATHER_PF_BYTES 2048
/* In the unshuffle's loop, for rows of GATHER_PF_BYTES or more (prefetched one
 * row ahead), the first line of the row GATHER_FAR ahead is touched too: it
 * starts the page walk and the DRAM page early. Measured on the gather when it
 * took this loop, MAE ViT-B step's gather (12544 rows of 3072 bytes
 * from a 154 MB source into 38.5 MB, streaming stores), best of 40, interleaved
 * in one process, two sessions: without it 2.78..3.15 ms, 4 rows ahead
 * 2.48..2.67, 6 rows 2.53..2.60, 8 rows 2.48..2.50, 2 rows 2.55..2.57 (memcpy
 * of the output 2.02..2.37). */
#define GATHER_FAR 6

/* Rows from 8 KiB on go through libc's memcpy (rep movsb on these CPUs) when
 * the stores are plain, one call a row and no software prefetch: memcpy's
 * own reads run ahead within the row. 16 MiB source, 4 MiB out, AVX-512 on
 * Zen 4, GB/s: 8192-byte rows 54 with the four-vector loop, 56..57.5 through
 * memcpy (the scalar backend's memcpy per row: 55..56); 4096-byte rows 91 % of
 * memcpy with the loop, 85 % through memcpy; 3072: loop 91..93 %, memcpy per
 * row 83..85 %. Prefetching the next row whole before each call (as the
 * one-row loop does) was even with plain memcpy per row on Zen 4 (benchmark
 * suite, 8192-byte rows, 25 % / 10 % kept: 90/90 % of memcpy against the
 * scalar backend's 89/90 %) and lost on Zen 3 (AVX2: 74/83 % against 86/90 %
 * in the suite; 78 % against 93 % in an interleaved harness). */
#define GATHER_MEMCPY_MIN 8192

#define GATHER_YMM_MIN 1024

/* Bytes copied per row per turn when rows are copied side by side (below). */
#define GATHER_STEP 256

/* v vectors (a constant after inlining) from s to d: all loads, then all
 * stores, streaming when nt. */
static inline __attribute__((always_inline)) void copy_vectors(char *d, const char *s, int v, int nt)
{
    smv x[GATHER_STEP / SMV_BYTES];
    for (int q = 0; q < v; q++) x[q] = smv_load(s + q * SMV_BYTES);
    if (nt)
        for (int q = 0; q < v; q++) smv_stream(d + q * SMV_BYTES, x[q]);
    else
        for (int q = 0; q < v; q++) smv_store(d + q * SMV_BYTES, x[q]);
}

/* GATHER_STEP bytes from s to d: ymm selects 32-byte moves on AVX-512 (see
 * copy_row). */
static inline __attribute__((always_inline)) void copy_step(char *d, const char *s, int nt, int ymm)
{
#if SMV_BYTES == 64
    if (!nt && ymm) {
        __m256i y[8];
        for (int q = 0; q < 8; q++) y[q] = _mm256_loadu_si256((const __m256i *)(s + 32 * q));
        for (int q = 0; q < 8; q++) _mm256_storeu_si256((__m256i *)(d + 32 * q), y[q]);
        return;
    }
#else
    (void)ymm;
#endif
    copy_vectors(d, s, GATHER_STEP / SMV_BYTES, nt);
}

/* Bytes [o, n) of a row of n >= SMV_BYTES bytes (n a multiple of the vector
 * when nt): whole vectors, then one overlapping the end. */
static inline __attribute__((always_inline)) void copy_tail(char *d, const char *s, size_t o, size_t n, int nt)
{
    if (nt) {
        for (; o < n; o += SMV_BYTES) smv_stream(d + o, smv_load(s + o));
        return;
    }
    for (; o + SMV_BYTES <= n; o += SMV_BYTES) smv_store(d + o, smv_load(s + o));
    if (o < n) smv_store(d + n - SMV_BYTES, smv_load(s + n - SMV_BYTES));
}

static inline __attribute__((always_inline)) void copy_row(char *d, const char *s, size_t n, int nt)
{
    if (n < SMV_BYTES) {
        smv_copy_small(d, s, n);
        return;
    }
    if (!nt && n >= GATHER_MEMCPY_MIN) {
        memcpy(d, s, n);
        return;
    }
    size_t o = 0;
#if SMV_BYTES == 64
    /* AVX-512 with plain stores, rows of GATHER_YMM_MIN bytes or more: 256
     * bytes per step in 32-byte moves. Benchmark suite (16 MiB source, 4 MiB
     * out, 49 rows per call), AVX-512 GB/s, zmm loop vs this, four paired
     * runs: 3072-byte rows 25 % kept 47.4/50.1, 46.4/49.0, 48.4/50.1,
     * 49.3/51.3; 10 % kept 47.4/51.5, 49.4/51.8; 1024-byte rows 42.3/44.1,
     * 42.4/43.7, 43.3/43.4, 44.9/45.6 (the AVX2 kernel had beaten the AVX-512
     * one there: 46.7 vs 42.7 and 48.4 vs 45.8 GB/s). time_kernels gather4
     * (random rows), best of 6: 3072 56.0/57.9, 4096 56.4/57.5, 1024
     * 52.8/52.6, 768 51.7/50.5 (hence the threshold); 256-byte rows mixed.
     * The non-temporal path keeps 64-byte streaming stores (whole lines). */
    if (!nt && n >= GATHER_YMM_MIN)
        for (; o + GATHER_STEP <= n; o += GATHER_STEP) copy_step(d + o, s + o, 0, 1);
#endif
    for (; o + 4 * SMV_BYTES <= n; o += 4 * SMV_BYTES) copy_vectors(d + o, s + o, 4, nt);
    copy_tail(d, s, o, n, nt);
}

/* Prefetches the cache lines of a row (all of it: with 3072-byte rows in
 * DRAM, capping at 2048 bytes cost ~10 % of throughput). */
static inline void prefetch_row(const char *p, size_t n)
{
    for (size_t o = 0; o < n; o += 64) smv_prefetch(p + o);
}

/* Rows to look ahead so that ~GATHER_PF_BYTES are in flight. */
static inline size_t pf_rows(size_t row_bytes)
{
    return row_bytes >= GATHER_PF_BYTES ? 1 : (GATHER_PF_BYTES + row_bytes - 1) / row_bytes;
}

static inline int nt_ok(const void *out, size_t row_bytes)
{
    return ((uintptr_t)out % SMV_BYTES) == 0 && row_bytes % SMV_BYTES == 0;
}

/* ------------------------------------------------- rows side by side
 *
 * Larger rows are copied G at a time, GATHER_STEP bytes of each in turn,
 * while the rows of the group pf_groups ahead are prefetched GATHER_STEP
 * bytes at a time. G rows keep G demand streams going and the prefetches are
 * spread over the copy, where one row at a time with a burst of prefetches
 * ahead leaves memory idle at the start of each row.
 *
 * Measured on the Zen 4 host against the one-row loop (GATHER_LOOP), both
 * compiled into one program and interleaved in random order, as % of memcpy
 * of the output (AVX-512 / AVX2):
 * - from DRAM (38 MiB out, streaming stores, caches flushed before each run),
 *   AVX-512, G = 4: 1024-byte rows 72..77 -> 81..86 (three runs), 2048: 78 ->
 *   82, 3072: 74..87 -> 83..100 (eight runs, median gain 2 points), 8192:
 *   64..85 -> 101..106 (two runs); but 512: 74 -> 71, 768: 78 -> 79, and
 *   256-byte rows lost with G = 1, 2 or 4 and tied with 8 (64 vs 65 %), so
 *   rows under 1024 bytes keep the one-row loop.
 * - from the cache (4 MiB out, plain stores, 40 rounds): 2048-byte rows with
 *   G = 2: 77 -> 82 / 81 -> 83; 3072 with G = 1 and the prefetch two rows
 *   ahead: 91 -> 94 / 93 -> 94; 4096 likewise 83 -> 87 / 86 -> 86; but G = 4
 *   lost at 512 (103 -> 93) and 1024 bytes (94 -> 91 / 99 -> 90). */

/* Rows side by side and groups prefetched ahead, per row size and store kind. */
struct gather_plan {
    size_t group, pf_groups;
};

static inline struct gather_plan gather_plan(size_t row_bytes, int nt)
{
    struct gather_plan p = { 0, 1 }; /* group 0: the one-row loop */
    if (nt && row_bytes >= 1024) {
        p.group = 4;
    } else if (!nt && row_bytes >= 2048 && row_bytes < GATHER_MEMCPY_MIN) {
        p.group = row_bytes < 3072 ? 2 : 1;
        p.pf_groups = p.group == 1 ? 2 : 1;
    }
    return p;
}

/* Source row of index j of idx, uint32 or int64. */
#define GATHER_SRC(j) (s + (size_t)idx[j] * rb)

/* The gather with G (a constant in each expansion) rows side by side. */
#define GATHER_GROUPS(G, NT)                                                                      \
    do {                                                                                          \
        size_t body = rb - rb % GATHER_STEP, j = 0;                                               \
        int ymm = rb >= GATHER_YMM_MIN;                                                           \
        for (; j + (G) <= k; j += (G)) {                                                          \
            const char *src[G], *nx[G];                                                           \
            char *dst[G];                                                                         \
            size_t n0 = j + plan.pf_groups * (G), nn = n0 >= k ? 0 : k - n0 < (G) ? k - n0 : (G); \
            for (size_t g = 0; g < (G); g++) {                                                    \
                src[g] = GATHER_SRC(j + g), dst[g] = o + (j + g) * rb;                            \
                nx[g] = g < nn ? GATHER_SRC(n0 + g) : NULL;                                       \
            }                                                                                     \
            for (size_t off = 0; off < body; off += GATHER_STEP) {                                \
                for (size_t g = 0; g < (G); g++) {                                                \
                    if (g < nn)                                                                   \
                        for (size_t l = 0; l < GATHER_STEP; l += 64) smv_prefetch(nx[g] + off + l); \
                    copy_step(dst[g] + off, src[g] + off, (NT), ymm);                             \
                }                                                                                 \
            }                                                                                     \
            if (body < rb)                                                                        \
                for (size_t g = 0; g < (G); g++) {                                                \
                    if (g < nn) prefetch_row(nx[g] + body, rb - body);                            \
                    copy_tail(dst[g], src[g], body, rb, (NT));                                    \
                }                                                                                 \
        }                                                                                         \
        for (; j < k; j++) copy_row(o + j * rb, GATHER_SRC(j), rb, (NT));                         \
    } while (0)

#define GATHER_GROUPED(NT)                                                                        \
    switch (plan.group) {                                                                         \
    case 4: GATHER_GROUPS(4, NT); break;                                                          \
    case 2: GATHER_GROUPS(2, NT); break;                                                          \
    default: GATHER_GROUPS(1, NT); break;                                                         \
    }

/* One gather loop; RB is a constant in the specialised copies so that
 * copy_row unrolls to straight moves for the small rows where per-row
 * overhead is what counts (64-byte rows: ~3 cycles each at memcpy speed). */
#define GATHER_LOOP(RB, NT)                                                                       \
    for (size_t j = 0; j < k; j++) {                                                              \
        if ((RB) > 64 && j + ahead < k) prefetch_row(s + (size_t)idx[j + ahead] * (RB), (RB)); \
        copy_row(o + j * (RB), s + (size_t)idx[j] * (RB), (RB), (NT));                           \
    }

#define DEFINE_GATHER(name, itype, nt_arg)                                                        \
    static void name(const void *src, size_t row_bytes, const itype *idx, size_t k, void *out)   \
    {                                                                                             \
        const char *s = src;                                                                      \
        char *o = out;                                                                            \
        size_t ahead = pf_rows(row_bytes), rb = row_bytes;                                        \
        int nt = (nt_arg) && nt_ok(out, row_bytes);                                               \
        struct gather_plan plan = gather_plan(row_bytes, nt);                                     \
        if (nt && plan.group) {                                                                   \
            GATHER_GROUPED(1)                                                                     \
            smv_sfence();                                                                         \
        } else if (nt) {                                                                          \
            GATHER_LOOP(row_bytes, 1)                                                             \
            smv_sfence();                                                                         \
        } else if (plan.group) {                                                                  \
            GATHER_GROUPED(0)                                                                     \
        } else if (row_bytes >= GATHER_MEMCPY_MIN) {                                              \
            for (size_t j = 0; j < k; j++) memcpy(o + j * rb, GATHER_SRC(j), rb);                 \
        } else if (row_bytes == 64) {                                                             \
            GATHER_LOOP(64, 0)                                                                    \
        } else if (row_bytes == 128) {                                                            \
            GATHER_LOOP(128, 0)                                                                   \
        } else if (row_bytes == 256) {                                                            \
            GATHER_LOOP(256, 0)                                                                   \
        } else {                                                                                  \
            GATHER_LOOP(row_bytes, 0)                                                             \
        }                                                                                         \
    }

DEFINE_GATHER(gather_rows_u32, uint32_t, 0)
DEFINE_GATHER(gather_rows_i64, int64_t, 0)
DEFINE_GATHER(gather_rows_u32_nt, uint32_t, 1)
DEFINE_GATHER(gather_rows_i64_nt, int64_t, 1)

/* The source of output row i without a branch: with 75 % of MAE's rows
 * masked the kept/token choice is a coin flip the predictor loses, which cost
 * 64-byte rows 70 % of their throughput (31 % of memcpy with a branch). The
 * address is formed in uintptr_t because kp + r * row_bytes is outside kept
 * for masked rows. */
static inline const char *unshuffle_src(const char *kp, const char *token, size_t r, size_t len_keep,
                                        size_t rb)
{
    uintptr_t m = (uintptr_t)0 - (uintptr_t)(r < len_keep);
    return (const char *)((((uintptr_t)kp + r * rb) & m) | ((uintptr_t)token & ~m));
}

#define UNSHUFFLE_LOOP(RB, NT)                                                                    \
    for (size_t i = 0; i < l; i++) {                                                              \
        if ((RB) > 64 && i + ahead < l)                                                           \
            prefetch_row(unshuffle_src(kp, tok, (size_t)restore[i + ahead], len_keep, (RB)), (RB)); \
        if ((RB) >= GATHER_PF_BYTES && i + GATHER_FAR < l)                                        \
            smv_prefetch(unshuffle_src(kp, tok, (size_t)restore[i + GATHER_FAR], len_keep, (RB)));  \
        copy_row(o + i * (RB), unshuffle_src(kp, tok, (size_t)restore[i], len_keep, (RB)), (RB), (NT)); \
    }

#define DEFINE_UNSHUFFLE(name, itype, nt_arg)                                                     \
    static void name(const void *kept, const void *token, const itype *restore, size_t l,        \
                     size_t len_keep, size_t row_bytes, void *out)                               \
    {                                                                                             \
        const char *kp = kept, *tok = token;                                                      \
        char *o = out;                                                                            \
        size_t ahead = pf_rows(row_bytes);                                                        \
        if ((nt_arg) && nt_ok(out, row_bytes)) {                                                  \
            UNSHUFFLE_LOOP(row_bytes, 1)                                                          \
            smv_sfence();                                                                         \
        } else if (row_bytes == 64) {                                                             \
            UNSHUFFLE_LOOP(64, 0)                                                                 \
        } else if (row_bytes == 128) {                                                            \
            UNSHUFFLE_LOOP(128, 0)                                                                \
        } else if (row_bytes == 256) {                                                            \
            UNSHUFFLE_LOOP(256, 0)                                                                \
        } else {                                                                                  \
            UNSHUFFLE_LOOP(row_bytes, 0)                                                          \
        }                                                                                         \
    }

DEFINE_UNSHUFFLE(unshuffle_u32, uint32_t, 0)
DEFINE_UNSHUFFLE(unshuffle_i64, int64_t, 0)
DEFINE_UNSHUFFLE(unshuffle_u32_nt, uint32_t, 1)
DEFINE_UNSHUFFLE(unshuffle_i64_nt, int64_t, 1)
