/* Masked softmax of one row, written once over a few vector macros that the
 * including <isa>/softmax.c defines:
 *   SMS_W lanes; SMS_V the float vector; SMS_LOAD, SMS_STORE (unaligned),
 *   SMS_SET1, SMS_MAX, SMS_ADD, SMS_SUB, SMS_MUL, SMS_EXP;
 *   SMS_SELECT(x, m, fillv): lanes whose mask byte m[i] is nonzero take fill;
 *   SMS_HSUM, SMS_HMAX: horizontal reductions to a float;
 *   SMS_FN: the function's name;
 *   optional SMS_LOAD_TAIL(p, m, n, fillv) and SMS_STORE_TAIL(p, v, n): the
 *   first n < SMS_W lanes, where masked loads and stores exist.
 * The structure is PyTorch 1.13's _vec_softmax_lastdim (max by lanes, exp of
 * x - max stored, sum by lanes, then times 1 / sum), so that where the lane
 * count, exp and reduction tree agree (AVX2: SLEEF's expf8_u10, PyTorch's
 * AVX2 capability) the result is PyTorch's to the bit. The tail of a row is
 * padded to a full vector with -inf (its exp is +0, which leaves lane sums
 * as PyTorch's partial-vector `set` leaves them). */
#include <math.h>
#include <string.h>

#include "kernels.h"

static inline SMS_V sms_row_load(const float *x, const uint8_t *mask, size_t i, size_t n,
                                 SMS_V fillv)
{
    if (n == SMS_W) {
        SMS_V v = SMS_LOAD(x + i);
        return mask ? SMS_SELECT(v, mask + i, fillv) : v;
    }
#ifdef SMS_LOAD_TAIL /* masked loads: -inf in lanes n.. */
    return SMS_LOAD_TAIL(x + i, mask ? mask + i : NULL, n, fillv);
#endif
    float buf[SMS_W];
    uint8_t mb[SMS_W];
    for (size_t j = 0; j < SMS_W; j++) buf[j] = -INFINITY, mb[j] = 0;
    memcpy(buf, x + i, n * sizeof(float));
    SMS_V v = SMS_LOAD(buf);
    if (!mask) return v;
    memcpy(mb, mask + i, n);
    return SMS_SELECT(v, mb, fillv);
}

/* Below one vector PyTorch reduces the lanes in order; from one vector on,
 * by its tree (SMS_HSUM / SMS_HMAX). */
static inline float sms_hsum(SMS_V v, size_t c)
{
    if (c >= SMS_W) return SMS_HSUM(v);
    float a[SMS_W], s = 0.0f;
    SMS_STORE(a, v);
    s = a[0];
    for (size_t j = 1; j < c; j++) s += a[j];
    return s;
}

static inline float sms_hmax(SMS_V v, size_t c)
{
    if (c >= SMS_W) return SMS_HMAX(v);
    float a[SMS_W];
    SMS_STORE(a, v);
    float m = a[0];
    for (size_t j = 1; j < c; j++) m = (a[j] > m || isnan(a[j])) ? a[j] : m;
    return m;
}

void SMS_FN(const float *x, const uint8_t *mask, float fill, size_t c, float *out)
{
    SMS_V fillv = SMS_SET1(fill);
    SMS_V acc = SMS_SET1(-INFINITY);
    for (size_t i = 0; i < c; i += SMS_W) {
        size_t n = c - i < SMS_W ? c - i : SMS_W;
        acc = SMS_MAX(acc, sms_row_load(x, mask, i, n, fillv));
    }
    SMS_V mx = SMS_SET1(sms_hmax(acc, c));

    SMS_V sum = SMS_SET1(0.0f);
    for (size_t i = 0; i < c; i += SMS_W) {
        size_t n = c - i < SMS_W ? c - i : SMS_W;
        SMS_V e = SMS_EXP(SMS_SUB(sms_row_load(x, mask, i, n, fillv), mx));
        sum = SMS_ADD(sum, e);
        if (n == SMS_W) {
            SMS_STORE(out + i, e);
        } else {
#ifdef SMS_STORE_TAIL
            SMS_STORE_TAIL(out + i, e, n);
#else
            float buf[SMS_W];
            SMS_STORE(buf, e);
            memcpy(out + i, buf, n * sizeof(float));
#endif
        }
    }
    /* A NaN score (unmasked) makes its exp and so the sum NaN: the whole row
     * is NaN, as in PyTorch, whatever the max lanes kept. */
    float inv_s = 1.0f / sms_hsum(sum, c);
    SMS_V inv = SMS_SET1(inv_s);
    size_t i = 0;
    for (; i + SMS_W <= c; i += SMS_W) SMS_STORE(out + i, SMS_MUL(SMS_LOAD(out + i), inv));
    for (; i < c; i++) out[i] *= inv_s;
}
