/* AVX2 masked softmax: 8 lanes, SLEEF's Sleef_expf8_u10avx2 (1 ulp), the
 * same exp and lane tree as PyTorch 1.13 at its AVX2 capability. */
#include <immintrin.h>
#include <sleef.h>

#define SMS_W 8
#define SMS_V __m256
#define SMS_LOAD(p) _mm256_loadu_ps(p)
#define SMS_STORE(p, v) _mm256_storeu_ps((p), (v))
#define SMS_SET1(f) _mm256_set1_ps(f)
#define SMS_MAX(a, b) _mm256_max_ps((a), (b))
#define SMS_ADD(a, b) _mm256_add_ps((a), (b))
#define SMS_SUB(a, b) _mm256_sub_ps((a), (b))
#define SMS_MUL(a, b) _mm256_mul_ps((a), (b))
#define SMS_EXP(v) Sleef_expf8_u10avx2(v)
#define SMS_SELECT(v, m, fillv) avx2_select((v), (m), (fillv))
#define SMS_HSUM(v) avx2_hsum(v)
#define SMS_HMAX(v) avx2_hmax(v)
#define SMS_FN sm__avx2_masked_softmax

#include <stdint.h>

static inline __m256 avx2_select(__m256 v, const uint8_t *m, __m256 fillv)
{
    __m256i b = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)m));
    __m256i keep = _mm256_cmpeq_epi32(b, _mm256_setzero_si256());
    return _mm256_blendv_ps(fillv, v, _mm256_castsi256_ps(keep));
}

/* PyTorch's vec_reduce_all for AVX2 floats: 128-bit halves, then 64-bit,
 * then 32-bit neighbours. */
static inline float avx2_hsum(__m256 v)
{
    v = _mm256_add_ps(v, _mm256_permute2f128_ps(v, v, 0x1));
    v = _mm256_add_ps(v, _mm256_shuffle_ps(v, v, 0x4E));
    v = _mm256_add_ps(v, _mm256_shuffle_ps(v, v, 0xB1));
    return _mm256_cvtss_f32(v);
}

static inline float avx2_hmax(__m256 v)
{
    v = _mm256_max_ps(v, _mm256_permute2f128_ps(v, v, 0x1));
    v = _mm256_max_ps(v, _mm256_shuffle_ps(v, v, 0x4E));
    v = _mm256_max_ps(v, _mm256_shuffle_ps(v, v, 0xB1));
    return _mm256_cvtss_f32(v);
}

#include "common/softmax_tmpl.h"
