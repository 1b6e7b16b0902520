/* AVX-512 masked softmax: 16 lanes, SLEEF's Sleef_expf16_u10avx512f (1 ulp),
 * mask bytes tested straight into a k register (AVX512BW+VL). */
#include <immintrin.h>
#include <sleef.h>

#define SMS_W 16
#define SMS_V __m512
#define SMS_LOAD(p) _mm512_loadu_ps(p)
#define SMS_STORE(p, v) _mm512_storeu_ps((p), (v))
#define SMS_SET1(f) _mm512_set1_ps(f)
#define SMS_MAX(a, b) _mm512_max_ps((a), (b))
#define SMS_ADD(a, b) _mm512_add_ps((a), (b))
#define SMS_SUB(a, b) _mm512_sub_ps((a), (b))
#define SMS_MUL(a, b) _mm512_mul_ps((a), (b))
#define SMS_EXP(v) Sleef_expf16_u10avx512f(v)
#define SMS_SELECT(v, m, fillv) \
    _mm512_mask_blend_ps(_mm_test_epi8_mask(_mm_loadu_si128((const __m128i *)(m)), \
                                            _mm_loadu_si128((const __m128i *)(m))), (v), (fillv))
#define SMS_HSUM(v) _mm512_reduce_add_ps(v)
#define SMS_HMAX(v) _mm512_reduce_max_ps(v)
#define SMS_FN sm__avx512_masked_softmax

#include "common/softmax_tmpl.h"
