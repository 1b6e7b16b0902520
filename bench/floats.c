/* The benchmark suite's arbitrary float keys, also built into
 * tests/time_argsort so that its cut-over sweeps time the same keys. */
#include "floats.h"

/* splitmix64: a fixed, fast stream for arbitrary keys. */
static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

void bench_floats(float *out, size_t count, uint64_t seed)
{
    /* Both signs, magnitudes over 2^-20 .. 2^20, and what real keys carry:
     * 1 in 64 repeats an earlier key (ties), 1 in 512 is NaN, 1 in 512 is
     * -0.0 and 1 in 512 is +0.0. */
    uint64_t s = seed;
    for (size_t i = 0; i < count; i++) {
        uint64_t r = mix(&s);
        unsigned pick = (unsigned)(r >> 55); /* 9 bits */
        float f;
        if (pick == 0)
            f = __builtin_nanf("");
        else if (pick == 1)
            f = -0.0f;
        else if (pick == 2)
            f = 0.0f;
        else if ((pick & 63) == 3 && i > 0)
            f = out[(r & 0xFFFFFFu) % i];
        else {
            float m = (float)(r & 0xFFFFFF) * 0x1p-24f + 0.5f; /* [0.5, 1.5) */
            int e = (int)((r >> 24) % 41) - 20;
            f = __builtin_ldexpf(m, e);
            if (r & (1ull << 40)) f = -f;
        }
        out[i] = f;
    }
}
