/* NEON masked softmax (AArch64): 4 lanes and an inline exp. Debian's
 * libsleef-dev is not multi-arch here, so the exp is our own: the AVX-512
 * one's Cody-Waite reduction and Taylor series to r^7 (max 1 ulp from the
 * correctly rounded exp on every 61st float of [-104, 89], 36.7 M values,
 * mean 0.005 ulp, checked under qemu), with the 2^n scaling done in two
 * halves so that subnormal results are rounded once, as vscalefps does. */
#include <arm_neon.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* 2^k as a float for k in [-126, 127]: the exponent field alone. */
static inline float32x4_t neon_pow2i(int32x4_t k)
{
    return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(k, vdupq_n_s32(127)), 23));
}

static inline float32x4_t neon_exp(float32x4_t x)
{
    /* vmaxq/vminq propagate NaN; the clamp keeps n in [-159, 129]. */
    x = vmaxq_f32(x, vdupq_n_f32(-110.0f));
    x = vminq_f32(x, vdupq_n_f32(89.0f));
    float32x4_t n = vrndnq_f32(vmulq_n_f32(x, 1.44269504088896341f));
    float32x4_t r = vfmsq_f32(x, n, vdupq_n_f32(0.693145751953125f));
    r = vfmsq_f32(r, n, vdupq_n_f32(1.428606765330187045e-06f));
    float32x4_t p = vdupq_n_f32(1.0f / 5040);
    p = vfmaq_f32(vdupq_n_f32(1.0f / 720), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.0f / 120), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.0f / 24), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.0f / 6), p, r);
    p = vfmaq_f32(vdupq_n_f32(0.5f), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.0f), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.0f), p, r);
    /* n = n1 + n2 with both halves in [-80, 65]: p * 2^n1 is exact, the
     * second product rounds once (subnormals included, inf above). */
    int32x4_t ni = vcvtq_s32_f32(n);
    int32x4_t n1 = vshrq_n_s32(ni, 1);
    int32x4_t n2 = vsubq_s32(ni, n1);
    float32x4_t e = vmulq_f32(vmulq_f32(p, neon_pow2i(n1)), neon_pow2i(n2));
    /* NaN in, NaN out (the conversion to int lost it) */
    return vbslq_f32(vceqq_f32(x, x), e, x);
}

static inline float32x4_t neon_select(float32x4_t v, const uint8_t *m, float32x4_t fillv)
{
    uint32_t b;
    memcpy(&b, m, 4);
    uint16x4_t h = vget_low_u16(vmovl_u8(vcreate_u8(b)));
    uint32x4_t keep = vceqq_u32(vmovl_u16(h), vdupq_n_u32(0));
    return vbslq_f32(keep, v, fillv);
}

#define SMS_W 4
#define SMS_V float32x4_t
#define SMS_LOAD(p) vld1q_f32(p)
#define SMS_STORE(p, v) vst1q_f32((p), (v))
#define SMS_SET1(f) vdupq_n_f32(f)
#define SMS_MAX(a, b) vmaxq_f32((a), (b))
#define SMS_ADD(a, b) vaddq_f32((a), (b))
#define SMS_SUB(a, b) vsubq_f32((a), (b))
#define SMS_MUL(a, b) vmulq_f32((a), (b))
#define SMS_EXP(v) neon_exp(v)
#define SMS_SELECT(v, m, fillv) neon_select((v), (m), (fillv))
#define SMS_HSUM(v) vaddvq_f32(v)
#define SMS_HMAX(v) vmaxvq_f32(v)
#define SMS_FN sm__neon_masked_softmax

#include "common/softmax_tmpl.h"
