/* The AVX-512 backend: F + BW + VL + DQ, 16 uint32 lanes. */
#include "vec.h"
#define SMV_GATHER_ROWS_U32 gather_rows_u32_sized /* below */
#define SMV_GATHER_ROWS_I64 gather_rows_i64_sized
#include "common/kernels_tmpl.h"

/* Gathers with plain stores of rows from 512 bytes up to the side-by-side
 * copy (2 KiB) take AVX2's build of the same one-row loop (AVX-512 copies
 * rows of 1 KiB and more in AVX2's 32-byte moves anyway): it measured ahead
 * of this build's in every run, though by little and for no cause found.
 * 16 MiB source, 4 MiB out, the two kernels interleaved, 30 rounds, % of
 * memcpy, AVX-512 / AVX2, two runs each: 512-byte rows 88/92, 104/104; 768
 * 87/90, 85/87; 1024 87/88, 91/94; 1536 87/91, 101/102; the benchmark suite's
 * 1024-byte rows, six results over three runs: AVX2 ahead by 1..7 points in
 * each. So this backend requires AVX2's features too (every AVX-512 CPU has
 * them).
 * The constant-size copies of 64, 128 and 256-byte rows go the same way: on a
 * Zen 4 (family 25 model 17), same harness, 40 passes a round, 60 rounds,
 * best, AVX-512 / AVX2: 64-byte rows 25 % kept 97/108, 10 % 78/83; 128: 84/92,
 * 61/76; 256: 90/96, 83/90; three benchmark-suite runs agreed (AVX2 ahead in
 * all 12 results, by 1..14 points). Other sizes under 512 bytes were even or
 * went either way (192, 320, 448: within 1; 96: 66/61; 32: 28/35 and 40/32). */
static inline int avx2_gathers(size_t row_bytes)
{
    return (row_bytes >= 512 && row_bytes < 2048) || row_bytes == 64 || row_bytes == 128 ||
           row_bytes == 256;
}

#define DEFINE_SIZED(name, itype)                                                                 \
    static void name##_sized(const void *src, size_t row_bytes, const itype *idx, size_t k,    \
                             void *out)                                                        \
    {                                                                                          \
        (avx2_gathers(row_bytes) ? sm__kernels_avx2.name : name)(src, row_bytes, idx, k, out); \
    }
DEFINE_SIZED(gather_rows_u32, uint32_t)
DEFINE_SIZED(gather_rows_i64, int64_t)

const struct sm_kernels sm__kernels_avx512 = {
    .name = "avx512",
    .required = SM_CPU_AVX512F | SM_CPU_AVX512BW | SM_CPU_AVX512VL | SM_CPU_AVX512DQ |
                SM_CPU_AVX | SM_CPU_AVX2 | SM_CPU_FMA | SM_CPU_BMI2,
    SMV_COMMON_SLOTS,
    .argsort_noise = sm__avx512_argsort_noise,
    .argsort_f32 = sm__avx512_argsort_f32,
    /* vpscatterdd lost to plain stores at every length on Zen 4 (ns/element,
     * scatter vs unrolled stores: L=196 0.27 vs 0.16, L=1568 0.27 vs 0.24,
     * L=65536 0.39 vs 0.33), so the scatter is the same as AVX2's. */
    .inverse_perm = inverse_perm_scalar8,
    .masked_softmax = sm__avx512_masked_softmax,
};
