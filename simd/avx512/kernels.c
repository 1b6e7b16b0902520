/* The AVX-512 backend: F + BW + VL + DQ, 16 uint32 lanes. */
#include "vec.h"
#include "common/kernels_tmpl.h"

/* inv[perm[j]] = j with vpscatterdd, 16 lanes at a time; perm is a
 * permutation, so lanes never collide. */
static void inverse_perm_scatter(const uint32_t *perm, size_t l, uint32_t *inv)
{
    __m512i j = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i step = _mm512_set1_epi32(16);
    size_t i = 0;
    for (; i + 16 <= l; i += 16) {
        _mm512_i32scatter_epi32(inv, _mm512_loadu_si512(perm + i), j, 4);
        j = _mm512_add_epi32(j, step);
    }
    for (; i < l; i++) inv[perm[i]] = (uint32_t)i;
}

const struct sm_kernels sm__kernels_avx512 = {
    .name = "avx512",
    .required = SM_CPU_AVX512F | SM_CPU_AVX512BW | SM_CPU_AVX512VL | SM_CPU_AVX512DQ,
    SMV_COMMON_SLOTS,
    .inverse_perm = inverse_perm_scatter,
};
