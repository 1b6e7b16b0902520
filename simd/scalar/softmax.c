/* Scalar masked softmax: the reference the vector backends are tested
 * against. expf is glibc's (< 1 ulp, in practice correctly rounded) and the
 * row sum runs in double, so this is within ~1 ulp of the exact softmax;
 * PyTorch and the vector backends (float lane sums, SLEEF's 1-ulp exp) are
 * the ones that move, by a few ulp. */
#include <math.h>

#include "kernels.h"

void sm__scalar_masked_softmax(const float *x, const uint8_t *mask, float fill, size_t c,
                               float *out)
{
    float mx = -INFINITY;
    int nan = 0;
    for (size_t i = 0; i < c; i++) {
        float v = mask && mask[i] ? fill : x[i];
        nan |= isnan(v);
        mx = v > mx ? v : mx;
    }
    if (nan) mx = NAN; /* PyTorch's max propagates NaN: the whole row is NaN */
    double sum = 0.0;
    for (size_t i = 0; i < c; i++) {
        float v = mask && mask[i] ? fill : x[i];
        /* v - mx rounds in float exactly as PyTorch's does; only exp and the
         * sum differ. -inf - -inf (a fully masked row with fill -inf) is NaN. */
        float e = expf(v - mx);
        out[i] = e;
        sum += e;
    }
    double inv = 1.0 / sum;
    for (size_t i = 0; i < c; i++) out[i] = (float)(out[i] * inv);
}
