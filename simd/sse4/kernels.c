/* The SSE4 backend: SSE4.1 + SSE4.2 + POPCNT, 4 uint32 lanes. */
#include "vec.h"
#include "common/kernels_tmpl.h"

const struct sm_kernels sm__kernels_sse4 = {
    .name = "sse4",
    .required = SM_CPU_SSE41 | SM_CPU_SSE42 | SM_CPU_POPCNT,
    SMV_COMMON_SLOTS,
    .argsort_noise = sm__sse4_argsort_noise,
    .argsort_f32 = sm__sse4_argsort_f32,
    .inverse_perm = inverse_perm_scalar8,
    .masked_softmax = sm__sse4_masked_softmax,
};
