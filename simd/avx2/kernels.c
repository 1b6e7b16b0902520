/* The AVX2 backend: AVX + AVX2 + FMA + BMI2, 8 uint32 lanes. */
#include "vec.h"
#include "common/kernels_tmpl.h"

const struct sm_kernels sm__kernels_avx2 = {
    .name = "avx2",
    .required = SM_CPU_AVX | SM_CPU_AVX2 | SM_CPU_FMA | SM_CPU_BMI2,
    SMV_COMMON_SLOTS,
    .argsort_noise = sm__avx2_argsort_noise,
    .argsort_f32 = sm__avx2_argsort_f32,
    .inverse_perm = inverse_perm_scalar8,
    .masked_softmax = sm__avx2_masked_softmax,
};
