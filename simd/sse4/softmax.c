/* SSE4.1 masked softmax: 4 lanes, SLEEF's Sleef_expf4_u10sse4 (1 ulp). */
#include <immintrin.h>
#include <sleef.h>

#define SMS_W 4
#define SMS_V __m128
#define SMS_LOAD(p) _mm_loadu_ps(p)
#define SMS_STORE(p, v) _mm_storeu_ps((p), (v))
#define SMS_SET1(f) _mm_set1_ps(f)
#define SMS_MAX(a, b) _mm_max_ps((a), (b))
#define SMS_ADD(a, b) _mm_add_ps((a), (b))
#define SMS_SUB(a, b) _mm_sub_ps((a), (b))
#define SMS_MUL(a, b) _mm_mul_ps((a), (b))
#define SMS_EXP(v) Sleef_expf4_u10sse4(v)
#define SMS_SELECT(v, m, fillv) sse4_select((v), (m), (fillv))
#define SMS_HSUM(v) sse4_hsum(v)
#define SMS_HMAX(v) sse4_hmax(v)
#define SMS_FN sm__sse4_masked_softmax

#include <stdint.h>
#include <string.h>

static inline __m128 sse4_select(__m128 v, const uint8_t *m, __m128 fillv)
{
    int32_t b;
    memcpy(&b, m, 4);
    __m128i keep = _mm_cmpeq_epi32(_mm_cvtepu8_epi32(_mm_cvtsi32_si128(b)), _mm_setzero_si128());
    return _mm_blendv_ps(fillv, v, _mm_castsi128_ps(keep));
}

/* PyTorch's tree for 4 lanes: swap halves, then neighbours. */
static inline float sse4_hsum(__m128 v)
{
    v = _mm_add_ps(v, _mm_shuffle_ps(v, v, 0x4E));
    v = _mm_add_ps(v, _mm_shuffle_ps(v, v, 0xB1));
    return _mm_cvtss_f32(v);
}

static inline float sse4_hmax(__m128 v)
{
    v = _mm_max_ps(v, _mm_shuffle_ps(v, v, 0x4E));
    v = _mm_max_ps(v, _mm_shuffle_ps(v, v, 0xB1));
    return _mm_cvtss_f32(v);
}

#include "common/softmax_tmpl.h"
