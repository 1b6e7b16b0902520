/* NEON masked softmax (AArch64): 4 lanes, SLEEF's Sleef_expf4_u10advsimd
 * (1 ulp; Debian's libsleef-dev:arm64). The AVX-512 backend's inline exp
 * beat SLEEF there by 2.2x, but that was measured on x86; with no aarch64
 * hardware to time on (qemu timings mean nothing), NEON keeps SLEEF. */
#include <arm_neon.h>
#include <math.h>
#include <sleef.h>
#include <stdint.h>
#include <string.h>

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
#define SMS_EXP(v) Sleef_expf4_u10advsimd(v)
#define SMS_SELECT(v, m, fillv) neon_select((v), (m), (fillv))
#define SMS_HSUM(v) vaddvq_f32(v)
#define SMS_HMAX(v) vmaxvq_f32(v)
#define SMS_FN sm__neon_masked_softmax

#include "common/softmax_tmpl.h"
