/* The AVX-512 backend: F + BW + VL + DQ, 16 uint32 lanes. */
#include "vec.h"
#include "common/kernels_tmpl.h"

const struct sm_kernels sm__kernels_avx512 = {
    .name = "avx512",
    .required = SM_CPU_AVX512F | SM_CPU_AVX512BW | SM_CPU_AVX512VL | SM_CPU_AVX512DQ,
    SMV_COMMON_SLOTS,
    .argsort_noise = sm__avx512_argsort_noise,
    .argsort_f32 = sm__avx512_argsort_f32,
    /* vpscatterdd lost to plain stores at every length on Zen 4 (ns/element,
     * scatter vs unrolled stores: L=196 0.27 vs 0.16, L=1568 0.27 vs 0.24,
     * L=65536 0.39 vs 0.33), so the scatter is the same as AVX2's. */
    .inverse_perm = inverse_perm_scalar8,
    .masked_softmax = sm__avx512_masked_softmax,
};
